// e2e for the JazzHR Trigger (n8n-nodes-ats-webhooks.jazzHrTrigger) in a real n8n.
// JazzHR Candidate Export webhooks (github.com/JazzHR/api-doc, source/includes/webhook/*.md): POST
// JSON (HR Open Standards candidate), `X-JazzHR-Event: CANDIDATE-EXPORT`, `X-JazzHR-Signature` =
// hex HMAC-SHA256(secret, raw body), `X-JazzHR-UUID` per request; a VERIFY request (must get 200)
// when the integration is saved; non-2xx redelivered every 5 minutes for up to 2 hours.
// Bodies are our fixtures (test/fixtures/jazzhr). Accepted answers: a 2xx and one execution.
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE = 'jazzHrTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/jazzhr',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
const SECRET = 'e2e jazzhr custom integration secret';
const OK = [200, 201, 202, 204];

/** What JazzHR puts on an export. */
const jazzhr = (raw, { secret = SECRET, uuid = randomUUID(), context } = {}) => ({
	'x-jazzhr-event': 'CANDIDATE-EXPORT',
	'x-jazzhr-signature': createHmac('sha256', secret).update(raw).digest('hex'),
	'x-jazzhr-uuid': uuid,
	link: '<https://app.jazz.co/app/v2/candidate/71002233>',
	'user-agent': 'JazzHR',
	...(context ? { 'x-jazzhr-export-context': context } : {}),
});

export const credentials = [
	{
		id: 'e2eJazzHrSecret1',
		name: 'e2e JazzHR secret',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: SECRET, previousSecret: '' },
	},
];

export const workflows = {
	all: {
		id: 'e2eJazzHrExport1',
		nodeType: NODE,
		parameters: { options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eJazzHrSecret1' },
	},
};

const REPLAYED = '0b7e3c52-1f4d-4a6e-9c21-jazzhr000001';

export const cases = [
	{
		name: 'VERIFY when the Custom Integration is saved (signed) → 200, no execution',
		workflow: 'all',
		send: {
			body: text('verify'),
			sign: false,
			headers: {
				'x-jazzhr-event': 'VERIFY',
				'x-jazzhr-signature': createHmac('sha256', SECRET).update(text('verify')).digest('hex'),
				'user-agent': 'JazzHR',
			},
		},
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'VERIFY before a secret was typed into JazzHR (unsigned) → 200, no execution',
		workflow: 'all',
		send: {
			body: text('verify'),
			sign: false,
			headers: { 'x-jazzhr-event': 'VERIFY', 'user-agent': 'JazzHR' },
		},
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'candidate_export signed as JazzHR signs → 2xx, 1 execution with candidate.exported',
		workflow: 'all',
		send: {
			body: text('candidate_export'),
			sign: false,
			headers: jazzhr(text('candidate_export')),
		},
		expect: {
			status: OK,
			executions: 1,
			items: [
				{
					source: 'jazzhr',
					event: 'candidate.exported',
					sourceEvent: 'CANDIDATE-EXPORT',
					delivery: { verified: true, scheme: 'vendor' },
					payload: json('candidate_export'),
					subject: {
						type: 'candidate',
						id: '71002233',
						url: 'https://app.jazz.co/app/v2/candidate/71002233',
					},
					candidate: {
						firstName: 'Maria',
						lastName: 'Gonzalez',
						email: 'maria.gonzalez@example.com',
					},
					application: { id: '90001', stage: 'Phone Screen' },
				},
			],
		},
	},
	{
		name: 'candidate_export.two_applications with X-JazzHR-Export-Context 5502 → 1 execution for that application',
		workflow: 'all',
		send: {
			body: text('candidate_export.two_applications'),
			sign: false,
			headers: jazzhr(text('candidate_export.two_applications'), { context: '5502' }),
		},
		expect: {
			status: OK,
			executions: 1,
			items: [
				{
					event: 'candidate.exported',
					application: { id: '90002', stage: 'Hired' },
					job: { id: '5502' },
				},
			],
		},
	},
	{
		name: 'signed with another secret → 401, no execution',
		workflow: 'all',
		send: {
			body: text('candidate_export'),
			sign: false,
			headers: jazzhr(text('candidate_export'), { secret: 'not the secret' }),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'tampered body (signature of another body) → 401, no execution',
		workflow: 'all',
		send: {
			body: text('candidate_export'),
			sign: false,
			headers: jazzhr(text('candidate_export.two_applications')),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'an export without X-JazzHR-Signature (no secret set in JazzHR) → 401, no execution',
		workflow: 'all',
		send: {
			body: text('candidate_export'),
			sign: false,
			headers: { 'x-jazzhr-event': 'CANDIDATE-EXPORT' },
		},
		expect: { status: 401, json: { reason: 'missing_signature' }, executions: 0 },
	},
	{
		name: 'a GET of the URL → 200, no execution',
		workflow: 'all',
		send: { method: 'GET', contentType: null, sign: false },
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'an export is accepted once',
		workflow: 'all',
		remember: 'jz-replay',
		send: {
			body: text('candidate_export'),
			sign: false,
			headers: jazzhr(text('candidate_export'), { uuid: REPLAYED }),
		},
		expect: { status: OK, executions: 1, items: [{ id: REPLAYED, event: 'candidate.exported' }] },
	},
	{
		name: 'JazzHR redelivers it (same X-JazzHR-UUID) → 2xx, no execution',
		workflow: 'all',
		replay: 'jz-replay',
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'after a restart, the redelivery is still a duplicate (dedup window in static data)',
		phase: 'afterRestart',
		workflow: 'all',
		replay: 'jz-replay',
		expect: { status: OK, executions: 0 },
	},
];

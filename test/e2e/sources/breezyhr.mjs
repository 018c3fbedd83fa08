// e2e for the Breezy HR Trigger (n8n-nodes-ats-webhooks.breezyHrTrigger) in a real n8n, manual
// registration (automatic registration is covered against a fake Breezy API in
// test/node/BreezyHrTrigger.test.ts). Breezy HR webhooks (developer.breezy.hr/reference/webhooks,
// /webhook-security): POST JSON {_id, type, object, creation_date}, `X-Hook-Signature` = hex
// HMAC-SHA256 keyed with the endpoint's whsec_ secret as text, over the compact JSON (Breezy's
// examples). Bodies are our fixtures (test/fixtures/breezyhr, pretty-printed). Accepted: 2xx + 1 execution.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE = 'breezyHrTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/breezyhr',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
const SECRET = 'whsec_e2e-breezy-endpoint-secret';
const OK = [200, 201, 202, 204];

/** What Breezy's examples compute: the HMAC of JSON.stringify(body). `raw`: over the bytes as sent. */
const breezy = (body, { secret = SECRET, raw = false } = {}) => ({
	'x-hook-signature': createHmac('sha256', secret)
		.update(raw ? body : JSON.stringify(JSON.parse(body)))
		.digest('hex'),
	'x-breezy-webhook-version': '2',
});

export const credentials = [
	{
		id: 'e2eBreezyHrKey01',
		name: 'e2e Breezy HR endpoint secret',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: SECRET, previousSecret: '' },
	},
];

export const workflows = {
	all: {
		id: 'e2eBreezyHrAll01',
		nodeType: NODE,
		parameters: { registration: 'manual', events: [], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eBreezyHrKey01' },
	},
};

const fixtures = [
	[
		'candidateAdded',
		'application.created',
		{ candidate: { firstName: 'Sam', lastName: 'Okafor' } },
	],
	[
		'candidateStatusUpdated',
		'application.stage_changed',
		{ application: { stage: 'Phone Screen' } },
	],
	['candidateDeleted', 'candidate.deleted', {}],
	['companyPositionAdded', 'job.created', {}],
	['companyPositionStateUpdated', 'job.published', {}],
	['companyNotePosted', 'note.created', {}],
];

export const cases = [
	...fixtures.map(([name, event, extra], i) => ({
		name: `${name} signed as Breezy signs (${i === 0 ? 'over the raw bytes' : 'compact JSON'}) → 2xx, 1 execution with ${event}`,
		workflow: 'all',
		send: { body: text(name), sign: false, headers: breezy(text(name), { raw: i === 0 }) },
		expect: {
			status: OK,
			executions: 1,
			items: [
				{
					id: json(name)._id,
					source: 'breezyhr',
					event,
					sourceEvent: name,
					delivery: { verified: true, scheme: 'vendor' },
					payload: json(name),
					...extra,
				},
			],
		},
	})),
	{
		name: 'signed with another secret → 401, no execution',
		workflow: 'all',
		send: {
			body: text('candidateAdded'),
			sign: false,
			headers: breezy(text('candidateAdded'), { secret: 'whsec_not_it' }),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'tampered body (signature of another body) → 401, no execution',
		workflow: 'all',
		send: {
			body: text('candidateStatusUpdated'),
			sign: false,
			headers: breezy(text('candidateAdded')),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'no X-Hook-Signature → 401, no execution',
		workflow: 'all',
		send: { body: text('candidateAdded'), sign: false },
		expect: { status: 401, json: { reason: 'missing_signature' }, executions: 0 },
	},
	{
		name: 'a GET of the URL → 200, no execution',
		workflow: 'all',
		send: { method: 'GET', contentType: null, sign: false },
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'Breezy sends candidateStatusUpdated again (same _id) → 2xx, no execution',
		workflow: 'all',
		remember: 'bz-replay',
		send: {
			body: text('candidateStatusUpdated'),
			sign: false,
			headers: breezy(text('candidateStatusUpdated')),
		},
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'after a restart, the same event is still a duplicate (dedup window in static data)',
		phase: 'afterRestart',
		workflow: 'all',
		replay: 'bz-replay',
		expect: { status: OK, executions: 0 },
	},
];

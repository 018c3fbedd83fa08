// e2e for the Teamtailor Trigger (n8n-nodes-ats-webhooks.teamtailorTrigger) in a real n8n.
// Teamtailor Company Webhooks (partner.teamtailor.com/company_webhooks): POST JSON
// {payload: {event_name, data}}, `TT-Signature` v2 = base64("t=<unix>,v2=<hex>") with
// hex = HMAC-SHA256(signature key, "<t>." + raw body). No delivery id, no retries.
// Bodies are our fixtures (test/fixtures/teamtailor), written from the documented examples.
// Accepted answers are checked as "a 2xx and one execution" only: what the body says may change.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE = 'teamtailorTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/teamtailor',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
// The same application under another id: a delivery this workflow has not seen yet.
const OTHER_APPLICATION = () => text('job_application.create').replace('"555001"', '"555002"');
const KEY = 'e2e teamtailor signature key';
const OK = [200, 201, 202, 204];

/** What Teamtailor puts on a delivery: TT-Signature v2 over the exact bytes at time t. */
const teamtailor = (raw, { key = KEY, t = Math.floor(Date.now() / 1000) } = {}) => {
	const hex = createHmac('sha256', key).update(`${t}.`).update(raw).digest('hex');
	return { 'tt-signature': Buffer.from(`t=${t},v2=${hex}`).toString('base64') };
};
/** v1 (deprecated): base64 of the hex HMAC of payload.data.id. */
const teamtailorV1 = (id, key = KEY) => ({
	'tt-signature': Buffer.from(createHmac('sha256', key).update(id).digest('hex')).toString(
		'base64',
	),
});

export const credentials = [
	{
		id: 'e2eTeamtailorKey',
		name: 'e2e Teamtailor signature key',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: KEY, previousSecret: '' },
	},
];

// The replay after a restart must still be inside the window: 30 minutes here (default 5).
const options = { toleranceSeconds: 1800 };
export const workflows = {
	all: {
		id: 'e2eTeamtailorAll',
		nodeType: NODE,
		parameters: { signatureVersion: 'v2', events: [], options },
		credentials: { atsWebhookSigningSecretApi: 'e2eTeamtailorKey' },
	},
	apps: {
		id: 'e2eTeamtailorApp',
		nodeType: NODE,
		parameters: { signatureVersion: 'v2', events: ['job_application.create'], options },
		credentials: { atsWebhookSigningSecretApi: 'e2eTeamtailorKey' },
	},
	v1: {
		id: 'e2eTeamtailorVv1',
		nodeType: NODE,
		parameters: { signatureVersion: 'v1', events: [], options },
		credentials: { atsWebhookSigningSecretApi: 'e2eTeamtailorKey' },
	},
};

const fixtures = [
	['candidate.create', 'candidate.created', { candidate: { id: '90210', firstName: 'Astrid' } }],
	['candidate.update', 'candidate.updated', { subject: { type: 'candidate', id: '90210' } }],
	['candidate.destroy', 'candidate.deleted', { subject: { type: 'candidate', id: '90210' } }],
	['job.create', 'job.created', { job: { id: '4711', title: 'Backend Developer' } }],
	['job.update', 'job.updated', { job: { id: '4711', status: 'open' } }],
	['job.destroy', 'job.deleted', { subject: { type: 'job', id: '4711' } }],
	[
		'job_application.create',
		'application.created',
		{ application: { id: '555001', stage: 'Inbox' } },
	],
	[
		'job_application.update',
		'application.updated',
		{ application: { id: '555001', stage: 'Interview' } },
	],
	[
		'job_application.update.rejected',
		'application.updated',
		{ rejectedAt: '2025-03-20T10:00:00.000Z' },
	],
	[
		'job_application.destroy',
		'application.deleted',
		{ subject: { type: 'application', id: '555001' } },
	],
];

export const cases = [
	...fixtures.map(([name, event, extra]) => ({
		name: `${name} signed v2 as Teamtailor signs → 2xx, 1 execution with ${event}`,
		workflow: 'all',
		send: () => ({ body: text(name), sign: false, headers: teamtailor(text(name)) }),
		expect: {
			status: OK,
			executions: 1,
			items: [
				{
					source: 'teamtailor',
					event,
					sourceEvent: json(name).payload.event_name,
					delivery: { verified: true, scheme: 'vendor' },
					payload: json(name),
					...extra,
				},
			],
		},
	})),
	{
		name: 'signed with another key → 401, no execution',
		workflow: 'all',
		send: () => ({
			body: text('job.update'),
			sign: false,
			headers: teamtailor(text('job.update'), { key: 'not the key' }),
		}),
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'tampered body (signature of another body) → 401, no execution',
		workflow: 'all',
		send: () => ({
			body: text('job_application.update'),
			sign: false,
			headers: teamtailor(text('job_application.update.rejected')),
		}),
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'no TT-Signature header → 401, no execution',
		workflow: 'all',
		send: () => ({ body: text('job.create'), sign: false }),
		expect: { status: 401, json: { reason: 'missing_signature' }, executions: 0 },
	},
	{
		name: 't an hour old (outside the 30-minute Replay Window) → 401, no execution',
		workflow: 'all',
		send: () => ({
			body: text('job.create'),
			sign: false,
			headers: teamtailor(text('job.create'), { t: Math.floor(Date.now() / 1000) - 3600 }),
		}),
		expect: { status: 401, json: { reason: 'timestamp_too_old' }, executions: 0 },
	},
	{
		name: 'a v1 signature on a v2 trigger → 401, no execution',
		workflow: 'all',
		send: () => ({ body: text('job.update'), sign: false, headers: teamtailorV1('4711') }),
		expect: { status: 401, executions: 0 },
	},
	{
		name: 'a GET of the URL → 200, no execution',
		workflow: 'all',
		send: { method: 'GET', contentType: null, sign: false },
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'a delivery is accepted once',
		workflow: 'all',
		remember: 'tt-replay',
		send: () => ({
			body: OTHER_APPLICATION(),
			sign: false,
			headers: teamtailor(OTHER_APPLICATION()),
		}),
		expect: {
			status: OK,
			executions: 1,
			items: [{ event: 'application.created', subject: { id: '555002' } }],
		},
	},
	{
		name: 'the same delivery again → 2xx, no execution (duplicate)',
		workflow: 'all',
		replay: 'tt-replay',
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'Events = job_application.create: a job update → 2xx, no execution',
		workflow: 'apps',
		send: () => ({
			body: text('job.update'),
			sign: false,
			headers: teamtailor(text('job.update')),
		}),
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'Events = job_application.create: an application → 1 execution',
		workflow: 'apps',
		send: () => ({
			body: text('job_application.create'),
			sign: false,
			headers: teamtailor(text('job_application.create')),
		}),
		expect: { status: OK, executions: 1, items: [{ event: 'application.created' }] },
	},
	{
		name: 'Signature Version v1 (deprecated): a v1-signed job.update → 1 execution',
		workflow: 'v1',
		send: () => ({ body: text('job.update'), sign: false, headers: teamtailorV1('4711') }),
		expect: { status: OK, executions: 1, items: [{ event: 'job.updated' }] },
	},
	{
		name: 'Signature Version v1: signed for another id → 401, no execution',
		workflow: 'v1',
		send: () => ({ body: text('job.update'), sign: false, headers: teamtailorV1('4712') }),
		expect: { status: 401, executions: 0 },
	},
	{
		name: 'after a restart, the same delivery is still a duplicate (dedup window in static data)',
		phase: 'afterRestart',
		workflow: 'all',
		replay: 'tt-replay',
		expect: { status: OK, executions: 0 },
	},
];

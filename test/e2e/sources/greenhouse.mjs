// e2e for the Greenhouse Trigger (n8n-nodes-ats-webhooks.greenhouseTrigger) in a real n8n.
// Greenhouse web hooks (developers.greenhouse.io/webhooks.html): POST JSON {action, payload},
// `Signature: sha256 <hex>` = HMAC-SHA256(secret key, raw body), one `Greenhouse-Event-ID` per
// delivery, a ping when the web hook is saved (must get 200, or Greenhouse disables the hook).
// Bodies are our fixtures (test/fixtures/greenhouse), the documented examples.
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE = 'greenhouseTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/greenhouse',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
const SECRET = 'e2e greenhouse secret key';

/** What Greenhouse puts on a delivery: the signature over the exact bytes and a delivery id. */
const greenhouse = (raw, { secret = SECRET, id = randomUUID() } = {}) => ({
	signature: `sha256 ${createHmac('sha256', secret).update(raw).digest('hex')}`,
	'greenhouse-event-id': id,
	'user-agent': 'Greenhouse',
});

export const credentials = [
	{
		id: 'e2eGreenhouseKey',
		name: 'e2e Greenhouse secret key',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: SECRET, previousSecret: '' },
	},
];

export const workflows = {
	all: {
		id: 'e2eGreenhouseAll',
		nodeType: NODE,
		parameters: { events: [], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eGreenhouseKey' },
	},
	hires: {
		id: 'e2eGreenhouseHir',
		nodeType: NODE,
		parameters: { events: ['hire_candidate'], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eGreenhouseKey' },
	},
	// A node saved before type version 2 existed: it must behave the same.
	version1: {
		id: 'e2eGreenhouseV1x',
		nodeType: NODE,
		typeVersion: 1,
		parameters: { events: [], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eGreenhouseKey' },
	},
};

const fixtures = [
	[
		'candidate_stage_change',
		'application.stage_changed',
		{
			application: { id: '265277', stage: 'Assessment' },
			candidate: { id: '265772', firstName: 'Giuseppe' },
		},
	],
	['new_candidate_application', 'application.created', { application: { id: '71980812' } }],
	['hire_candidate', 'candidate.hired', { subject: { type: 'candidate', id: '35897443' } }],
	['reject_candidate', 'candidate.rejected', { subject: { id: '265788' } }],
	['offer_created', 'offer.created', { subject: { type: 'offer', id: '12345' } }],
	['job_created', 'job.created', { job: { id: '371417', title: 'Software Engineer' } }],
];

const REPLAYED = 'gh-replayed-delivery-1';
const REPLAYED_V1 = 'gh-replayed-delivery-v1';

export const cases = [
	...fixtures.map(([name, event, extra]) => ({
		name: `${name} signed as Greenhouse signs → 200, 1 execution with ${event}`,
		workflow: 'all',
		send: { body: text(name), sign: false, headers: greenhouse(text(name)) },
		expect: {
			status: 200,
			json: { status: 'accepted', events: 1 },
			executions: 1,
			items: [
				{
					source: 'greenhouse',
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
		name: 'bad signature (another secret) → 401, no execution',
		workflow: 'all',
		send: {
			body: text('candidate_stage_change'),
			sign: false,
			headers: greenhouse(text('candidate_stage_change'), { secret: 'not the key' }),
		},
		expect: {
			status: 401,
			json: { error: 'unauthorized', reason: 'signature_mismatch' },
			executions: 0,
		},
	},
	{
		name: 'tampered body (signature of another body) → 401, no execution',
		workflow: 'all',
		send: {
			body: text('hire_candidate'),
			sign: false,
			headers: greenhouse(text('reject_candidate')),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'no Signature header → 401, no execution',
		workflow: 'all',
		send: { body: text('job_created'), sign: false },
		expect: { status: 401, json: { reason: 'missing_signature' }, executions: 0 },
	},
	{
		name: 'the ping Greenhouse sends on save (POST action ping, unsigned) → 200, no execution',
		workflow: 'all',
		send: { body: text('ping'), sign: false },
		expect: { status: 200, json: { status: 'ok', reason: 'ping' }, executions: 0 },
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
		remember: 'gh-replay',
		send: {
			body: text('update_candidate'),
			sign: false,
			headers: greenhouse(text('update_candidate'), { id: REPLAYED }),
		},
		expect: {
			status: 200,
			json: { status: 'accepted' },
			executions: 1,
			items: [{ id: REPLAYED, event: 'candidate.updated' }],
		},
	},
	{
		name: 'Greenhouse retries it (same Greenhouse-Event-ID) → 200 duplicate, no execution',
		workflow: 'all',
		replay: 'gh-replay',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		name: 'Events = hire_candidate: a stage change → 200 ignored, no execution',
		workflow: 'hires',
		send: {
			body: text('candidate_stage_change'),
			sign: false,
			headers: greenhouse(text('candidate_stage_change')),
		},
		expect: { status: 200, json: { status: 'ignored' }, executions: 0 },
	},
	{
		name: 'Events = hire_candidate: a hire → 1 execution',
		workflow: 'hires',
		send: {
			body: text('hire_candidate'),
			sign: false,
			headers: greenhouse(text('hire_candidate')),
		},
		expect: { status: 200, executions: 1, items: [{ event: 'candidate.hired' }] },
	},
	{
		name: 'type version 1 (workflows saved before version 2): a signed delivery → 1 execution',
		workflow: 'version1',
		remember: 'gh-replay-v1',
		send: {
			body: text('hire_candidate'),
			sign: false,
			headers: greenhouse(text('hire_candidate'), { id: REPLAYED_V1 }),
		},
		expect: {
			status: 200,
			json: { status: 'accepted', events: 1 },
			executions: 1,
			items: [{ id: REPLAYED_V1, event: 'candidate.hired', delivery: { verified: true } }],
		},
	},
	{
		name: 'type version 1: the retry → 200 duplicate, no execution',
		workflow: 'version1',
		replay: 'gh-replay-v1',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		name: 'type version 1: bad signature → 401, no execution',
		workflow: 'version1',
		send: {
			body: text('hire_candidate'),
			sign: false,
			headers: greenhouse(text('hire_candidate'), { secret: 'not the key' }),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'type version 1: after a restart, the retry is still a duplicate',
		phase: 'afterRestart',
		workflow: 'version1',
		replay: 'gh-replay-v1',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		name: 'after a restart, the retry is still a duplicate (dedup window in static data)',
		phase: 'afterRestart',
		workflow: 'all',
		replay: 'gh-replay',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
];

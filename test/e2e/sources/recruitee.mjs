// e2e for the Recruitee Trigger (n8n-nodes-ats-webhooks.recruiteeTrigger) in a real n8n.
// Recruitee webhooks (docs.recruitee.com/docs/webhooks): POST JSON {event_type, event_subtype,
// payload}, `X-Recruitee-Signature` = hex HMAC-SHA256(webhook secret, raw body); "Verify and create"
// sends {"test":true} and needs a 200; only 200 counts as delivered; failures are retried.
// Bodies are our fixtures (test/fixtures/recruitee). Accepted answers: exactly 200 (Recruitee's rule)
// and one execution; what the body says may change.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE = 'recruiteeTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/recruitee',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
const SECRET = 'e2e recruitee webhook secret';

/** What Recruitee puts on a delivery. */
const recruitee = (raw, { secret = SECRET } = {}) => ({
	'x-recruitee-signature': createHmac('sha256', secret).update(raw).digest('hex'),
	'user-agent': 'Recruitee-Webhooks',
});

export const credentials = [
	{
		id: 'e2eRecruiteeKey1',
		name: 'e2e Recruitee webhook secret',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: SECRET, previousSecret: '' },
	},
];

export const workflows = {
	all: {
		id: 'e2eRecruiteeAll1',
		nodeType: NODE,
		parameters: { events: [], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eRecruiteeKey1' },
	},
	rejected: {
		id: 'e2eRecruiteeRej1',
		nodeType: NODE,
		parameters: { events: ['application.rejected'], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eRecruiteeKey1' },
	},
};

const fixtures = [
	[
		'candidate_created',
		'candidate.created',
		{ candidate: { id: '3310021', firstName: 'Jan', lastName: 'de Vries' } },
	],
	[
		'candidate_assigned',
		'application.created',
		{ job: { id: '880412', title: 'Customer Success Manager' } },
	],
	[
		'candidate_moved.stage_changed',
		'application.stage_changed',
		{ application: { stage: 'Phone screen', previousStage: 'Applied' } },
	],
	['candidate_moved.disqualified', 'application.rejected', { job: { id: '880412' } }],
	['candidate_moved.requalified', 'application.updated', {}],
	['candidate_deleted', 'candidate.deleted', { subject: { type: 'candidate', id: '3310021' } }],
];

export const cases = [
	{
		name: 'the "Verify and create" request {"test":true} (unsigned) → 200, no execution',
		workflow: 'all',
		send: { body: text('test'), sign: false, headers: { 'user-agent': 'Recruitee-Webhooks' } },
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'a "Test payload" button request (example event + test) → 200, no execution',
		workflow: 'all',
		send: {
			body: text('test_payload.candidate_moved'),
			sign: false,
			headers: { 'user-agent': 'Recruitee-Webhooks' },
		},
		expect: { status: 200, executions: 0 },
	},
	...fixtures.map(([name, event, extra]) => ({
		name: `${name} signed as Recruitee signs → 200, 1 execution with ${event}`,
		workflow: 'all',
		send: { body: text(name), sign: false, headers: recruitee(text(name)) },
		expect: {
			status: 200,
			executions: 1,
			items: [
				{
					source: 'recruitee',
					event,
					sourceEvent: json(name).event_type,
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
			body: text('candidate_created'),
			sign: false,
			headers: recruitee(text('candidate_created'), { secret: 'not the secret' }),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'tampered body (signature of another body) → 401, no execution',
		workflow: 'all',
		send: {
			body: text('candidate_moved.disqualified'),
			sign: false,
			headers: recruitee(text('candidate_moved.requalified')),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'no X-Recruitee-Signature → 401, no execution',
		workflow: 'all',
		send: { body: text('candidate_assigned'), sign: false },
		expect: { status: 401, json: { reason: 'missing_signature' }, executions: 0 },
	},
	{
		name: 'a GET of the URL → 200, no execution',
		workflow: 'all',
		send: { method: 'GET', contentType: null, sign: false },
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'a delivery Recruitee will retry is accepted once',
		workflow: 'rejected',
		remember: 'rt-replay',
		send: {
			body: text('candidate_moved.disqualified'),
			sign: false,
			headers: recruitee(text('candidate_moved.disqualified')),
		},
		expect: { status: 200, executions: 1, items: [{ event: 'application.rejected' }] },
	},
	{
		name: 'Recruitee retries it (same bytes) → 200, no execution',
		workflow: 'rejected',
		replay: 'rt-replay',
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'Events = application.rejected: a stage change → 200, no execution',
		workflow: 'rejected',
		send: {
			body: text('candidate_moved.stage_changed'),
			sign: false,
			headers: recruitee(text('candidate_moved.stage_changed')),
		},
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'after a restart, the retry is still a duplicate (dedup window in static data)',
		phase: 'afterRestart',
		workflow: 'rejected',
		replay: 'rt-replay',
		expect: { status: 200, executions: 0 },
	},
];

// e2e for the Merge ATS Trigger (n8n-nodes-ats-webhooks.mergeAtsTrigger) in a real n8n.
// Merge webhooks (docs.merge.dev webhooks; help.merge.dev/en/articles/5389453): POST JSON
// {hook, linked_account, data}, `X-Merge-Webhook-Signature` = base64url(HMAC-SHA256(webhook
// signature key, raw body)), padding optional; retried with backoff on failure.
// Bodies are our fixtures (test/fixtures/mergeats). Accepted answers: a 2xx and one execution.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE = 'mergeAtsTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/mergeats',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
const KEY = 'e2e merge webhook signature key';
const OK = [200, 201, 202, 204];

/** What Merge puts on a delivery (`padded`: the same HMAC with its `=`, as some senders send it). */
const merge = (raw, { key = KEY, padded = false } = {}) => ({
	'x-merge-webhook-signature': padded
		? createHmac('sha256', key).update(raw).digest('base64').replace(/\+/g, '-').replace(/\//g, '_')
		: createHmac('sha256', key).update(raw).digest('base64url'),
	'user-agent': 'Merge/Webhooks',
});

export const credentials = [
	{
		id: 'e2eMergeAtsKey01',
		name: 'e2e Merge webhook signature key',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: KEY, previousSecret: '' },
	},
];

export const workflows = {
	all: {
		id: 'e2eMergeAtsAll01',
		nodeType: NODE,
		parameters: { events: [], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eMergeAtsKey01' },
	},
	data: {
		id: 'e2eMergeAtsData1',
		nodeType: NODE,
		parameters: { events: ['Candidate.changed', 'Application.changed'], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eMergeAtsKey01' },
	},
};

const fixtures = [
	['Candidate.added', 'candidate.created', {}],
	[
		'Candidate.changed',
		'candidate.updated',
		{ candidate: { firstName: 'Lena', lastName: 'Hoffmann' } },
	],
	['Candidate.removed', 'candidate.deleted', {}],
	['Application.added', 'application.created', {}],
	['Application.changed', 'application.updated', { application: { stage: 'Onsite Interview' } }],
	['Job.changed', 'job.updated', { job: { title: 'Dispatcher (night shift)' } }],
	['Offer.added', 'offer.created', {}],
	['Interview.added', 'interview.scheduled', {}],
	['Scorecard.added', 'scorecard.submitted', {}],
	['LinkedAccount.synced', 'unknown', {}],
];

export const cases = [
	...fixtures.map(([name, event, extra], i) => ({
		name: `${name} signed as Merge signs${i % 2 ? ' (padded)' : ''} → 2xx, 1 execution with ${event} and integration Workday`,
		workflow: 'all',
		send: { body: text(name), sign: false, headers: merge(text(name), { padded: i % 2 === 1 }) },
		expect: {
			status: OK,
			executions: 1,
			items: [
				{
					source: 'mergeats',
					event,
					sourceEvent: name,
					integration: 'Workday',
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
		send: {
			body: text('Candidate.changed'),
			sign: false,
			headers: merge(text('Candidate.changed'), { key: 'not the key' }),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'tampered body (signature of another body) → 401, no execution',
		workflow: 'all',
		send: {
			body: text('Application.changed'),
			sign: false,
			headers: merge(text('Application.added')),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'no X-Merge-Webhook-Signature → 401, no execution',
		workflow: 'all',
		send: { body: text('Job.changed'), sign: false },
		expect: { status: 401, json: { reason: 'missing_signature' }, executions: 0 },
	},
	{
		name: 'a GET of the URL → 200, no execution',
		workflow: 'all',
		send: { method: 'GET', contentType: null, sign: false },
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'Events = Candidate/Application changed: a sync notice → 2xx, no execution',
		workflow: 'data',
		send: {
			body: text('LinkedAccount.synced'),
			sign: false,
			headers: merge(text('LinkedAccount.synced')),
		},
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'Events = Candidate/Application changed: an application change is accepted once',
		workflow: 'data',
		remember: 'mg-replay',
		send: {
			body: text('Application.changed'),
			sign: false,
			headers: merge(text('Application.changed')),
		},
		expect: { status: OK, executions: 1, items: [{ event: 'application.updated' }] },
	},
	{
		name: 'Merge retries it → 2xx, no execution',
		workflow: 'data',
		replay: 'mg-replay',
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'after a restart, the retry is still a duplicate (dedup window in static data)',
		phase: 'afterRestart',
		workflow: 'data',
		replay: 'mg-replay',
		expect: { status: OK, executions: 0 },
	},
];

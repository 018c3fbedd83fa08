// e2e for the Apideck ATS Trigger (n8n-nodes-ats-webhooks.apideckAtsTrigger) in a real n8n.
// Apideck webhooks (developers.apideck.com/guides/webhook-signature-verification): POST JSON
// {payload: {event_type, service_id, entity_id, entity_url, ...}}, `x-apideck-signature` =
// HMAC-SHA256 keyed with the API key over the body with its keys sorted recursively,
// `x-apideck-idempotency-key` per delivery. Bodies are our fixtures (test/fixtures/apideckats),
// sent in the spec's key order (not sorted). Accepted answers: a 2xx and one execution.
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE = 'apideckAtsTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/apideckats',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
const API_KEY = 'e2e apideck api key';
const OK = [200, 201, 202, 204];

const sortKeys = (v) =>
	Array.isArray(v)
		? v.map(sortKeys)
		: v && typeof v === 'object'
			? Object.fromEntries(
					Object.keys(v)
						.sort()
						.map((k) => [k, sortKeys(v[k])]),
				)
			: v;
/** What Apideck puts on a delivery: the HMAC of the keys-sorted JSON, an idempotency key. */
const apideck = (raw, { key = API_KEY, idem = randomUUID() } = {}) => ({
	'x-apideck-signature': createHmac('sha256', key)
		.update(JSON.stringify(sortKeys(JSON.parse(raw))))
		.digest('hex'),
	'x-apideck-idempotency-key': idem,
	'x-apideck-event-type': JSON.parse(raw).payload.event_type,
});

export const credentials = [
	{
		id: 'e2eApideckKey001',
		name: 'e2e Apideck API key',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: API_KEY, previousSecret: '' },
	},
];

export const workflows = {
	all: {
		id: 'e2eApideckAll001',
		nodeType: NODE,
		parameters: { events: [], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eApideckKey001' },
	},
};

const fixtures = [
	['ats.application.created', 'application.created', 'workable'],
	['ats.application.updated', 'application.updated', 'workable'],
	['ats.job.updated', 'job.updated', 'teamtailor'],
	['ats.applicant.updated', 'candidate.updated', 'lever'],
];
const REPLAYED = 'apideck-idem-replayed-0001';

export const cases = [
	...fixtures.map(([name, event, integration]) => ({
		name: `${name} signed as Apideck signs → 2xx, 1 execution with ${event}, integration ${integration}`,
		workflow: 'all',
		send: { body: text(name), sign: false, headers: apideck(text(name)) },
		expect: {
			status: OK,
			executions: 1,
			items: [
				{
					source: 'apideckats',
					event,
					sourceEvent: name,
					integration,
					subject: { id: json(name).payload.entity_id, url: json(name).payload.entity_url },
					delivery: { verified: true, scheme: 'vendor' },
					payload: json(name),
				},
			],
		},
	})),
	{
		name: 'signed with another API key → 401, no execution',
		workflow: 'all',
		send: {
			body: text('ats.job.updated'),
			sign: false,
			headers: apideck(text('ats.job.updated'), { key: 'not the key' }),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'tampered body (signature of another body) → 401, no execution',
		workflow: 'all',
		send: {
			body: text('ats.application.updated'),
			sign: false,
			headers: apideck(text('ats.application.created')),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'no x-apideck-signature → 401, no execution',
		workflow: 'all',
		send: { body: text('ats.job.updated'), sign: false },
		expect: { status: 401, json: { reason: 'missing_signature' }, executions: 0 },
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
		remember: 'ad-replay',
		send: {
			body: text('ats.application.updated'),
			sign: false,
			headers: apideck(text('ats.application.updated'), { idem: REPLAYED }),
		},
		expect: { status: OK, executions: 1, items: [{ id: REPLAYED }] },
	},
	{
		name: 'Apideck retries it (same idempotency key) → 2xx, no execution',
		workflow: 'all',
		replay: 'ad-replay',
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'after a restart, the retry is still a duplicate (dedup window in static data)',
		phase: 'afterRestart',
		workflow: 'all',
		replay: 'ad-replay',
		expect: { status: OK, executions: 0 },
	},
];

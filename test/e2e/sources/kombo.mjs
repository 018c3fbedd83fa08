// e2e for the Kombo Trigger (n8n-nodes-ats-webhooks.komboTrigger) in a real n8n.
// Kombo webhooks (https://docs.kombo.dev/webhooks, https://docs.kombo.dev/api-reference/data-changed):
// POST JSON {id, type, data}, `X-Kombo-Signature` = base64url(HMAC-SHA256(Kombo Webhook Secret, raw
// body)) without `=` padding. "Fetch Changed Records" reads a local fake of Kombo's ATS API started
// by this file, written from https://docs.kombo.dev/ats/getting-started/authentication (Bearer key,
// X-Integration-Id) and https://docs.kombo.dev/ats/v1/get-candidates (updated_after, cursor,
// {status, data: {next, results}}). Bodies and API answers are our fixtures (test/fixtures/kombo).
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, checkMatch } from '../harness.mjs';

const NODE = 'komboTrigger';
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/kombo');
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
const SECRET = 'e2e kombo webhook secret';
const API_KEY = 'ks_dev_e2e_fake_key';
const WORKDAY = 'workday:Tz4Gk8PqR2mVn6Xb1Lc9Ws5J';
const OK = [200, 201, 202, 204];

/** What Kombo puts on a delivery. */
const kombo = (raw, { secret = SECRET } = {}) => ({
	'x-kombo-signature': createHmac('sha256', secret).update(raw).digest('base64url'),
});
/** The same notification as a later one from Kombo (a new event id). */
const again = (name, id) => JSON.stringify({ ...json(name), id });

// The fake Kombo API: listens before n8n starts, so the credential can name its URL.
const seen = [];
let failNext = 0;
const fake = http.createServer((req, res) => {
	const url = new URL(req.url, 'http://fake');
	seen.push({
		path: url.pathname,
		query: Object.fromEntries(url.searchParams),
		authorization: req.headers.authorization,
		integrationId: req.headers['x-integration-id'],
	});
	const send = (status, body) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body));
	};
	if (failNext) {
		const status = failNext;
		failNext = 0;
		return send(status, { status: 'error', error: { message: 'fake outage' } });
	}
	if (req.headers.authorization !== `Bearer ${API_KEY}`)
		return send(401, { status: 'error', error: { message: 'Invalid API key' } });
	if (req.headers['x-integration-id'] !== WORKDAY)
		return send(404, { status: 'error', error: { message: 'Integration not found' } });
	const page = (name) => send(200, json(`api/${name}`));
	if (url.pathname === '/v1/ats/applications') return page('applications');
	if (url.pathname === '/v1/ats/candidates')
		return page(url.searchParams.get('cursor') ? 'candidates.page2' : 'candidates.page1');
	return send(200, { status: 'success', data: { next: null, results: [] } });
});
await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
fake.unref();
const base = `http://127.0.0.1:${fake.address().port}/v1`;

export const credentials = [
	{
		id: 'e2eKomboSecret01',
		name: 'e2e Kombo Webhook Secret',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: SECRET, previousSecret: '' },
	},
	{
		id: 'e2eKomboApiKey01',
		name: 'e2e Kombo API (local fake)',
		type: 'komboApi',
		data: { apiKey: API_KEY, baseUrl: base },
	},
];

export const workflows = {
	all: {
		id: 'e2eKomboAll00001',
		nodeType: NODE,
		parameters: { events: [], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eKomboSecret01' },
	},
	data: {
		id: 'e2eKomboData0001',
		nodeType: NODE,
		parameters: { events: ['data-changed'], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eKomboSecret01' },
	},
	fetch: {
		id: 'e2eKomboFetch001',
		nodeType: NODE,
		parameters: {
			events: [],
			fetchChangedRecords: true,
			records: ['applications', 'candidates', 'jobs'],
			options: {},
		},
		credentials: {
			atsWebhookSigningSecretApi: 'e2eKomboSecret01',
			komboApi: 'e2eKomboApiKey01',
		},
	},
};

const fixtures = [
	['data-changed.ats', 'workday'],
	['data-changed.jobs', 'successfactors'],
	['data-changed.hris', 'personio'],
	['sync-finished', 'workday'],
];

/** updated_after of the first fetch, to compare with the fetches that follow it. */
const firstFetch = {};

export const cases = [
	...fixtures.map(([name, integration]) => ({
		name: `${name} signed as Kombo signs → 2xx, 1 execution, the notification with integration ${integration}`,
		workflow: 'all',
		send: { body: text(name), sign: false, headers: kombo(text(name)) },
		expect: {
			status: OK,
			executions: 1,
			items: [
				{
					id: json(name).id,
					source: 'kombo',
					event: 'unknown',
					sourceEvent: json(name).type,
					integration,
					delivery: { verified: true, scheme: 'vendor' },
					payload: json(name),
				},
			],
		},
	})),
	{
		name: 'signed with another secret → 401, no execution',
		workflow: 'all',
		send: {
			body: text('data-changed.ats'),
			sign: false,
			headers: kombo(text('data-changed.ats'), { secret: 'not the secret' }),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'tampered body (signature of another body) → 401, no execution',
		workflow: 'all',
		send: {
			body: text('data-changed.ats'),
			sign: false,
			headers: kombo(text('data-changed.jobs')),
		},
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'no X-Kombo-Signature → 401, no execution',
		workflow: 'all',
		send: { body: text('sync-finished'), sign: false },
		expect: { status: 401, json: { reason: 'missing_signature' }, executions: 0 },
	},
	{
		name: 'a GET of the URL → 200, no execution',
		workflow: 'all',
		send: { method: 'GET', contentType: null, sign: false },
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'Events = data-changed: a sync-finished → 2xx, no execution',
		workflow: 'data',
		send: { body: text('sync-finished'), sign: false, headers: kombo(text('sync-finished')) },
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'Events = data-changed: a data-changed is accepted once',
		workflow: 'data',
		remember: 'kb-replay',
		send: { body: text('data-changed.ats'), sign: false, headers: kombo(text('data-changed.ats')) },
		expect: { status: OK, executions: 1, items: [{ sourceEvent: 'data-changed' }] },
	},
	{
		name: 'Kombo resends it → 2xx, no execution',
		workflow: 'data',
		replay: 'kb-replay',
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'Fetch Changed Records: one execution with one canonical event per changed record, read with the key and the integration id',
		workflow: 'fetch',
		run: async (t) => {
			seen.length = 0;
			const raw = text('data-changed.ats');
			const res = await t.send(t.request('fetch', { body: raw, sign: false, headers: kombo(raw) }));
			check(OK.includes(res.status), `HTTP ${res.status}: ${res.text.slice(0, 200)}`);
			const [exec] = await t.newExecutions('fetch', 1);
			check(exec.status === 'success', `execution ended ${exec.status}`);
			checkMatch(
				exec.items,
				[
					{
						event: 'application.updated',
						subject: { id: 'Ap1Bq2Cr3Ds4Et5Fu6Gv7Hw8' },
						application: { stage: 'Hiring Manager Review' },
						integration: 'workday',
					},
					{ event: 'application.deleted', subject: { id: 'Aq2Br3Cs4Dt5Eu6Fv7Gw8Hx9' } },
					{ event: 'candidate.updated', candidate: { firstName: 'Mira', lastName: 'Castellano' } },
					{ event: 'candidate.updated', subject: { id: 'Cp9Fq1Gr2Hs3It4Ju5Kv6Lw7' } },
				],
				'items',
			);
			check(exec.items.length === 4, `${exec.items.length} items, expected 4`);
			check(
				seen.map((s) => s.path).join(',') ===
					'/v1/ats/applications,/v1/ats/candidates,/v1/ats/candidates',
				`fake API saw ${JSON.stringify(seen.map((s) => s.path))}`,
			);
			check(
				seen.every((s) => s.authorization === `Bearer ${API_KEY}` && s.integrationId === WORKDAY),
				'every call carries the key and X-Integration-Id',
			);
			firstFetch.updatedAfter = seen[0].query.updated_after;
			firstFetch.at = Date.now();
		},
	},
	{
		name: 'Fetch Changed Records: the next notification starts at the previous fetch (cursor in static data)',
		workflow: 'fetch',
		run: async (t) => {
			seen.length = 0;
			const raw = again('data-changed.ats', 'E2eNext00000000000000001');
			await t.send(t.request('fetch', { body: raw, sign: false, headers: kombo(raw) }));
			const [exec] = await t.newExecutions('fetch', 1);
			check(exec.items.length === 4, `${exec.items.length} items`);
			const after = Date.parse(seen[0]?.query.updated_after ?? '');
			check(
				after > Date.parse(firstFetch.updatedAfter) + 30 * 60_000,
				`updated_after ${seen[0]?.query.updated_after} should be the first fetch's start, not the 60-minute look-back ${firstFetch.updatedAfter}`,
			);
			firstFetch.cursor = seen[0].query.updated_after;
		},
	},
	{
		name: 'Fetch Changed Records: Kombo API down → the notification still runs, with a warning',
		workflow: 'fetch',
		run: async (t) => {
			failNext = 503;
			const raw = again('data-changed.ats', 'E2eNext00000000000000002');
			await t.send(t.request('fetch', { body: raw, sign: false, headers: kombo(raw) }));
			const [exec] = await t.newExecutions('fetch', 1);
			checkMatch(
				exec.items,
				[{ sourceEvent: 'data-changed', warnings: ['records_not_fetched: HTTP 503'] }],
				'items',
			);
		},
	},
	{
		name: 'after a restart, the resent notification is still a duplicate (dedup window in static data)',
		phase: 'afterRestart',
		workflow: 'data',
		replay: 'kb-replay',
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'after a restart, Fetch Changed Records continues from the saved cursor',
		phase: 'afterRestart',
		workflow: 'fetch',
		run: async (t) => {
			seen.length = 0;
			const raw = again('data-changed.ats', 'E2eNext00000000000000003');
			await t.send(t.request('fetch', { body: raw, sign: false, headers: kombo(raw) }));
			const [exec] = await t.newExecutions('fetch', 1);
			check(exec.items.length === 4, `${exec.items.length} items`);
			check(
				Date.parse(seen[0]?.query.updated_after ?? '') >= Date.parse(firstFetch.cursor ?? ''),
				`updated_after ${seen[0]?.query.updated_after} should not be older than ${firstFetch.cursor}`,
			);
		},
	},
];

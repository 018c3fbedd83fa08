// e2e for the ATS Reconcile Trigger (n8n-nodes-ats-webhooks.atsReconcileTrigger) in a real n8n:
// ONE workflow holds the Greenhouse Trigger and the ATS Reconcile Trigger (vendor Greenhouse,
// polling every minute) against a local fake of Greenhouse Harvest v3 started by this file:
// `POST /token` (OAuth client credentials: HTTP Basic client id:secret,
// grant_type=client_credentials&sub=<user id>, https://harvestdocs.greenhouse.io/docs/authentication)
// and `GET /v3/applications?updated_at=gte|<ISO>&per_page=N`, the next page in `Link: rel="next"`
// (https://harvestdocs.greenhouse.io/docs/list-endpoints).
//
// The union case: five applications change; the webhook trigger receives three of them; the next
// poll emits exactly the other two (one execution, two items, delivery.scheme "poll"); a late
// webhook for one of those two starts nothing. n8n runs a poll when it activates the workflow (the
// baseline, one probe request) and then on every minute, so the suite waits for at most ~70 s.
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { check, readJsonBody, sleep, stableUuid } from '../harness.mjs';
import { sqlite } from '../../../scripts/n8n/lib/runtime.mjs';

const SECRET = 'e2e reconcile greenhouse secret';
const CLIENT = { clientId: 'e2e-client', clientSecret: 'e2e-client-secret', userId: '4242' };
const RECONCILE_NODE = 'ATS Reconcile Trigger';

// ---- the fake Greenhouse Harvest v3 ------------------------------------------------------------
const applications = []; // {id, updatedAt}
const calls = [];
const fake = http.createServer(async (req, res) => {
	const url = new URL(req.url, 'http://x');
	let raw = '';
	for await (const chunk of req) raw += chunk;
	calls.push({ method: req.method, path: url.pathname, query: url.search });
	const send = (status, body, headers = {}) => {
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(JSON.stringify(body));
	};
	if (url.pathname === '/token') {
		const form = new URLSearchParams(raw);
		const basic = `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`;
		if (
			req.headers.authorization !== basic ||
			form.get('grant_type') !== 'client_credentials' ||
			form.get('sub') !== CLIENT.userId
		)
			return send(401, { error: 'invalid_client' });
		return send(200, {
			access_token: `tok-${randomUUID()}`,
			token_type: 'bearer',
			expires_in: 3600,
		});
	}
	if (!String(req.headers.authorization).startsWith('Bearer tok-'))
		return send(401, { error: 'unauthorized' });
	if (url.pathname !== '/v3/applications') return send(404, { error: 'not found' });
	let since = -Infinity;
	let offset = 0;
	let size = 100;
	if (url.searchParams.get('cursor')) {
		const c = JSON.parse(Buffer.from(url.searchParams.get('cursor'), 'base64url').toString());
		({ since, offset, size } = c);
	} else {
		size = Number(url.searchParams.get('per_page') ?? 100);
		const filter = url.searchParams.get('updated_at');
		if (filter) since = Date.parse(filter.split('|')[1]);
	}
	const list = applications.filter((a) => a.updatedAt >= since);
	const slice = list.slice(offset, offset + size);
	const headers = {};
	if (offset + size < list.length) {
		const c = Buffer.from(JSON.stringify({ since, offset: offset + size, size })).toString(
			'base64url',
		);
		headers.link = `<http://127.0.0.1:${fake.address().port}/v3/applications?cursor=${c}>; rel="next"`;
	}
	return send(200, slice.map(applicationRecord), headers);
});
await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
fake.unref();
const base = `http://127.0.0.1:${fake.address().port}`;

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
function applicationRecord(a) {
	return {
		id: a.id,
		candidate_id: a.id + 1_000_000,
		applied_at: iso(a.updatedAt - 86_400_000),
		last_activity_at: iso(a.updatedAt),
		updated_at: new Date(a.updatedAt).toISOString(),
		status: 'active',
		current_stage: { id: 1, name: 'Assessment' },
		jobs: [{ id: 7, name: 'Designer', status: 'open' }],
	};
}

/** The Greenhouse webhook for the same change: payload.application with the same id and last_activity_at. */
function webhookFor(a) {
	return JSON.stringify({
		action: 'candidate_stage_change',
		payload: {
			application: {
				id: a.id,
				last_activity_at: iso(a.updatedAt),
				status: 'active',
				current_stage: { id: 1, name: 'Assessment' },
				candidate: { id: a.id + 1_000_000, first_name: 'Ada', last_name: 'Lovelace' },
				jobs: [{ id: 7, name: 'Designer', status: 'open' }],
			},
		},
	});
}

const delivery = (t, a) => {
	const raw = webhookFor(a);
	return {
		url: t.url('union'),
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			signature: `sha256 ${createHmac('sha256', SECRET).update(raw).digest('hex')}`,
			'greenhouse-event-id': randomUUID(),
			'user-agent': 'Greenhouse',
		},
		body: raw,
	};
};

// ---- the suite ----------------------------------------------------------------------------------
export const credentials = [
	{
		id: 'e2eReconcileGhKy',
		name: 'e2e reconcile Greenhouse secret key',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: SECRET, previousSecret: '' },
	},
	{
		id: 'e2eReconcileHarv',
		name: 'e2e Greenhouse Harvest (local fake)',
		type: 'greenhouseHarvestApi',
		data: { ...CLIENT, useCustomBaseUrl: true, baseUrl: base, tokenUrl: `${base}/token` },
	},
];

export const workflows = {
	union: {
		id: 'e2eReconcileUnio',
		nodeType: 'greenhouseTrigger',
		parameters: { events: [], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eReconcileGhKy' },
		extraNodes: [
			{
				id: stableUuid('e2eReconcileUnio-reconcile'),
				name: RECONCILE_NODE,
				type: 'n8n-nodes-ats-webhooks.atsReconcileTrigger',
				typeVersion: 1,
				position: [0, 300],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					vendor: 'greenhouse',
					options: {},
				},
				credentials: { greenhouseHarvestApi: 'e2eReconcileHarv' },
			},
		],
	},
};

/** The items the reconcile node emitted in an execution. */
async function reconcileItems(t, executionId) {
	const [row] = await sqlite(
		t.instance,
		'select data from execution_data where executionId = ?',
		[executionId],
		{
			flatted: ['data'],
		},
	);
	const run = row?.data?.resultData?.runData?.[RECONCILE_NODE]?.[0];
	return (run?.data?.main?.[0] ?? []).map((item) => item.json);
}

const listCalls = () => calls.filter((c) => c.path === '/v3/applications');

export const cases = [
	{
		name: 'activation ran the baseline poll: one token request, one probe of one record, nothing emitted',
		workflow: 'union',
		run: async (t) => {
			for (let i = 0; i < 300 && listCalls().length === 0; i++) await sleep(200);
			check(listCalls().length >= 1, `the fake saw no list request: ${JSON.stringify(calls)}`);
			check(/per_page=1\b/.test(listCalls()[0].query), `probe query ${listCalls()[0].query}`);
			await t.newExecutions('union', 0);
		},
	},
	{
		name: 'five applications change; the webhook trigger receives three of them (three executions)',
		workflow: 'union',
		run: async (t) => {
			const now = Date.now();
			for (let i = 0; i < 5; i++) applications.push({ id: 880001 + i, updatedAt: now - 1000 * i });
			for (const a of applications.slice(0, 3)) {
				const res = await t.send(delivery(t, a));
				check(
					res.status === 200 && res.json?.status === 'accepted',
					`HTTP ${res.status}: ${res.text.slice(0, 200)}`,
				);
				const [exec] = await t.newExecutions('union', 1);
				check(exec.status === 'success', `execution #${exec.id} ended ${exec.status}`);
				check(
					exec.items[0]?.delivery?.changeKey,
					`the webhook event carries no changeKey: ${JSON.stringify(exec.items[0]?.delivery)}`,
				);
			}
			t.note = '3 webhook executions';
		},
	},
	{
		name: 'the next poll emits exactly the other two changes, in one execution, as canonical poll events',
		workflow: 'union',
		run: async (t) => {
			const [exec] = await t.newExecutions('union', 1, { timeoutMs: 75_000 });
			check(
				exec.status === 'success',
				`execution #${exec.id} ended ${exec.status}: ${JSON.stringify(exec.error ?? {})}`,
			);
			const items = await reconcileItems(t, exec.id);
			const ids = items.map((i) => i.subject?.id).sort();
			const expected = applications
				.slice(3)
				.map((a) => String(a.id))
				.sort();
			check(
				JSON.stringify(ids) === JSON.stringify(expected),
				`poll emitted ${JSON.stringify(ids)}, expected ${JSON.stringify(expected)}`,
			);
			check(
				items.every((i) => i.delivery?.scheme === 'poll' && i.source === 'greenhouse'),
				JSON.stringify(items.map((i) => i.delivery)),
			);
			check(
				items.every((i) => i.event === 'application.updated'),
				JSON.stringify(items.map((i) => i.event)),
			);
			t.note = `poll: ${items.length} items (${ids.join(', ')}); webhook: 3`;
		},
	},
	{
		name: 'a late webhook for one of the two polled changes starts nothing (200 duplicate)',
		workflow: 'union',
		run: async (t) => {
			const res = await t.send(delivery(t, applications[3]));
			check(
				res.status === 200 && res.json?.status === 'duplicate',
				`HTTP ${res.status}: ${res.text.slice(0, 200)}`,
			);
			await t.newExecutions('union', 0, { graceMs: 1500 });
			t.note = `${res.json.status}, 0 executions`;
			t.memo.set('reconcile:listCalls', listCalls().length);
		},
	},
	{
		name: 'after a restart (state from the database only): the activation poll emits nothing, and late webhooks for a polled and a webhook-delivered change start nothing',
		workflow: 'union',
		phase: 'afterRestart',
		run: async (t) => {
			// Wait for the poll n8n runs when it activates the workflow again.
			const before = t.memo.get('reconcile:listCalls') ?? 0;
			for (let i = 0; i < 300 && listCalls().length <= before; i++) await sleep(200);
			check(listCalls().length > before, 'no poll after the restart');
			check(
				!/per_page=1\b/.test(listCalls().at(-1).query),
				`a second baseline after the restart: ${listCalls().at(-1).query}`,
			);
			for (const a of [applications[4], applications[0]]) {
				const res = await t.send(delivery(t, a));
				check(
					res.status === 200 && res.json?.status === 'duplicate',
					`HTTP ${res.status}: ${res.text.slice(0, 200)}`,
				);
			}
			await t.newExecutions('union', 0, { graceMs: 1500 });
			t.note = 'poll: nothing new; 2 late webhooks: duplicate, 0 executions';
		},
	},
];

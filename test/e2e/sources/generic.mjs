// e2e cases for the generic ATS Webhook Trigger (n8n-nodes-ats-webhooks.atsWebhookTrigger) in a
// real n8n. One table: each row sends one request and states the HTTP answer and the executions
// n8n must record. A row with `run` does something the table cannot (concurrency).
// Rows with phase 'afterRestart' run after n8n was stopped and started again on the same folder.
import { sqlite } from '../../../scripts/n8n/lib/runtime.mjs';
import { check, checkMatch } from '../harness.mjs';

const NODE = 'atsWebhookTrigger';

export const credentials = [
	{
		id: 'e2eGenHmacSecret',
		name: 'e2e HMAC secret',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: 'e2e-hmac-current-secret', previousSecret: 'e2e-hmac-previous-secret' },
	},
	{
		id: 'e2eGenSwSecret01',
		name: 'e2e Standard Webhooks secret',
		type: 'atsWebhookSigningSecretApi',
		data: {
			secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
			previousSecret: 'whsec_dGhlIHByZXZpb3VzIGUyZSBzZWNyZXQ=',
		},
	},
	{
		id: 'e2eGenToken0001',
		name: 'e2e header token',
		type: 'atsWebhookHeaderTokenApi',
		data: { headerName: 'x-webhook-token', token: 'e2e-token-1', previousToken: '' },
	},
	{
		id: 'e2eGenBasic0001',
		name: 'e2e basic auth',
		type: 'atsWebhookBasicAuthApi',
		data: { user: 'ats', password: 'e2e-pass-1', previousPassword: '' },
	},
];

const signing = { atsWebhookSigningSecretApi: 'e2eGenHmacSecret' };
export const workflows = {
	hmac: {
		id: 'e2eGenHmac000001',
		nodeType: NODE,
		parameters: {
			authentication: 'hmac',
			hmacHeader: 'x-hub-signature-256',
			hmacAlgorithm: 'sha256',
			hmacEncoding: 'hex',
			hmacPrefix: 'sha256=',
			events: '',
			options: {},
		},
		credentials: signing,
	},
	hmacTs: {
		id: 'e2eGenHmacTs0001',
		nodeType: NODE,
		parameters: {
			authentication: 'hmac',
			hmacHeader: 'x-signature',
			hmacAlgorithm: 'sha512',
			hmacEncoding: 'base64',
			hmacSignedContent: 'timestampDotBody',
			hmacTimestampHeader: 'x-timestamp',
			options: { toleranceSeconds: 300 },
		},
		credentials: signing,
	},
	sw: {
		id: 'e2eGenStdWh00001',
		nodeType: NODE,
		parameters: { authentication: 'standardWebhooks', options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eGenSwSecret01' },
	},
	token: {
		id: 'e2eGenToken00001',
		nodeType: NODE,
		parameters: { authentication: 'headerToken', options: {} },
		credentials: { atsWebhookHeaderTokenApi: 'e2eGenToken0001' },
	},
	basic: {
		id: 'e2eGenBasic00001',
		nodeType: NODE,
		parameters: { authentication: 'basicAuth', options: {} },
		credentials: { atsWebhookBasicAuthApi: 'e2eGenBasic0001' },
	},
	filter: {
		id: 'e2eGenFilter0001',
		nodeType: NODE,
		parameters: { authentication: 'none', events: 'candidate.created, job.opened', options: {} },
	},
	small: {
		id: 'e2eGenSmall00001',
		nodeType: NODE,
		parameters: { authentication: 'none', options: { maxBodySizeMiB: 0.001 } },
	},
	open: {
		id: 'e2eGenOpen000001',
		nodeType: NODE,
		parameters: { authentication: 'none', options: {} },
	},
	noDedup: {
		id: 'e2eGenNoDedup001',
		nodeType: NODE,
		parameters: { authentication: 'none', options: { dedup: false } },
	},
};

/** A typical ATS event in a plain shape. */
export function event(id, type = 'candidate.created', extra = {}) {
	return {
		event_id: id,
		type,
		occurred_at: '2026-01-02T03:04:05.000Z',
		data: {
			candidate: {
				id: `cand_${id}`,
				first_name: 'Ada',
				last_name: 'Lovelace',
				email: 'ada@example.com',
			},
			job: { id: 'job_42', title: 'Engineer' },
		},
		...extra,
	};
}

const accepted = { status: 'accepted' };
const now = () => Math.floor(Date.now() / 1000);
const canonical = (id, scheme, verified = true) => ({
	id,
	source: 'generic',
	event: 'candidate.created',
	sourceEvent: 'candidate.created',
	subject: { type: 'candidate', id: `cand_${id}` },
	delivery: { verified, scheme },
	payload: { event_id: id, type: 'candidate.created' },
});

/** How many keys the dedup ring in the workflow's static data holds (diagnostic). */
async function staticRingSize(t, key) {
	const [row] = await sqlite(t.instance, 'select staticData from workflow_entity where id = ?', [
		t.workflow(key).id,
	]);
	const data = row?.staticData ? JSON.parse(row.staticData) : {};
	const rings = Object.values(data).filter(
		(v) => v && typeof v === 'object' && Array.isArray(v.atsDedup?.keys),
	);
	return rings.map((v) => v.atsDedup.keys.length).join('+') || 'none';
}

/**
 * `count` identical deliveries at once: one execution, the rest answered "duplicate" (the copies
 * wait until n8n has stored the first one, so every 200 is a promise that can be kept).
 */
async function concurrentDuplicates(t, key, req, count = 20) {
	const results = await Promise.all(Array.from({ length: count }, () => t.send(req)));
	// The executions first, so a failed status check below does not leave this case's execution to
	// be counted by the next case.
	const execs = await t.newExecutions(key, 1);
	check(execs[0].items.length === 1, `the execution holds 1 item, got ${execs[0].items.length}`);
	const statuses = results.map((r) => `${r.status}:${r.json?.status}`);
	// A copy waits for the first at most 15 s (nodes/shared/webhookAdapter.ts), then gets 503 +
	// Retry-After and its sender retries: a documented answer when n8n takes that long to store the
	// first copy (a loaded machine at n8n's defaults), never a second execution.
	const waitedOut = results.filter((r) => r.status === 503 && r.headers['retry-after']).length;
	check(
		results.every((r) => r.status === 200 || (r.status === 503 && r.headers['retry-after'])),
		`all ${count} answered 200 (or 503 + Retry-After), got ${statuses.join(' ')}`,
	);
	const acceptedCount = results.filter((r) => r.json?.status === 'accepted').length;
	const dupCount = results.filter((r) => r.json?.status === 'duplicate').length;
	check(
		acceptedCount === 1 && dupCount + waitedOut === count - 1,
		`expected 1 accepted + ${count - 1} duplicate, got ${acceptedCount} accepted, ${dupCount} duplicate, ${waitedOut} told to retry`,
	);
	if (waitedOut)
		t.note = `${waitedOut} cop${waitedOut === 1 ? 'y' : 'ies'} waited 15 s and got 503 + Retry-After`;
}

export const cases = [
	// --- HMAC over the raw body -------------------------------------------------------------
	{
		name: 'hmac: good signature → 200 accepted, 1 execution with the canonical event',
		workflow: 'hmac',
		send: { body: event('h1') },
		remember: 'hmac-h1',
		expect: { status: 200, json: accepted, executions: 1, items: [canonical('h1', 'hmac')] },
	},
	{
		name: 'hmac: signature made with the previous secret (rotation) → accepted',
		workflow: 'hmac',
		send: { body: event('h2'), sign: { secret: 'e2e-hmac-previous-secret' } },
		expect: { status: 200, json: accepted, executions: 1, items: 1 },
	},
	{
		name: 'hmac: signed over the exact raw bytes (odd whitespace, key order) → accepted',
		workflow: 'hmac',
		send: {
			body: '{ "type" :"candidate.created",\n  "event_id": "h3",   "data": {"candidate": {"id": "cand_h3"}} }\n',
		},
		expect: {
			status: 200,
			json: accepted,
			executions: 1,
			items: [{ id: 'h3', event: 'candidate.created', subject: { id: 'cand_h3' } }],
		},
	},
	{
		name: 'hmac: wrong secret → 401 signature_mismatch, no execution',
		workflow: 'hmac',
		send: { body: event('h4'), sign: { secret: 'not-the-secret' } },
		expect: {
			status: 401,
			json: { error: 'unauthorized', reason: 'signature_mismatch' },
			executions: 0,
		},
	},
	{
		name: 'hmac: no signature header → 401, no execution',
		workflow: 'hmac',
		send: { body: event('h5'), sign: false },
		expect: {
			status: 401,
			json: { error: 'unauthorized', reason: 'missing_signature' },
			executions: 0,
		},
	},
	{
		name: 'hmac: body changed after signing → 401, no execution',
		workflow: 'hmac',
		run: async (t) => {
			const req = t.request('hmac', { body: event('h6') });
			req.body = req.body.replace('Ada', 'Eve');
			const res = await t.send(req);
			checkMatch(res, { status: 401, json: { reason: 'signature_mismatch' } }, 'response');
			await t.newExecutions('hmac', 0);
		},
	},
	{
		name: 'hmac: same delivery sent again → 200 duplicate, no execution',
		workflow: 'hmac',
		replay: 'hmac-h1',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},

	// --- HMAC over "<timestamp>.<body>" with a replay window -----------------------------------
	{
		name: 'hmac timestamp.body (sha512, base64): good → accepted',
		workflow: 'hmacTs',
		send: { body: event('t1') },
		expect: { status: 200, json: accepted, executions: 1, items: [canonical('t1', 'hmac')] },
	},
	{
		name: 'hmac timestamp.body: correctly signed but 1 h old → 401, no execution',
		workflow: 'hmacTs',
		send: () => ({ body: event('t2'), sign: { timestamp: now() - 3600 } }),
		expect: { status: 401, json: { error: 'unauthorized', reason: /timestamp/ }, executions: 0 },
	},
	{
		name: 'hmac timestamp.body: 1 h in the future → 401, no execution',
		workflow: 'hmacTs',
		send: () => ({ body: event('t3'), sign: { timestamp: now() + 3600 } }),
		expect: { status: 401, json: { error: 'unauthorized', reason: /timestamp/ }, executions: 0 },
	},
	{
		name: 'hmac timestamp.body: timestamp header changed after signing → 401',
		workflow: 'hmacTs',
		run: async (t) => {
			const req = t.request('hmacTs', { body: event('t4') });
			req.headers['x-timestamp'] = String(Number(req.headers['x-timestamp']) - 1);
			checkMatch(
				await t.send(req),
				{ status: 401, json: { reason: 'signature_mismatch' } },
				'response',
			);
			await t.newExecutions('hmacTs', 0);
		},
	},

	// --- Standard Webhooks --------------------------------------------------------------------
	{
		name: 'standard webhooks: good → accepted, delivery.id = webhook-id',
		workflow: 'sw',
		send: { body: event('s1'), sign: { id: 'msg_e2e_s1' } },
		remember: 'sw-s1',
		expect: {
			status: 200,
			json: accepted,
			executions: 1,
			items: [
				{
					...canonical('s1', 'standardWebhooks'),
					delivery: { id: 'msg_e2e_s1', verified: true, scheme: 'standardWebhooks' },
				},
			],
		},
	},
	{
		name: 'standard webhooks: previous secret (rotation) → accepted',
		workflow: 'sw',
		send: { body: event('s2'), sign: { secret: 'whsec_dGhlIHByZXZpb3VzIGUyZSBzZWNyZXQ=' } },
		expect: { status: 200, json: accepted, executions: 1, items: 1 },
	},
	{
		name: 'standard webhooks: wrong secret → 401, no execution',
		workflow: 'sw',
		send: { body: event('s3'), sign: { secret: 'whsec_d3JvbmcgZTJlIHNlY3JldCB3cm9uZw==' } },
		expect: {
			status: 401,
			json: { error: 'unauthorized', reason: 'signature_mismatch' },
			executions: 0,
		},
	},
	{
		name: 'standard webhooks: stale timestamp (10 min old) → 401, no execution',
		workflow: 'sw',
		send: () => ({ body: event('s4'), sign: { timestamp: now() - 600 } }),
		expect: { status: 401, json: { error: 'unauthorized', reason: /timestamp/ }, executions: 0 },
	},
	{
		name: 'standard webhooks: missing headers → 401, no execution',
		workflow: 'sw',
		send: { body: event('s5'), sign: false },
		expect: { status: 401, json: { error: 'unauthorized' }, executions: 0 },
	},
	{
		name: 'standard webhooks: same delivery again → 200 duplicate, no execution',
		workflow: 'sw',
		replay: 'sw-s1',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		name: 'standard webhooks: vendor retry (same webhook-id, new timestamp and signature) → duplicate',
		workflow: 'sw',
		send: () => ({ body: event('s1'), sign: { id: 'msg_e2e_s1', timestamp: now() - 5 } }),
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		name: 'standard webhooks: 100 concurrent copies of one delivery → 1 accepted, 99 duplicate, 1 execution',
		workflow: 'sw',
		run: async (t) => {
			const req = t.request('sw', { body: event('s6'), sign: { id: 'msg_e2e_s6' } });
			t.memo.set('sw-s6', req);
			await concurrentDuplicates(t, 'sw', req, 100);
		},
	},
	{
		name: 'standard webhooks: 20 concurrent distinct deliveries → 20 accepted, 20 executions',
		workflow: 'sw',
		run: async (t) => {
			const reqs = Array.from({ length: 20 }, (_, i) =>
				t.request('sw', { body: event(`c${i}`), sign: { id: `msg_e2e_c${i}` } }),
			);
			t.memo.set('sw-distinct', reqs);
			const results = await Promise.all(reqs.map((r) => t.send(r)));
			const ok = results.filter((r) => r.status === 200 && r.json?.status === 'accepted').length;
			check(
				ok === 20,
				`expected 20 accepted, got ${ok}: ${results.map((r) => `${r.status}:${r.json?.status}`).join(' ')}`,
			);
			const execs = await t.newExecutions('sw', 20);
			const ids = new Set(execs.flatMap((e) => e.items.map((i) => i.id)));
			check(ids.size === 20, `20 distinct events in the executions, got ${ids.size}`);
			t.note = `dedup keys in workflow static data now: ${await staticRingSize(t, 'sw')}`;
		},
	},

	// --- header token and Basic auth ----------------------------------------------------------
	{
		name: 'header token: right token → accepted',
		workflow: 'token',
		send: { body: event('k1') },
		expect: {
			status: 200,
			json: accepted,
			executions: 1,
			items: [{ id: 'k1', delivery: { verified: true, scheme: 'headerToken' } }],
		},
	},
	{
		name: 'header token: wrong token → 401, no execution',
		workflow: 'token',
		send: { body: event('k2'), sign: { token: 'nope' } },
		expect: { status: 401, json: { error: 'unauthorized' }, executions: 0 },
	},
	{
		name: 'basic auth: right user and password → accepted',
		workflow: 'basic',
		send: { body: event('b1') },
		expect: {
			status: 200,
			json: accepted,
			executions: 1,
			items: [{ id: 'b1', delivery: { verified: true, scheme: 'basicAuth' } }],
		},
	},
	{
		name: 'basic auth: wrong password → 401, no execution',
		workflow: 'basic',
		send: { body: event('b2'), sign: { password: 'nope' } },
		expect: { status: 401, json: { error: 'unauthorized' }, executions: 0 },
	},

	// --- event filter -------------------------------------------------------------------------
	{
		name: 'filter: selected event candidate.created → accepted',
		workflow: 'filter',
		send: { body: event('f1') },
		expect: {
			status: 200,
			json: accepted,
			executions: 1,
			items: [{ id: 'f1', event: 'candidate.created', delivery: { verified: false } }],
		},
	},
	{
		name: 'filter: event not selected (candidate.deleted) → 200 ignored, no execution',
		workflow: 'filter',
		send: { body: event('f2', 'candidate.deleted') },
		expect: { status: 200, json: { status: 'ignored' }, executions: 0 },
	},

	// --- body problems and methods ------------------------------------------------------------
	// n8n's own body parser rejects malformed application/json before the node runs (422).
	{
		name: "malformed JSON (application/json) → 422 from n8n's body parser, no execution",
		workflow: 'open',
		send: { body: '{"event_id": "m1", "type": ' },
		expect: { status: 422, json: { message: 'Failed to parse request body' }, executions: 0 },
	},
	{
		name: 'malformed JSON sent as text/plain → 400 malformed_json from the node, no execution',
		workflow: 'open',
		send: { body: '{"event_id": "m2", ', contentType: 'text/plain' },
		expect: { status: 400, json: { reason: 'malformed_json' }, executions: 0 },
	},
	{
		name: 'empty body → 400, no execution',
		workflow: 'open',
		send: { body: '' },
		expect: { status: 400, executions: 0 },
	},
	{
		name: 'GET on the production URL → 405, no execution',
		workflow: 'open',
		send: { method: 'GET', contentType: null },
		expect: { status: 405, executions: 0 },
	},
	{
		name: 'PUT (not registered by the trigger) → 404 from n8n, no execution',
		workflow: 'open',
		send: { method: 'PUT', body: event('p1') },
		expect: { status: 404, executions: 0 },
	},
	{
		name: 'oversized body (2 KiB, limit 0.001 MiB) → 413, no execution',
		workflow: 'small',
		send: { body: event('o1', 'candidate.created', { pad: 'x'.repeat(2048) }) },
		expect: { status: 413, executions: 0 },
	},
	{
		name: 'body under the small limit → accepted',
		workflow: 'small',
		send: { body: { event_id: 'o2', type: 'job.opened', data: { job: { id: 'j1' } } } },
		expect: {
			status: 200,
			json: accepted,
			executions: 1,
			items: [{ id: 'o2', event: 'job.opened' }],
		},
	},
	{
		name: 'top-level array of 3 events → 1 execution with 3 items',
		workflow: 'open',
		send: { body: [event('a1'), event('a2', 'job.opened'), event('a3', 'candidate.hired')] },
		expect: {
			status: 200,
			json: accepted,
			executions: 1,
			items: [
				{ id: 'a1' },
				{ id: 'a2', event: 'job.opened' },
				{ id: 'a3', event: 'candidate.hired' },
			],
		},
	},
	{
		name: 'dedup option off: same delivery twice → 2 executions',
		workflow: 'noDedup',
		run: async (t) => {
			const req = t.request('noDedup', { body: event('n1') });
			for (let i = 0; i < 2; i++)
				checkMatch(await t.send(req), { status: 200, json: accepted }, `send ${i + 1}`);
			await t.newExecutions('noDedup', 2);
		},
	},
	{
		name: 'no auth: 20 concurrent copies of one body (dedup by event_id) → 1 execution',
		workflow: 'open',
		run: async (t) => {
			const req = t.request('open', { body: event('x1') });
			t.memo.set('open-x1', req);
			await concurrentDuplicates(t, 'open', req);
		},
	},

	// --- after n8n restarted on the same user folder --------------------------------------------
	{
		phase: 'afterRestart',
		name: 'after restart: hmac delivery seen before → duplicate, no execution',
		workflow: 'hmac',
		replay: 'hmac-h1',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		phase: 'afterRestart',
		name: 'after restart: standard webhooks delivery seen before → duplicate, no execution',
		workflow: 'sw',
		replay: 'sw-s1',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		phase: 'afterRestart',
		name: 'after restart: delivery sent 100× concurrently before → duplicate',
		workflow: 'sw',
		replay: 'sw-s6',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		phase: 'afterRestart',
		name: 'after restart: unsigned-source body sent 20× concurrently before → duplicate',
		workflow: 'open',
		replay: 'open-x1',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		phase: 'afterRestart',
		name: 'after restart: the 20 distinct concurrent deliveries are all still known (no lost static-data updates)',
		workflow: 'sw',
		run: async (t) => {
			const results = [];
			for (const req of t.memo.get('sw-distinct')) results.push(await t.send(req));
			const dups = results.filter((r) => r.json?.status === 'duplicate').length;
			await t.newExecutions('sw', 20 - dups); // whatever was forgotten ran again; record it
			check(
				dups === 20,
				`${dups}/20 recognised as duplicates after the restart (${20 - dups} ran again)`,
			);
		},
	},
	{
		phase: 'afterRestart',
		name: 'after restart: a new event is still accepted',
		workflow: 'sw',
		send: { body: event('r1') },
		expect: { status: 200, json: accepted, executions: 1, items: 1 },
	},
];

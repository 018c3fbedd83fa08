// e2e for the SmartRecruiters Trigger (n8n-nodes-ats-webhooks.smartRecruitersTrigger) in a real
// n8n, against a local fake of the Webhooks Subscription API started by this file. The fake follows
// the documented contract (developers.smartrecruiters.com "Creating webhook subscriptions",
// "Activating webhook subscriptions", reference subscriptionsactivate-1 and
// subscriptionsgeneratesecretkey-1; docs/nodes/smartRecruitersTrigger.md): header X-SmartToken; POST
// /webhooks-api/v201907/subscriptions -> 201 {id, callbackUrl, events:[{name,version}], status:"inactive"};
// POST …/{id}/secret-key; PUT …/{id}/activation, which — like SmartRecruiters — POSTs
// `X-Hook-Secret: <random>` to the callback URL (here: the running n8n) and answers 204 only when
// the reply is 200 with the same header. Callbacks are signed as documented:
// v1 = hex(HMAC-SHA256(key, timestamp.body.event-id.event-name.event-version.link)), computed here
// with node:crypto, independently of the package's code.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqlite } from '../../../scripts/n8n/lib/runtime.mjs';
import { check, checkMatch, sleep, readJsonBody } from '../harness.mjs';

const NODE = 'smartRecruitersTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/smartrecruiters',
);
const fixture = (name) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
const API_KEY = 'e2e-smartrecruiters-api-key';
const VENDOR = fixture('application.created');

// ---- the fake Webhooks Subscription API -------------------------------------------------------------
const subscriptions = new Map(); // id -> {id, callbackUrl, events, status, secretKeys, handshakes: [{status, echoed, sent}]}
const calls = [];
const fake = http.createServer(async (req, res) => {
	const body = await readJsonBody(req);
	const url = new URL(req.url, 'http://127.0.0.1');
	calls.push({ method: req.method, path: url.pathname, token: req.headers['x-smarttoken'], body });
	const send = (status, payload) => {
		res.writeHead(status, payload === undefined ? {} : { 'content-type': 'application/json' });
		res.end(payload === undefined ? undefined : JSON.stringify(payload));
	};
	if (req.headers['x-smarttoken'] !== API_KEY)
		return send(401, { message: 'Invalid X-SmartToken' });
	const base = '/webhooks-api/v201907/subscriptions';
	const view = (s) => ({
		id: s.id,
		callbackUrl: s.callbackUrl,
		events: s.events,
		status: s.status,
	});
	if (req.method === 'POST' && url.pathname === base) {
		if (!body.callbackUrl || !Array.isArray(body.events) || body.events.length === 0)
			return send(400, { message: 'callbackUrl and events are required' });
		const s = {
			id: randomBytes(8).toString('hex'),
			callbackUrl: body.callbackUrl,
			events: body.events.map((name) => ({ name, version: '1.0.0' })),
			status: 'inactive',
			secretKeys: [],
			handshakes: [],
		};
		subscriptions.set(s.id, s);
		return send(201, view(s));
	}
	if (req.method === 'GET' && url.pathname === base)
		return send(200, {
			content: [...subscriptions.values()].map(view),
			totalFound: subscriptions.size,
		});
	const m = /^\/webhooks-api\/v201907\/subscriptions\/([^/]+)(\/secret-key|\/activation)?$/.exec(
		url.pathname,
	);
	const s = m && subscriptions.get(m[1]);
	if (!s) return send(404, { message: 'Subscription not found' });
	if (!m[2] && req.method === 'GET') return send(200, view(s));
	if (!m[2] && req.method === 'DELETE')
		return subscriptions.delete(s.id) ? send(204) : send(404, { message: 'not found' });
	if (m[2] === '/secret-key' && req.method === 'POST') {
		const secretKey = randomBytes(16).toString('base64url');
		s.secretKeys.push(secretKey);
		return send(201, { secretKey });
	}
	if (m[2] === '/activation' && req.method === 'PUT') {
		const sent = randomBytes(8).toString('hex');
		try {
			const r = await fetch(s.callbackUrl, {
				method: 'POST',
				headers: { 'X-Hook-Secret': sent },
				signal: AbortSignal.timeout(20_000),
			});
			await r.text();
			s.handshakes.push({ sent, status: r.status, echoed: r.headers.get('x-hook-secret') });
		} catch (error) {
			s.handshakes.push({ sent, status: String(error.cause?.code ?? error.message) });
		}
		const last = s.handshakes.at(-1);
		if (last.status !== 200 || last.echoed !== sent)
			return send(400, {
				message: 'The callback did not answer the handshake with 200 and the same X-Hook-Secret',
			});
		s.status = 'active';
		return send(204);
	}
	return send(405, { message: 'Method not allowed' });
});
await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
fake.unref();
const apiRoot = `http://127.0.0.1:${fake.address().port}`;
/** create() runs next to the webhook being served: wait until it finished (active, key saved). */
async function waitForActivation(t, key) {
	const started = Date.now();
	for (;;) {
		const [row] = await sqlite(t.instance, 'select staticData from workflow_entity where id = ?', [
			t.workflow(key).id,
		]);
		const saved =
			Object.values(JSON.parse(row?.staticData || '{}')).find(
				(v) => v && v.smartRecruitersSubscriptions,
			)?.smartRecruitersSubscriptions?.subscriptions ?? [];
		const active = [...subscriptions.values()].filter((s) => s.status === 'active');
		if (active.length >= 1 && saved.length >= 1) return Date.now() - started;
		if (Date.now() - started > 30_000)
			throw new Error(`after 30 s: ${active.length} active subscriptions, ${saved.length} saved`);
		await sleep(200);
	}
}
const theSubscription = () => {
	const all = [...subscriptions.values()];
	check(all.length === 1, `the fake holds ${all.length} subscriptions`);
	return all[0];
};

// ---- the suite ------------------------------------------------------------------------------------
export const credentials = [
	{
		id: 'e2eSrApiKey00001',
		name: 'e2e SmartRecruiters API (local fake)',
		type: 'smartRecruitersApi',
		data: { apiKey: API_KEY, environment: 'custom', baseUrl: apiRoot },
	},
	{
		id: 'e2eSrVendorKey01',
		name: "e2e SmartRecruiters key of the vendor's example",
		type: 'atsWebhookSigningSecretApi',
		data: { secret: VENDOR.secretKey, previousSecret: '' },
	},
];

const EVENTS = ['application.created', 'application.status.updated', 'job.created'];
export const workflows = {
	main: {
		id: 'e2eSrMain0000001',
		nodeType: NODE,
		parameters: { registration: 'api', events: EVENTS, additionalEvents: '', options: {} },
		credentials: { smartRecruitersApi: 'e2eSrApiKey00001' },
	},
	// The vendor's published example carries a 2019 timestamp: replay window off for this one workflow.
	vendor: {
		id: 'e2eSrVendor00001',
		nodeType: NODE,
		parameters: {
			registration: 'manual',
			events: [],
			additionalEvents: '',
			options: { toleranceSeconds: 0 },
		},
		credentials: { atsWebhookSigningSecretApi: 'e2eSrVendorKey01' },
	},
};

/** A fixture as SmartRecruiters sends it now: its headers, a new event-id unless given, v1 signature. */
function callbackRequest(t, key, name, { secret, eventId, timestamp } = {}) {
	const f = fixture(name);
	const headers = {
		...f.headers,
		'event-id': eventId ?? randomUUID(),
		'smartrecruiters-timestamp': String(timestamp ?? Math.floor(Date.now() / 1000)),
	};
	const signed = [
		headers['smartrecruiters-timestamp'],
		f.body,
		headers['event-id'],
		headers['event-name'],
		headers['event-version'],
		headers.link,
	].join('.');
	headers['smartrecruiters-signature'] = `v1=${createHmac(
		'sha256',
		secret ?? theSubscription().secretKeys.at(-1),
	)
		.update(signed)
		.digest('hex')}`;
	return { ...t.request(key, { body: f.body, sign: false }), headers };
}

async function sendAndCount(t, key, req, expect) {
	const res = await t.send(req);
	check(
		res.status === expect.status,
		`HTTP ${res.status} (expected ${expect.status}): ${res.text.slice(0, 300)}`,
	);
	if (expect.json) checkMatch(res.json, expect.json, 'response body');
	if (expect.headers) checkMatch(res.headers, expect.headers, 'response headers');
	const execs = await t.newExecutions(key, expect.executions);
	for (const e of execs) check(e.status === 'success', `execution #${e.id} ended ${e.status}`);
	if (expect.items) checkMatch(execs[0]?.items, expect.items, 'items');
	return res;
}

export const cases = [
	{
		name: 'publishing created one subscription for the selected events, generated its key, passed the X-Hook-Secret handshake and activated it',
		workflow: 'main',
		run: async (t) => {
			await waitForActivation(t, 'main');
			const s = theSubscription();
			check(s.callbackUrl === t.url('main'), `callbackUrl ${s.callbackUrl} vs ${t.url('main')}`);
			check(s.events.map((e) => e.name).join() === EVENTS.join(), JSON.stringify(s.events));
			check(s.secretKeys.length === 1, `secret keys generated: ${s.secretKeys.length}`);
			check(
				s.handshakes.length === 1 &&
					s.handshakes[0].status === 200 &&
					s.handshakes[0].echoed === s.handshakes[0].sent,
				`handshake during activation: ${JSON.stringify(s.handshakes)}`,
			);
			check(s.status === 'active', `status ${s.status}`);
			const order = calls
				.map((c) => `${c.method} ${c.path.replace(s.id, ':id')}`)
				.filter((c) => !c.startsWith('GET'));
			check(
				order.join(' | ') ===
					'POST /webhooks-api/v201907/subscriptions | POST /webhooks-api/v201907/subscriptions/:id/secret-key | PUT /webhooks-api/v201907/subscriptions/:id/activation',
				order.join(' | '),
			);
			await t.newExecutions('main', 0);
		},
	},
	{
		name: 'a handshake POST with X-Hook-Secret → 200 echoing the same X-Hook-Secret, no execution',
		workflow: 'main',
		run: async (t) => {
			const req = {
				...t.request('main', { body: '', contentType: null, sign: false }),
				headers: { 'X-Hook-Secret': '4jn8fs9011jj8' },
			};
			await sendAndCount(t, 'main', req, {
				status: 200,
				headers: { 'x-hook-secret': '4jn8fs9011jj8' },
				executions: 0,
			});
		},
	},
	{
		name: 'application.created signed with the generated key → 202, 1 execution with the canonical event',
		workflow: 'main',
		run: async (t) => {
			const req = callbackRequest(t, 'main', 'application.created', { eventId: 'e2e-sr-evt-1' });
			t.memo.set('sr-evt-1', req);
			await sendAndCount(t, 'main', req, {
				status: 202,
				json: { status: 'accepted', events: 1 },
				executions: 1,
				items: [
					{
						id: 'e2e-sr-evt-1',
						source: 'smartrecruiters',
						event: 'application.created',
						sourceEvent: 'application.created',
						subject: {
							type: 'application',
							id: 'jid:cid',
							url: 'http://smartrecruiters.com/endpoint',
						},
						candidate: { id: 'cid' },
						job: { id: 'jid' },
						delivery: { id: 'e2e-sr-evt-1', verified: true, scheme: 'vendor' },
						payload: { job_id: 'jid', candidate_id: 'cid' },
					},
				],
			});
		},
	},
	{
		name: 'application.status.updated → 202, 1 execution with application.stage_changed',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(t, 'main', callbackRequest(t, 'main', 'application.status.updated'), {
				status: 202,
				executions: 1,
				items: [{ event: 'application.stage_changed', application: { id: 'jid:cid' } }],
			}),
	},
	{
		name: 'the same event-id again, re-signed with a new timestamp (a retry) → 202 duplicate, no execution',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(
				t,
				'main',
				callbackRequest(t, 'main', 'application.created', {
					eventId: 'e2e-sr-evt-1',
					timestamp: Math.floor(Date.now() / 1000) + 1,
				}),
				{ status: 202, json: { status: 'duplicate' }, executions: 0 },
			),
	},
	{
		name: 'signed with another key → 401 signature_mismatch, no execution',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(
				t,
				'main',
				callbackRequest(t, 'main', 'job.created', { secret: 'not-our-key' }),
				{ status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
			),
	},
	{
		name: 'body changed after signing → 401, no execution',
		workflow: 'main',
		run: async (t) => {
			const req = callbackRequest(t, 'main', 'job.created');
			req.body = req.body.replace('3fa85f64', '00000000');
			await sendAndCount(t, 'main', req, {
				status: 401,
				json: { reason: 'signature_mismatch' },
				executions: 0,
			});
		},
	},
	{
		name: 'correctly signed but 1 h old → 401, no execution',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(
				t,
				'main',
				callbackRequest(t, 'main', 'job.created', {
					timestamp: Math.floor(Date.now() / 1000) - 3600,
				}),
				{ status: 401, json: { reason: 'timestamp_too_old' }, executions: 0 },
			),
	},
	{
		name: "the vendor's published example request, byte for byte, verifies with the vendor's key → 202, 1 execution",
		workflow: 'vendor',
		run: async (t) => {
			const req = {
				...t.request('vendor', { body: VENDOR.body, sign: false }),
				headers: { ...VENDOR.headers },
			};
			await sendAndCount(t, 'vendor', req, {
				status: 202,
				executions: 1,
				items: [{ id: '123', event: 'application.created', delivery: { verified: true } }],
			});
		},
	},
	{
		name: 'after a restart the generated key still verifies and no subscription was created again',
		phase: 'afterRestart',
		workflow: 'main',
		run: async (t) => {
			await sendAndCount(t, 'main', callbackRequest(t, 'main', 'job.created'), {
				status: 202,
				executions: 1,
				items: [{ event: 'job.created' }],
			});
			check(
				subscriptions.size === 1 && theSubscription().status === 'active',
				`subscriptions: ${subscriptions.size}`,
			);
		},
	},
];

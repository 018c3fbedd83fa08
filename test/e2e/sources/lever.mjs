// e2e for the Lever Trigger (n8n-nodes-ats-webhooks.leverTrigger) in a real n8n, against a local
// fake of Lever's webhook API started by this file (before n8n starts, so the credential can name
// its URL). The fake follows the documented contract (hire.lever.co/developer/documentation,
// "Webhooks via the API"; docs/nodes/leverTrigger.md): HTTP Basic with the API key as user and an empty
// password; GET /v1/webhooks -> {data, hasNext}; POST /v1/webhooks {url, event, configuration?} ->
// 201 {data: {data: {id, event, url, configuration: {signatureToken}}}} (the doc's double nesting);
// DELETE /v1/webhooks/:id -> 204. Deliveries are signed the way the docs' JavaScript sample checks
// them: signature = hex(HMAC-SHA256(signatureToken, token + triggeredAt)) in the BODY, computed here
// with node:crypto, independently of the package's code.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqlite } from '../../../scripts/n8n/lib/runtime.mjs';
import { check, checkMatch, sleep, readJsonBody } from '../harness.mjs';

const NODE = 'leverTrigger';
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/lever');
const fixtureBody = (name) =>
	JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')).body;
const API_KEY = 'e2e-lever-api-key';
const MANUAL_TOKEN = 'e2e-lever-token-from-the-settings-page';

// ---- the fake Lever API ---------------------------------------------------------------------------
const webhooks = new Map(); // id -> {id, url, event, configuration: {signatureToken, conditions?}}
const calls = [];
const fake = http.createServer(async (req, res) => {
	const body = await readJsonBody(req);
	const url = new URL(req.url, 'http://127.0.0.1');
	calls.push({
		method: req.method,
		path: url.pathname,
		authorization: req.headers.authorization,
		body,
	});
	const send = (status, payload) => {
		res.writeHead(status, payload === undefined ? {} : { 'content-type': 'application/json' });
		res.end(payload === undefined ? undefined : JSON.stringify(payload));
	};
	if (req.headers.authorization !== `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`)
		return send(401, { code: 'Unauthorized', message: 'A valid API key was not provided' });
	if (req.method === 'GET' && url.pathname === '/v1/webhooks') {
		return send(200, {
			data: [...webhooks.values()].map(
				({ configuration: { signatureToken: _t, ...config }, ...w }) => ({
					...w,
					configuration: config,
				}),
			),
			hasNext: false,
		});
	}
	if (req.method === 'POST' && url.pathname === '/v1/webhooks') {
		if (!body.url || !body.event)
			return send(400, { code: 'BadRequest', message: 'url and event are required' });
		const hook = {
			id: randomUUID(),
			url: body.url,
			event: body.event,
			createdAt: Date.now(),
			configuration: {
				...(body.configuration ?? {}),
				signatureToken: randomBytes(24).toString('hex'),
			},
		};
		webhooks.set(hook.id, hook);
		return send(201, { data: { data: hook } });
	}
	const m = /^\/v1\/webhooks\/([^/]+)$/.exec(url.pathname);
	if (req.method === 'DELETE' && m)
		return webhooks.delete(m[1])
			? send(204)
			: send(404, { code: 'ResourceNotFound', message: 'not found' });
	return send(404, { code: 'ResourceNotFound', message: 'unknown action' });
});
await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
fake.unref();
const apiRoot = `http://127.0.0.1:${fake.address().port}/v1`;
const held = (event) => [...webhooks.values()].find((w) => w.event === event);

/**
 * n8n serves a production webhook as soon as it is registered and runs create() next to that, so
 * the first case can start while the webhooks are still being created: wait for create() to finish
 * (all webhooks at the fake and the tokens saved in static data) before sending anything.
 */
async function waitForActivation(t, key, count) {
	const started = Date.now();
	for (;;) {
		const [row] = await sqlite(t.instance, 'select staticData from workflow_entity where id = ?', [
			t.workflow(key).id,
		]);
		const saved =
			Object.values(JSON.parse(row?.staticData || '{}')).find((v) => v && v.leverWebhooks)
				?.leverWebhooks?.webhooks ?? [];
		if (webhooks.size >= count && saved.length >= count) return Date.now() - started;
		if (Date.now() - started > 30_000)
			throw new Error(
				`after 30 s: ${webhooks.size} webhooks at the fake, ${saved.length} tokens saved`,
			);
		await sleep(200);
	}
}

// ---- the suite ------------------------------------------------------------------------------------
export const credentials = [
	{
		id: 'e2eLeverApiKey01',
		name: 'e2e Lever API (local fake)',
		type: 'leverApi',
		data: { apiKey: API_KEY, environment: 'custom', baseUrl: apiRoot },
	},
	{
		id: 'e2eLeverToken001',
		name: 'e2e Lever signature token',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: MANUAL_TOKEN, previousSecret: '' },
	},
];

const EVENTS = ['candidateStageChange', 'candidateHired', 'applicationCreated'];
export const workflows = {
	main: {
		id: 'e2eLeverMain0001',
		nodeType: NODE,
		parameters: {
			registration: 'api',
			events: EVENTS,
			options: { origins: ['applied', 'sourced'] },
		},
		credentials: { leverApi: 'e2eLeverApiKey01' },
	},
	manual: {
		id: 'e2eLeverManual01',
		nodeType: NODE,
		parameters: { registration: 'manual', events: [], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eLeverToken001' },
	},
};

/** A documented fixture as Lever sends it now: fresh token and triggeredAt, signature in the body. */
function leverBody(name, signatureToken, overrides = {}) {
	const { signature: _s, ...rest } = fixtureBody(name);
	const body = {
		...rest,
		triggeredAt: Date.now(),
		token: randomBytes(24).toString('hex'),
		...overrides,
	};
	body.signature = createHmac('sha256', signatureToken)
		.update(`${body.token}${body.triggeredAt}`)
		.digest('hex');
	return JSON.stringify(body);
}

const post = (t, key, raw) => ({
	...t.request(key, { body: raw, sign: false }),
	headers: { 'content-type': 'application/json', 'user-agent': 'Lever-Webhooks' },
});

async function sendAndCount(t, key, req, expect) {
	const res = await t.send(req);
	check(
		res.status === expect.status,
		`HTTP ${res.status} (expected ${expect.status}): ${res.text.slice(0, 300)}`,
	);
	if (expect.json) checkMatch(res.json, expect.json, 'response body');
	const execs = await t.newExecutions(key, expect.executions);
	for (const e of execs) check(e.status === 'success', `execution #${e.id} ended ${e.status}`);
	if (expect.items) checkMatch(execs[0]?.items, expect.items, 'items');
	return res;
}

const token = (event) => {
	const hook = held(event);
	check(hook, `the fake Lever holds no ${event} webhook`);
	return hook.configuration.signatureToken;
};

export const cases = [
	{
		name: 'publishing created exactly one Lever webhook per selected event at the production URL (Basic auth, origins condition)',
		workflow: 'main',
		run: async (t) => {
			await waitForActivation(t, 'main', EVENTS.length);
			const all = [...webhooks.values()];
			check(
				all.length === EVENTS.length,
				`the fake holds ${all.length} webhooks: ${JSON.stringify(all.map((w) => w.event))}`,
			);
			check(
				all
					.map((w) => w.event)
					.sort()
					.join() === [...EVENTS].sort().join(),
				JSON.stringify(all.map((w) => w.event)),
			);
			check(
				all.every((w) => w.url === t.url('main')),
				`url ${all[0]?.url} vs ${t.url('main')}`,
			);
			check(
				all.every(
					(w) => JSON.stringify(w.configuration.conditions) === '{"origins":["applied","sourced"]}',
				),
				JSON.stringify(all.map((w) => w.configuration)),
			);
			check(
				calls.filter((c) => c.method === 'POST').length === EVENTS.length,
				`POST calls: ${calls.filter((c) => c.method === 'POST').length}`,
			);
			await t.newExecutions('main', 0);
		},
	},
	{
		name: 'candidateStageChange (doc example) signed with its webhook token → 200, 1 execution with application.stage_changed',
		workflow: 'main',
		run: async (t) => {
			const raw = leverBody('candidateStageChange', token('candidateStageChange'));
			t.memo.set('lever-stage', raw);
			await sendAndCount(t, 'main', post(t, 'main', raw), {
				status: 200,
				json: { status: 'accepted', events: 1 },
				executions: 1,
				items: [
					{
						source: 'lever',
						event: 'application.stage_changed',
						sourceEvent: 'candidateStageChange',
						subject: { type: 'application', id: '3410c8b9-5c31-4bab-b7e9-9f710206d647' },
						application: {
							id: '3410c8b9-5c31-4bab-b7e9-9f710206d647',
							stage: '7c2690d8-6308-4ed9-ae2a-cbfe7db26593',
							previousStage: '992f01a9-ee19-41d2-ae79-1040701b195c',
						},
						delivery: { id: JSON.parse(raw).token, verified: true, scheme: 'vendor' },
						payload: {
							event: 'candidateStageChange',
							data: fixtureBody('candidateStageChange').data,
						},
					},
				],
			});
		},
	},
	{
		name: 'candidateHired with an event id → 1 execution with candidate.hired; the same id re-sent with a new token → 200 duplicate',
		workflow: 'main',
		run: async (t) => {
			const id = randomUUID();
			await sendAndCount(
				t,
				'main',
				post(t, 'main', leverBody('candidateHired', token('candidateHired'), { id })),
				{
					status: 200,
					executions: 1,
					items: [{ id, event: 'candidate.hired', subject: { type: 'candidate' } }],
				},
			);
			await sendAndCount(
				t,
				'main',
				post(t, 'main', leverBody('candidateHired', token('candidateHired'), { id })),
				{ status: 200, json: { status: 'duplicate' }, executions: 0 },
			);
		},
	},
	{
		name: 'the same delivery again (Lever retry) → 200 duplicate, no execution',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(t, 'main', post(t, 'main', t.memo.get('lever-stage')), {
				status: 200,
				json: { status: 'duplicate' },
				executions: 0,
			}),
	},
	{
		name: "Lever's test request (data: {}) → 200, no execution",
		workflow: 'main',
		run: async (t) =>
			sendAndCount(
				t,
				'main',
				post(t, 'main', leverBody('test_candidateHired', token('candidateHired'))),
				{ status: 200, json: { reason: 'ping' }, executions: 0 },
			),
	},
	{
		name: 'signed with another token → 401 signature_mismatch, no execution',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(
				t,
				'main',
				post(t, 'main', leverBody('candidateStageChange', 'not-a-token-lever-gave-us')),
				{ status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
			),
	},
	{
		name: 'no signature in the body → 401 missing_signature, no execution',
		workflow: 'main',
		run: async (t) => {
			const body = JSON.parse(leverBody('candidateStageChange', token('candidateStageChange')));
			delete body.signature;
			await sendAndCount(t, 'main', post(t, 'main', JSON.stringify(body)), {
				status: 401,
				json: { reason: 'missing_signature' },
				executions: 0,
			});
		},
	},
	{
		name: 'a captured signature replayed with altered data → 401 token_replayed, no execution',
		workflow: 'main',
		run: async (t) => {
			const original = JSON.parse(t.memo.get('lever-stage'));
			const forged = {
				...original,
				id: randomUUID(),
				data: { ...original.data, toStageId: 'offer' },
			};
			await sendAndCount(t, 'main', post(t, 'main', JSON.stringify(forged)), {
				status: 401,
				json: { reason: 'token_replayed' },
				executions: 0,
			});
		},
	},
	{
		name: 'correctly signed but triggeredAt 1 h old → 401, no execution',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(
				t,
				'main',
				post(
					t,
					'main',
					leverBody('applicationCreated', token('applicationCreated'), {
						triggeredAt: Date.now() - 3_600_000,
					}),
				),
				{ status: 401, json: { reason: 'timestamp_too_old' }, executions: 0 },
			),
	},
	{
		name: 'manual registration: signed with the token in the credential → 1 execution with candidate.updated',
		workflow: 'manual',
		run: async (t) =>
			sendAndCount(t, 'manual', post(t, 'manual', leverBody('contactUpdated', MANUAL_TOKEN)), {
				status: 200,
				executions: 1,
				items: [
					{
						event: 'candidate.updated',
						subject: { type: 'candidate', id: '05c248f9-ccb1-435f-bab5-0ec608aec263' },
					},
				],
			}),
	},
	{
		name: 'manual registration: a token of another webhook → 401, no execution',
		workflow: 'manual',
		run: async (t) =>
			sendAndCount(
				t,
				'manual',
				post(t, 'manual', leverBody('contactUpdated', token('candidateHired'))),
				{ status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
			),
	},
	{
		name: 'after a restart the stored signature tokens still verify, and no webhook was created again',
		phase: 'afterRestart',
		workflow: 'main',
		run: async (t) => {
			await sendAndCount(
				t,
				'main',
				post(t, 'main', leverBody('applicationCreated', token('applicationCreated'))),
				{ status: 200, executions: 1, items: [{ event: 'application.created' }] },
			);
			check(webhooks.size === EVENTS.length, `the fake holds ${webhooks.size} webhooks`);
		},
	},
];

// e2e for the Ashby Trigger (n8n-nodes-ats-webhooks.ashbyTrigger) in a real n8n, against a local
// fake of Ashby's API started by this file (before n8n starts, so the credential can name its URL).
// The fake follows Ashby's documented contract: every endpoint POST + JSON, HTTP Basic auth with the
// API key as user name (developers.ashbyhq.com/reference/authentication); webhook.create
// {webhookType, requestUrl, secretToken} → {success, results: {id, enabled, ...}}; webhook.info /
// webhook.delete {webhookId}; errors as 200 + success:false (/docs/responses); and, like Ashby, a
// signed ping {"action":"ping","data":{"webhookActionType":"ping"}} to the URL on create, the
// webhook being created disabled when the answer is an error (/docs/setting-up-webhooks).
// Deliveries are signed `Ashby-Signature: sha256=<hex>` with the secretToken n8n gave the fake.
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, checkMatch, sleep, readJsonBody } from '../harness.mjs';
import { sqlite } from '../../../scripts/n8n/lib/runtime.mjs';

const NODE = 'ashbyTrigger';
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/ashby');
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
const API_KEY = 'e2e-ashby-api-key';
const sign = (secret, raw) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

// ---- the fake Ashby API -------------------------------------------------------------------------
const webhooks = new Map(); // id -> {id, webhookType, requestUrl, secretToken, enabled, pings: [status]}
const calls = [];
const fake = http.createServer(async (req, res) => {
	const body = await readJsonBody(req);
	calls.push({ path: req.url, authorization: req.headers.authorization, body });
	const send = (status, payload) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(payload));
	};
	if (req.headers.authorization !== `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`)
		return send(401, {
			success: false,
			errorInfo: { code: 'unauthenticated', message: 'Invalid API key' },
		});
	if (req.method !== 'POST') return send(404, { success: false });
	const notFound = {
		success: false,
		errorInfo: { code: 'webhook_not_found', message: 'Webhook not found' },
	};
	switch (req.url) {
		case '/webhook.create': {
			if (!body.webhookType || !body.requestUrl || !body.secretToken)
				return send(200, {
					success: false,
					errorInfo: {
						code: 'invalid_input',
						message: 'webhookType, requestUrl and secretToken are required',
					},
				});
			const hook = {
				id: randomUUID(),
				webhookType: body.webhookType,
				requestUrl: body.requestUrl,
				secretToken: body.secretToken,
				enabled: true,
				pings: [],
			};
			// Like Ashby: ping the URL now; "any code >400" (or no answer) creates the webhook disabled.
			const ping = JSON.stringify({ action: 'ping', data: { webhookActionType: 'ping' } });
			try {
				const r = await fetch(hook.requestUrl, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						'ashby-signature': sign(hook.secretToken, ping),
					},
					body: ping,
					signal: AbortSignal.timeout(10_000),
				});
				hook.pings.push(r.status);
				hook.enabled = r.status <= 400;
			} catch (error) {
				hook.pings.push(String(error.cause?.code ?? error.message));
				hook.enabled = false;
			}
			webhooks.set(hook.id, hook);
			return send(200, {
				success: true,
				results: {
					id: hook.id,
					enabled: hook.enabled,
					requestUrl: hook.requestUrl,
					secretToken: hook.secretToken,
					webhookType: hook.webhookType,
				},
			});
		}
		case '/webhook.info': {
			const hook = webhooks.get(body.webhookId);
			return hook
				? send(200, {
						success: true,
						results: {
							id: hook.id,
							enabled: hook.enabled,
							requestUrl: hook.requestUrl,
							webhookType: hook.webhookType,
						},
					})
				: send(200, notFound);
		}
		case '/webhook.update': {
			const hook = webhooks.get(body.webhookId);
			if (!hook) return send(200, notFound);
			if (typeof body.enabled === 'boolean') hook.enabled = body.enabled;
			return send(200, {
				success: true,
				results: {
					id: hook.id,
					enabled: hook.enabled,
					requestUrl: hook.requestUrl,
					webhookType: hook.webhookType,
					secretToken: hook.secretToken,
				},
			});
		}
		case '/webhook.delete':
			return webhooks.delete(body.webhookId)
				? send(200, { success: true, results: { webhookId: body.webhookId } })
				: send(200, notFound);
		default:
			return send(404, {
				success: false,
				errorInfo: { code: 'not_found', message: 'No such endpoint' },
			});
	}
});
await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
fake.unref();
const base = `http://127.0.0.1:${fake.address().port}`;
const held = (type) => [...webhooks.values()].find((w) => w.webhookType === type);

// ---- the suite ----------------------------------------------------------------------------------
export const credentials = [
	{
		id: 'e2eAshbyApiKey01',
		name: 'e2e Ashby API (local fake)',
		type: 'ashbyApi',
		data: { apiKey: API_KEY, useCustomBaseUrl: true, baseUrl: base },
	},
];

export const workflows = {
	main: {
		id: 'e2eAshbyMain0001',
		nodeType: NODE,
		parameters: { events: ['candidateStageChange', 'candidateHire'], options: {} },
		credentials: { ashbyApi: 'e2eAshbyApiKey01' },
	},
};

/** Wait until create() made both webhooks and n8n saved the secret it generated (static data). */
async function activationDone(t) {
	const id = t.workflow('main').id;
	for (let i = 0; i < 150; i++) {
		const [row] = await sqlite(t.instance, 'select staticData from workflow_entity where id = ?', [
			id,
		]);
		if (webhooks.size >= 2 && String(row?.staticData ?? '').includes('webhookSecret')) return;
		await sleep(200);
	}
	throw new Error(
		`activation did not finish: ${webhooks.size} webhooks at the fake, static data without webhookSecret`,
	);
}

/** A delivery as Ashby sends it: signed with the secretToken the trigger registered for that type. */
const delivery = (t, name, { secret } = {}) => {
	const raw = text(name);
	const hook = held(json(name).action);
	check(hook, `the fake Ashby holds no ${json(name).action} webhook`);
	return {
		...t.request('main', { body: raw, sign: false }),
		headers: {
			'content-type': 'application/json',
			'ashby-signature': sign(secret ?? hook.secretToken, raw),
		},
	};
};

const sendAndCount = async (t, req, expect) => {
	const res = await t.send(req);
	check(
		res.status === expect.status,
		`HTTP ${res.status} (expected ${expect.status}): ${res.text.slice(0, 300)}`,
	);
	if (expect.json) checkMatch(res.json, expect.json, 'response body');
	const execs = await t.newExecutions('main', expect.executions);
	for (const e of execs) check(e.status === 'success', `execution #${e.id} ended ${e.status}`);
	if (expect.items) checkMatch(execs[0]?.items, expect.items, 'items');
	return res;
};

export const cases = [
	{
		name: 'publishing created exactly one Ashby webhook per selected event, at the production URL, Basic auth, one secret; each enabled',
		workflow: 'main',
		run: async (t) => {
			// n8n serves the production URL before create() has finished and its static data is saved.
			await activationDone(t);
			const all = [...webhooks.values()];
			check(
				all.length === 2,
				`the fake holds ${all.length} webhooks: ${JSON.stringify(all.map((w) => w.webhookType))}`,
			);
			check(
				all
					.map((w) => w.webhookType)
					.sort()
					.join() === 'candidateHire,candidateStageChange',
				JSON.stringify(all.map((w) => w.webhookType)),
			);
			check(
				all.every((w) => w.requestUrl === t.url('main')),
				`requestUrl ${all[0]?.requestUrl} vs ${t.url('main')}`,
			);
			check(
				all.every(
					(w) => /^[0-9a-f]{64}$/.test(w.secretToken) && w.secretToken === all[0].secretToken,
				),
				'one generated 64-hex secret for all',
			);
			check(
				all.every((w) => w.enabled),
				`webhooks disabled: ${JSON.stringify(all.map((w) => [w.webhookType, w.enabled, w.pings]))}`,
			);
			t.note = `pings during create(): ${JSON.stringify(all.map((w) => w.pings))}; webhook.update calls: ${calls.filter((c) => c.path === '/webhook.update').length}`;
			await t.newExecutions('main', 0);
		},
	},
	{
		name: 'the ping Ashby sends while create() runs got 200 (answered before the signature check), no execution',
		workflow: 'main',
		run: async (t) => {
			const pings = [...webhooks.values()].flatMap((w) => w.pings);
			check(
				pings.length === 2 && pings.every((p) => p === 200),
				`ping answers: ${JSON.stringify(pings)}`,
			);
			await t.newExecutions('main', 0);
		},
	},
	{
		name: 'candidateStageChange signed with the registered secret → 200, 1 execution with application.stage_changed',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(t, delivery(t, 'candidateStageChange'), {
				status: 200,
				json: { status: 'accepted', events: 1 },
				executions: 1,
				items: [
					{
						source: 'ashby',
						event: 'application.stage_changed',
						sourceEvent: 'candidateStageChange',
						application: { stage: 'Technical Interview' },
						delivery: { id: '75395d87-4044-4dc4-bc29-0cec185e5f06', verified: true },
						payload: json('candidateStageChange'),
					},
				],
			}),
	},
	{
		name: 'candidateHire → 1 execution with candidate.hired',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(t, delivery(t, 'candidateHire'), {
				status: 200,
				executions: 1,
				items: [{ event: 'candidate.hired', subject: { type: 'candidate' } }],
			}),
	},
	{
		name: 'the same webhookActionId again (Ashby retry) → 200 duplicate, no execution',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(t, delivery(t, 'candidateHire'), {
				status: 200,
				json: { status: 'duplicate' },
				executions: 0,
			}),
	},
	{
		name: 'a delivery signed with another secret → 401, no execution',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(t, delivery(t, 'candidateStageChange', { secret: 'f'.repeat(64) }), {
				status: 401,
				json: { reason: 'signature_mismatch' },
				executions: 0,
			}),
	},
	{
		name: 'an unsigned event → 401, no execution',
		workflow: 'main',
		send: { body: text('candidateHire'), sign: false },
		expect: { status: 401, json: { reason: 'missing_signature' }, executions: 0 },
	},
	{
		name: 'after a restart the stored secret still verifies (static data written by create() was saved)',
		phase: 'afterRestart',
		workflow: 'main',
		run: async (t) => {
			const raw = text('applicationUpdate')
				.replace('75395d87-4044-4dc4-bc29-0cec185e5f06', randomUUID())
				.replace('"applicationUpdate"', '"candidateStageChange"');
			const req = {
				...t.request('main', { body: raw, sign: false }),
				headers: {
					'content-type': 'application/json',
					'ashby-signature': sign(held('candidateStageChange').secretToken, raw),
				},
			};
			await sendAndCount(t, req, {
				status: 200,
				executions: 1,
				items: [{ event: 'application.stage_changed' }],
			});
			check([...webhooks.values()].length === 2, 'no webhook was created again on restart');
		},
	},
];

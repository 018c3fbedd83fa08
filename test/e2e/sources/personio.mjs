// e2e for the Personio Trigger (n8n-nodes-ats-webhooks.personioTrigger) in a real n8n, against a
// local fake of Personio's API v2 started by this file (before n8n starts, so the credential can
// name its URL). The fake follows the documented contract: `POST /v2/auth/token` (form-encoded
// client credentials → access_token, https://developer.personio.de/reference/post_v2-auth-token);
// `POST /v2/webhooks` {url, description, status, auth_type, token, enabled_events} → 201,
// `GET /v2/webhooks[/{id}]`, `DELETE /v2/webhooks/{id}` → 204 / 404
// (https://developer.personio.de/reference/post_v2-webhooks and neighbours). Deliveries carry the
// token create() registered, "this exact value in the Authorization header"; envelope
// {company_id, event_name, occurred_at, payload, meta} (https://developer.personio.de/v2.0/reference/webhooks).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, checkMatch, sleep } from '../harness.mjs';
import { sqlite } from '../../../scripts/n8n/lib/runtime.mjs';

const NODE = 'personioTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/personio',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
const CLIENT_ID = 'e2e-personio-client';
const CLIENT_SECRET = 'e2e-personio-client-secret';
const MANUAL_TOKEN = 'Bearer e2e-manual-personio-token-0123456789abcdef';
const EVENTS = [
	'person.created',
	'person.updated',
	'person.deleted',
	'employment.created',
	'employment.updated',
	'employment.deleted',
	'employment.started',
	'employment.terminated',
];

// ---- the fake Personio API ----------------------------------------------------------------------
const webhooks = new Map(); // id -> {id, url, status, auth_type, token, enabled_events}
const issued = new Set();
const calls = [];
const fake = http.createServer(async (req, res) => {
	const chunks = [];
	for await (const c of req) chunks.push(c);
	const raw = Buffer.concat(chunks).toString('utf8');
	const url = new URL(req.url, 'http://fake');
	calls.push({
		method: req.method,
		path: url.pathname,
		authorization: req.headers.authorization,
		raw,
	});
	const send = (status, payload) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(payload === undefined ? '' : JSON.stringify(payload));
	};
	if (req.method === 'POST' && url.pathname === '/v2/auth/token') {
		const form = new URLSearchParams(raw);
		if (
			form.get('grant_type') !== 'client_credentials' ||
			form.get('client_id') !== CLIENT_ID ||
			form.get('client_secret') !== CLIENT_SECRET
		)
			return send(401, { error: 'invalid_client' });
		const token = `papi-${randomUUID()}`;
		issued.add(token);
		return send(200, { access_token: token, token_type: 'Bearer', expires_in: 86400 });
	}
	const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
	if (!bearer || !issued.has(bearer)) return send(401, { errors: [{ title: 'Unauthorized' }] });
	const visible = ({ token: _t, ...rest }) => rest;
	if (url.pathname === '/v2/webhooks' && req.method === 'GET')
		return send(200, { _data: [...webhooks.values()].map(visible), _meta: {} });
	if (url.pathname === '/v2/webhooks' && req.method === 'POST') {
		let body = {};
		try {
			body = JSON.parse(raw || '{}');
		} catch {
			return send(400, { errors: [{ title: 'not JSON' }] });
		}
		if (!body.url || !Array.isArray(body.enabled_events) || body.enabled_events.length === 0)
			return send(422, { errors: [{ title: 'url and enabled_events are required' }] });
		if ([...webhooks.values()].some((w) => w.url === body.url))
			return send(409, { errors: [{ title: 'A webhook for this URL exists' }] });
		const hook = {
			id: randomUUID(),
			url: body.url,
			description: body.description ?? '',
			status: body.status ?? 'DISABLED',
			auth_type: body.auth_type ?? 'TOKEN',
			token: body.token,
			enabled_events: body.enabled_events,
		};
		webhooks.set(hook.id, hook);
		return send(201, visible(hook));
	}
	const id = url.pathname.startsWith('/v2/webhooks/')
		? decodeURIComponent(url.pathname.slice('/v2/webhooks/'.length))
		: undefined;
	if (id && req.method === 'GET')
		return webhooks.has(id) ? send(200, visible(webhooks.get(id))) : send(404, { errors: [] });
	if (id && req.method === 'DELETE')
		return webhooks.delete(id) ? send(204) : send(404, { errors: [] });
	return send(404, { errors: [{ title: 'no route' }] });
});
await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
fake.unref();
const base = `http://127.0.0.1:${fake.address().port}`;
const registered = () => [...webhooks.values()][0];

// ---- the suite ----------------------------------------------------------------------------------
export const credentials = [
	{
		id: 'e2ePersonioApi01',
		name: 'e2e Personio API (local fake)',
		type: 'personioApi',
		data: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: base, sessionToken: '' },
	},
	{
		id: 'e2ePersonioTok01',
		name: 'e2e Personio manual token',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: MANUAL_TOKEN, previousSecret: '' },
	},
];

export const workflows = {
	auto: {
		id: 'e2ePersonioAuto1',
		nodeType: NODE,
		parameters: { registration: 'api', events: EVENTS, options: {} },
		credentials: { personioApi: 'e2ePersonioApi01' },
	},
	manual: {
		id: 'e2ePersonioMan01',
		nodeType: NODE,
		parameters: { registration: 'manual', events: [], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2ePersonioTok01' },
	},
};

/** Wait until create() registered the webhook and n8n saved its token in static data. */
async function activationDone(t) {
	const id = t.workflow('auto').id;
	for (let i = 0; i < 150; i++) {
		const [row] = await sqlite(t.instance, 'select staticData from workflow_entity where id = ?', [
			id,
		]);
		if (webhooks.size >= 1 && String(row?.staticData ?? '').includes('webhookId')) return;
		await sleep(200);
	}
	throw new Error(`activation did not finish: ${webhooks.size} webhooks at the fake`);
}

/** A delivery as Personio sends it: the registered token, exactly, in Authorization. */
const delivery = (t, name, authorization = registered()?.token) => ({
	...t.request('auto', { body: text(name), sign: false }),
	headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
});

export const cases = [
	{
		name: 'publishing created one ENABLED webhook (auth_type TOKEN, a generated token, every selected event) through an OAuth client-credentials token',
		workflow: 'auto',
		run: async (t) => {
			await activationDone(t);
			check(webhooks.size === 1, `the fake holds ${webhooks.size} webhooks`);
			const hook = registered();
			checkMatch(
				hook,
				{ url: t.url('auto'), status: 'ENABLED', auth_type: 'TOKEN', enabled_events: EVENTS },
				'webhook',
			);
			check(/^n8n_[A-Za-z0-9_-]{43}$/.test(hook.token), 'a generated 256-bit token');
			const token = calls.find((c) => c.path === '/v2/auth/token');
			check(
				token && /grant_type=client_credentials/.test(token.raw),
				'client-credentials token request',
			);
			check(
				calls
					.filter((c) => c.path.startsWith('/v2/webhooks'))
					.every((c) => /^Bearer papi-/.test(c.authorization ?? '')),
				'webhook calls carry the access token',
			);
			await t.newExecutions('auto', 0);
		},
	},
	...EVENTS.map((name) => ({
		name: `${name} with the registered token → 2xx, 1 execution`,
		workflow: 'auto',
		run: async (t) => {
			const res = await t.send(delivery(t, name));
			check(res.status === 200, `HTTP ${res.status}: ${res.text.slice(0, 200)}`);
			const [exec] = await t.newExecutions('auto', 1);
			check(exec.status === 'success', `execution ended ${exec.status}`);
			checkMatch(
				exec.items,
				[
					{
						source: 'personio',
						event: 'unknown',
						sourceEvent: name,
						companyId: '74519',
						personioEntity: name.split('.')[0],
						delivery: { verified: true, scheme: 'vendor' },
						payload: json(name),
					},
				],
				'items',
			);
		},
	})),
	{
		name: 'another token → 401, no execution',
		workflow: 'auto',
		run: async (t) => {
			const res = await t.send(delivery(t, 'person.updated', 'n8n_guessed'));
			check(
				res.status === 401 && res.json?.reason === 'token_mismatch',
				`HTTP ${res.status} ${res.text}`,
			);
			await t.newExecutions('auto', 0);
		},
	},
	{
		name: 'no Authorization → 401, no execution',
		workflow: 'auto',
		send: { body: text('person.created'), sign: false },
		expect: { status: 401, json: { reason: 'missing_token' }, executions: 0 },
	},
	{
		name: 'a GET of the URL → 200, no execution',
		workflow: 'auto',
		send: { method: 'GET', contentType: null, sign: false },
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'manual registration: the credential token (with its "Bearer ") → 1 execution',
		workflow: 'manual',
		remember: 'pe-replay',
		send: {
			body: text('employment.started'),
			sign: false,
			headers: { authorization: MANUAL_TOKEN },
		},
		expect: {
			status: 200,
			executions: 1,
			items: [{ sourceEvent: 'employment.started', personId: '8823410' }],
		},
	},
	{
		name: 'manual registration: a wrong token → 401, no execution',
		workflow: 'manual',
		send: {
			body: text('employment.updated'),
			sign: false,
			headers: { authorization: 'Bearer nope' },
		},
		expect: { status: 401, json: { reason: 'token_mismatch' }, executions: 0 },
	},
	{
		name: 'Personio retries the same delivery → 200, no execution',
		workflow: 'manual',
		replay: 'pe-replay',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		name: 'after a restart, the retry is still a duplicate',
		phase: 'afterRestart',
		workflow: 'manual',
		replay: 'pe-replay',
		expect: { status: 200, executions: 0 },
	},
	{
		name: 'after a restart, the stored token still verifies and no second webhook was created',
		phase: 'afterRestart',
		workflow: 'auto',
		run: async (t) => {
			const raw = JSON.stringify({
				...json('person.updated'),
				occurred_at: new Date().toISOString(),
			});
			const res = await t.send({
				...t.request('auto', { body: raw, sign: false }),
				headers: { 'content-type': 'application/json', authorization: registered().token },
			});
			check(res.status === 200, `HTTP ${res.status}: ${res.text.slice(0, 200)}`);
			await t.newExecutions('auto', 1);
			check(webhooks.size === 1, `the fake holds ${webhooks.size} webhooks after the restart`);
		},
	},
];

// e2e for the Workable Trigger (n8n-nodes-ats-webhooks.workableTrigger) in a real n8n, against a
// local fake of Workable's SPI v3 started by this file (before n8n starts). The fake follows the
// documented contract (workable.readme.io/reference/webhook-subscriptions; docs/nodes/workableTrigger.md):
// `Authorization: Bearer <token>`; POST /spi/v3/subscriptions {target, event, args?} → {id},
// 409 for a target already registered, args need account_id + job_shortcode + stage_slug;
// GET /spi/v3/subscriptions → {subscriptions: [...]}; DELETE /spi/v3/subscriptions/:id.
// Deliveries are signed as Workable documents: HMAC-SHA256 of the payload keyed with the account
// token, in X-Workable-Signature (hex; base64 also checked, the encoding is UNCONFIRMED).
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, checkMatch, sleep, readJsonBody } from '../harness.mjs';

const NODE = 'workableTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/workable',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
const TOKEN = 'e2e-workable-account-token';
const sign = (raw, key = TOKEN, encoding = 'hex') =>
	createHmac('sha256', key).update(raw).digest(encoding);

// ---- the fake Workable SPI ----------------------------------------------------------------------
const subscriptions = new Map();
let nextId = 500;
const fake = http.createServer(async (req, res) => {
	const body = await readJsonBody(req);
	const send = (status, payload) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(payload));
	};
	if (req.headers.authorization !== `Bearer ${TOKEN}`)
		return send(401, { error: 'Not authorized' });
	const url = req.url.split('?')[0];
	if (req.method === 'GET' && url === '/spi/v3/subscriptions')
		return send(200, { subscriptions: [...subscriptions.values()] });
	if (req.method === 'POST' && url === '/spi/v3/subscriptions') {
		if (
			body.args &&
			(body.args.account_id !== 'acme' ||
				typeof body.args.job_shortcode !== 'string' ||
				typeof body.args.stage_slug !== 'string')
		) {
			return send(422, { error: 'args need account_id, job_shortcode and stage_slug' });
		}
		if ([...subscriptions.values()].some((s) => s.target === body.target))
			return send(409, { error: 'Conflict' });
		const sub = {
			id: nextId++,
			event: body.event,
			target: body.target,
			job_shortcode: body.args?.job_shortcode ?? null,
			stage_slug: body.args?.stage_slug ?? null,
			created_at: new Date().toISOString(),
		};
		subscriptions.set(sub.id, sub);
		return send(201, { id: sub.id });
	}
	const del = /^\/spi\/v3\/subscriptions\/(\d+)$/.exec(url);
	if (req.method === 'DELETE' && del)
		return subscriptions.delete(Number(del[1])) ? send(200, {}) : send(404, { error: 'Not found' });
	return send(404, { error: 'Not found' });
});
await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
fake.unref();
const base = `http://127.0.0.1:${fake.address().port}/spi/v3`;

// ---- the suite ----------------------------------------------------------------------------------
export const credentials = [
	{
		id: 'e2eWorkableApi01',
		name: 'e2e Workable (local fake)',
		type: 'workableAtsApi',
		data: {
			subdomain: 'acme',
			accessToken: TOKEN,
			signingSecret: '',
			useCustomBaseUrl: true,
			baseUrl: base,
		},
	},
];

export const workflows = {
	main: {
		id: 'e2eWorkableMain1',
		nodeType: NODE,
		parameters: {
			events: ['candidate_created', 'candidate_moved'],
			jobShortcode: 'GROOV005',
			stageSlug: '',
			options: {},
		},
		credentials: { workableAtsApi: 'e2eWorkableApi01' },
	},
};

/** A delivery to the subscription's own target (the production URL + ?event=<name>), as Workable sends it. */
const delivery = (t, name, event, { key = TOKEN, encoding = 'hex', signature } = {}) => {
	const raw = text(name);
	const sub = [...subscriptions.values()].find((s) => s.event === event);
	check(sub, `the fake Workable holds no ${event} subscription`);
	return {
		url: sub.target,
		method: 'POST',
		body: raw,
		headers: {
			'content-type': 'application/json',
			'x-workable-signature': signature ?? sign(raw, key, encoding),
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
};

export const cases = [
	{
		name: 'publishing subscribed once per selected event, distinct ?event= targets on the production URL, job filter in args',
		workflow: 'main',
		run: async (t) => {
			// n8n serves the production URL before create() has finished.
			for (let i = 0; i < 150 && subscriptions.size < 2; i++) await sleep(200);
			const all = [...subscriptions.values()].sort((a, b) => a.event.localeCompare(b.event));
			check(all.length === 2, `the fake holds ${all.length} subscriptions`);
			checkMatch(
				all,
				[
					{
						event: 'candidate_created',
						target: `${t.url('main')}?event=candidate_created`,
						job_shortcode: 'GROOV005',
						stage_slug: '',
					},
					{
						event: 'candidate_moved',
						target: `${t.url('main')}?event=candidate_moved`,
						job_shortcode: 'GROOV005',
						stage_slug: '',
					},
				],
				'subscriptions',
			);
			await t.newExecutions('main', 0);
		},
	},
	{
		name: 'candidate_moved signed with the account token (hex) → 200, 1 execution with application.stage_changed',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(t, delivery(t, 'candidate_moved', 'candidate_moved'), {
				status: 200,
				json: { status: 'accepted', events: 1 },
				executions: 1,
				items: [
					{
						source: 'workable',
						event: 'application.stage_changed',
						sourceEvent: 'candidate_moved',
						application: { id: '3fc9a80f', stage: 'Interview' },
						delivery: { verified: true },
						payload: json('candidate_moved'),
					},
				],
			}),
	},
	{
		name: 'candidate_created → 1 execution with candidate.created',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(t, delivery(t, 'candidate_created', 'candidate_created'), {
				status: 200,
				executions: 1,
				items: [{ event: 'candidate.created', candidate: { firstName: 'Lakita' } }],
			}),
	},
	{
		name: 'a hire (candidate_moved to Hired), signature in base64 → 1 execution with candidate.hired',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(
				t,
				delivery(t, 'candidate_moved_hired', 'candidate_moved', { encoding: 'base64' }),
				{ status: 200, executions: 1, items: [{ event: 'candidate.hired' }] },
			),
	},
	{
		name: 'a body without event_type is named by the ?event= of its subscription → 1 execution',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(t, delivery(t, 'candidate_moved_data_only', 'candidate_moved'), {
				status: 200,
				executions: 1,
				items: [{ sourceEvent: 'candidate_moved', event: 'application.stage_changed' }],
			}),
	},
	{
		name: 'the same delivery again (a Workable replay) → 200 duplicate, no execution',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(t, delivery(t, 'candidate_moved', 'candidate_moved'), {
				status: 200,
				json: { status: 'duplicate' },
				executions: 0,
			}),
	},
	{
		name: 'signed with another key → 401, no execution',
		workflow: 'main',
		run: async (t) =>
			sendAndCount(
				t,
				delivery(t, 'candidate_moved_disqualified', 'candidate_moved', { key: 'someone else' }),
				{ status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
			),
	},
	{
		name: "no X-Workable-Signature → 401, no execution (n8n's built-in Workable Trigger would have run)",
		workflow: 'main',
		run: async (t) =>
			sendAndCount(
				t,
				{
					...delivery(t, 'candidate_moved_disqualified', 'candidate_moved'),
					headers: { 'content-type': 'application/json' },
				},
				{ status: 401, json: { reason: 'missing_signature' }, executions: 0 },
			),
	},
];

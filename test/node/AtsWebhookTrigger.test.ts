import { AtsWebhookTrigger } from '../../nodes/AtsWebhookTrigger/AtsWebhookTrigger.node';
import {
	signGenericHmac,
	standardWebhookHeaders,
	basicAuthHeader,
} from '../../nodes/core/signature';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { deliver, type DeliveryOptions } from '../helpers/webhookContext';

const node = new AtsWebhookTrigger();
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const HMAC_SECRET = 'hmac-test-secret';
const credentials = {
	atsWebhookSigningSecretApi: { secret: SW_SECRET, previousSecret: '' },
	atsWebhookHeaderTokenApi: { headerName: 'x-webhook-token', token: 'tok', previousToken: '' },
	atsWebhookBasicAuthApi: { user: 'ats', password: 'pw', previousPassword: '' },
};

const event = (overrides: Record<string, unknown> = {}) =>
	JSON.stringify({
		type: 'candidate.created',
		timestamp: '2026-11-01T10:00:00Z',
		data: { id: 'c-1', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' },
		...overrides,
	});

let counter = 0;
/** A Standard Webhooks delivery signed now, with a unique message id unless given. */
function signed(
	body: string,
	id = `msg_${Date.now()}_${counter++}`,
	secret = SW_SECRET,
): DeliveryOptions {
	return {
		body,
		headers: standardWebhookHeaders([secret], id, Math.floor(Date.now() / 1000), body),
		parameters: { authentication: 'standardWebhooks' },
		credentials,
	};
}

beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
});

describe('ATS Webhook Trigger: one test per pipeline outcome', () => {
	it('accepts a signed delivery: 200, one canonical item, workflow data returned, answered by n8n once stored', async () => {
		const { result, response, items } = await deliver(node, signed(event()));
		expect(response.status).toBe(200);
		expect(response.body).toEqual({ status: 'accepted', events: 1, duplicates: 0, filtered: 0 });
		expect(result.noWebhookResponse).toBeUndefined(); // n8n answers, after it stored the execution
		expect(items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(items[0]).success).toBe(true);
		expect(items[0]).toMatchObject({
			source: 'generic',
			event: 'candidate.created',
			sourceEvent: 'candidate.created',
			occurredAt: '2026-11-01T10:00:00.000Z',
			subject: { type: 'candidate', id: 'c-1' },
			candidate: { id: 'c-1', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
			delivery: { verified: true, scheme: 'standardWebhooks' },
			payload: JSON.parse(event()),
		});
	});

	it('405 for a wrong method, with Allow, and no execution', async () => {
		const { result, response } = await deliver(node, { method: 'GET' });
		expect(response.status).toBe(405);
		expect(response.headers.allow).toBe('POST');
		expect(result.workflowData).toBeUndefined();
	});

	it('413 for a body over the limit, and no execution', async () => {
		const big = event({ padding: 'x'.repeat(20_000) });
		const { result, response } = await deliver(node, {
			...signed(big),
			parameters: { authentication: 'standardWebhooks', options: { maxBodySizeMiB: 0.01 } },
		});
		expect(response.status).toBe(413);
		expect(response.body).toMatchObject({ error: 'payload_too_large' });
		expect(result.workflowData).toBeUndefined();
	});

	it('413 from Content-Length before reading anything else', async () => {
		const { response } = await deliver(node, {
			body: '{}',
			headers: { 'content-length': String(50 * 1024 * 1024) },
		});
		expect(response.status).toBe(413);
	});

	it('401 with a reason for a bad signature, and no execution', async () => {
		const options = signed(event());
		const { result, response } = await deliver(node, {
			...options,
			body: event({ type: 'candidate.hired' }),
		});
		expect(response.status).toBe(401);
		expect(response.body).toMatchObject({ error: 'unauthorized', reason: 'signature_mismatch' });
		expect(result.workflowData).toBeUndefined();
	});

	it('401 for a stale timestamp', async () => {
		const body = event();
		const headers = standardWebhookHeaders(
			[SW_SECRET],
			'msg_old',
			Math.floor(Date.now() / 1000) - 3600,
			body,
		);
		const { response } = await deliver(node, {
			body,
			headers,
			parameters: { authentication: 'standardWebhooks' },
			credentials,
		});
		expect(response.body).toMatchObject({ reason: 'timestamp_too_old' });
	});

	it('400 for malformed JSON that is correctly signed, without echoing the body', async () => {
		const body = '{"type":"candidate.created","email":"ada@example.com",';
		const { result, response } = await deliver(node, signed(body));
		expect(response.status).toBe(400);
		expect(response.body).toMatchObject({ reason: 'malformed_json' });
		expect(JSON.stringify(response.body)).not.toContain('ada@example.com');
		expect(result.workflowData).toBeUndefined();
	});

	it('200 "ignored" for an event the user did not select, and no execution', async () => {
		const options = signed(event({ type: 'job.created' }));
		const { result, response } = await deliver(node, {
			...options,
			parameters: { ...options.parameters, events: 'candidate.created, application.stage_changed' },
		});
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({ status: 'ignored', reason: 'event_not_selected' });
		expect(result.workflowData).toBeUndefined();
	});

	it("filters on the sender's own event names as well as canonical ones", async () => {
		const options = signed(event({ type: 'candidateCreated' }));
		const { items } = await deliver(node, {
			...options,
			parameters: { ...options.parameters, events: 'candidateCreated' },
		});
		expect(items).toHaveLength(1);
		expect(items[0].event).toBe('candidate.created');
	});

	it('200 "duplicate" for a retry of the same message, and no execution', async () => {
		const body = event();
		const staticData = {};
		const first = await deliver(node, { ...signed(body, 'msg_same'), staticData });
		const retry = await deliver(node, { ...signed(body, 'msg_same'), staticData });
		expect(first.items).toHaveLength(1);
		expect(retry.response.status).toBe(200);
		expect(retry.response.body).toEqual({ status: 'duplicate', duplicates: 1 });
		expect(retry.result.workflowData).toBeUndefined();
	});

	it('does not deduplicate when the user turns it off', async () => {
		const body = event();
		const parameters = { authentication: 'standardWebhooks', options: { dedup: false } };
		const first = await deliver(node, { ...signed(body, 'msg_x'), parameters });
		const second = await deliver(node, { ...signed(body, 'msg_x'), parameters });
		expect(first.items).toHaveLength(1);
		expect(second.items).toHaveLength(1);
	});

	it('answers a ping with 200 and no execution, and emits it as "test" when asked', async () => {
		const quiet = await deliver(node, signed(JSON.stringify({ type: 'ping' })));
		expect(quiet.response.body).toMatchObject({ status: 'ok', reason: 'ping' });
		expect(quiet.result.workflowData).toBeUndefined();
		const shown = await deliver(node, {
			...signed(JSON.stringify({ type: 'ping' })),
			parameters: { authentication: 'standardWebhooks', options: { emitTestEvents: true } },
		});
		expect(shown.items[0]).toMatchObject({ event: 'test', subject: { type: 'test' } });
	});

	it('uses the response code the user set', async () => {
		const options = signed(event());
		const { response } = await deliver(node, {
			...options,
			parameters: { ...options.parameters, options: { responseCode: 202 } },
		});
		expect(response.status).toBe(202);
	});
});

describe('ATS Webhook Trigger: authentication choices', () => {
	it('HMAC over the raw body, with prefix and previous secret', async () => {
		const body = event();
		const parameters = {
			authentication: 'hmac',
			hmacHeader: 'x-hub-signature-256',
			hmacAlgorithm: 'sha256',
			hmacEncoding: 'hex',
			hmacPrefix: 'sha256=',
			hmacSignedContent: 'body',
		};
		const creds = { atsWebhookSigningSecretApi: { secret: 'new', previousSecret: HMAC_SECRET } };
		const header = signGenericHmac({
			secret: HMAC_SECRET,
			algorithm: 'sha256',
			encoding: 'hex',
			prefix: 'sha256=',
			body,
		});
		const ok = await deliver(node, {
			body,
			headers: { 'x-hub-signature-256': header },
			parameters,
			credentials: creds,
		});
		expect(ok.items[0]).toMatchObject({ delivery: { verified: true, scheme: 'hmac' } });
		const reformatted = JSON.stringify(JSON.parse(body), null, 2);
		const bad = await deliver(node, {
			body: reformatted,
			headers: { 'x-hub-signature-256': header },
			parameters,
			credentials: creds,
		});
		expect(bad.response.status).toBe(401);
	});

	it('HMAC over timestamp.body with a replay window', async () => {
		const body = event();
		const ts = String(Math.floor(Date.now() / 1000));
		const parameters = {
			authentication: 'hmac',
			hmacHeader: 'x-sig',
			hmacSignedContent: 'timestampDotBody',
			hmacTimestampHeader: 'x-ts',
		};
		const creds = { atsWebhookSigningSecretApi: { secret: HMAC_SECRET } };
		const sig = signGenericHmac({
			secret: HMAC_SECRET,
			algorithm: 'sha256',
			encoding: 'hex',
			signedContent: 'timestampDotBody',
			timestamp: ts,
			body,
		});
		expect(
			(
				await deliver(node, {
					body,
					headers: { 'x-sig': sig, 'x-ts': ts },
					parameters,
					credentials: creds,
				})
			).items,
		).toHaveLength(1);
		const stale = String(Number(ts) - 1000);
		const staleSig = signGenericHmac({
			secret: HMAC_SECRET,
			algorithm: 'sha256',
			encoding: 'hex',
			signedContent: 'timestampDotBody',
			timestamp: stale,
			body,
		});
		const res = await deliver(node, {
			body,
			headers: { 'x-sig': staleSig, 'x-ts': stale },
			parameters,
			credentials: creds,
		});
		expect(res.response.body).toMatchObject({ reason: 'timestamp_too_old' });
	});

	it('header token and Basic auth', async () => {
		const body = event();
		const token = await deliver(node, {
			body,
			headers: { 'x-webhook-token': 'tok' },
			parameters: { authentication: 'headerToken' },
			credentials,
		});
		expect(token.items[0]).toMatchObject({ delivery: { scheme: 'headerToken', verified: true } });
		const noToken = await deliver(node, {
			body,
			parameters: { authentication: 'headerToken' },
			credentials,
		});
		expect(noToken.response.status).toBe(401);
		const basic = await deliver(node, {
			body: event({ n: 2 }),
			headers: { authorization: basicAuthHeader('ats', 'pw') },
			parameters: { authentication: 'basicAuth' },
			credentials,
		});
		expect(basic.items).toHaveLength(1);
		const wrong = await deliver(node, {
			body,
			headers: { authorization: basicAuthHeader('ats', 'no') },
			parameters: { authentication: 'basicAuth' },
			credentials,
		});
		expect(wrong.response.body).toMatchObject({ reason: 'credentials_mismatch' });
	});

	it('None: accepted and marked unverified', async () => {
		const { items } = await deliver(node, { body: event() });
		expect(items[0]).toMatchObject({ delivery: { verified: false, scheme: 'none' } });
	});
});

describe('ATS Webhook Trigger: paths, batches, privacy', () => {
	it('splits a batch by path with batch id, index and size; dedups per element', async () => {
		const body = JSON.stringify({
			type: 'candidate.exported',
			candidates: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
		});
		const parameters = { batchPath: 'candidates', eventPath: 'type' };
		const { items, response } = await deliver(node, {
			body,
			parameters,
			headers: { 'idempotency-key': 'batch-9' },
		});
		expect(response.body).toMatchObject({ events: 3 });
		expect(items.map((i) => (i.batch as { index: number }).index)).toEqual([0, 1, 2]);
		expect(items[0]).toMatchObject({
			event: 'candidate.exported',
			batch: { id: 'batch-9', size: 3 },
			id: 'batch-9#0',
		});
	});

	it('emits the batch as one item when asked', async () => {
		const body = JSON.stringify([
			{ type: 'job.created', id: 1 },
			{ type: 'job.updated', id: 2 },
		]);
		const { items } = await deliver(node, {
			body,
			parameters: { options: { batchAsOneItem: true } },
		});
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ source: 'generic', count: 2 });
		expect((items[0].events as unknown[]).length).toBe(2);
	});

	it('uses an explicit event id path for dedup across different deliveries', async () => {
		const parameters = { eventIdPath: 'meta.eventId' };
		const staticData = {};
		const a = await deliver(node, {
			body: JSON.stringify({ type: 'candidate.updated', meta: { eventId: 'E1' }, attempt: 1 }),
			parameters,
			staticData,
		});
		const b = await deliver(node, {
			body: JSON.stringify({ type: 'candidate.updated', meta: { eventId: 'E1' }, attempt: 2 }),
			parameters,
			staticData,
		});
		expect(a.items[0].id).toBe('E1');
		expect(b.response.body).toMatchObject({ status: 'duplicate' });
	});

	it('keeps an unknown event and says why in warnings (schema drift loses nothing)', async () => {
		const { items } = await deliver(node, {
			body: JSON.stringify({ kind: 'something', data: {} }),
		});
		expect(items).toHaveLength(1);
		expect(items[0].event).toBe('unknown');
		expect(items[0].warnings).toEqual(
			expect.arrayContaining([expect.stringContaining('event_name_missing')]),
		);
	});

	it('Privacy drops names, emails, phones and free text, keeps ids', async () => {
		const body = JSON.stringify({
			type: 'candidate.created',
			data: {
				id: 'c-9',
				first_name: 'Ada',
				email: 'ada@example.com',
				phone: '+44 20 7946 0958',
				notes: 'met at fair',
				tags: ['x'],
				job_id: 7,
				custom: 'reach me at ada@example.com',
			},
		});
		const { items } = await deliver(node, { body, parameters: { options: { privacy: true } } });
		const text = JSON.stringify(items[0]);
		for (const personal of ['Ada', 'ada@example.com', '7946', 'met at fair'])
			expect(text).not.toContain(personal);
		expect(items[0]).toMatchObject({
			candidate: { id: 'c-9' },
			payload: { data: { id: 'c-9', job_id: 7, tags: ['x'] } },
		});
	});
});

describe('ATS Webhook Trigger: concurrency and restarts', () => {
	it('100 concurrent deliveries of the same event in one process give exactly one emission', async () => {
		const body = event();
		const headers = standardWebhookHeaders(
			[SW_SECRET],
			'msg_concurrent',
			Math.floor(Date.now() / 1000),
			body,
		);
		const saved = {};
		// n8n loads static data fresh from the database for every request: each call gets its own copy.
		const results = await Promise.all(
			Array.from({ length: 100 }, () =>
				deliver(node, {
					body,
					headers,
					parameters: { authentication: 'standardWebhooks' },
					credentials,
					staticData: JSON.parse(JSON.stringify(saved)),
				}),
			),
		);
		expect(results.filter((r) => r.items.length > 0)).toHaveLength(1);
		expect(
			results.filter((r) => (r.response.body as { status: string }).status === 'duplicate'),
		).toHaveLength(99);
		expect(results.every((r) => r.response.status === 200)).toBe(true);
	});

	it('a fresh process given the saved static data still rejects the duplicate', async () => {
		const body = event();
		const staticData: Record<string, unknown> = {};
		await deliver(node, { ...signed(body, 'msg_restart'), staticData });
		const savedRow = JSON.stringify(staticData);
		expect(savedRow.length).toBeGreaterThan(0);

		let fresh!: typeof import('../../nodes/AtsWebhookTrigger/AtsWebhookTrigger.node');
		jest.isolateModules(() => {
			fresh = require('../../nodes/AtsWebhookTrigger/AtsWebhookTrigger.node');
		});
		const restarted = new fresh.AtsWebhookTrigger();
		const retry = await deliver(restarted, {
			...signed(body, 'msg_restart'),
			staticData: JSON.parse(savedRow),
		});
		expect(retry.response.body).toMatchObject({ status: 'duplicate' });
		const other = await deliver(restarted, {
			...signed(body, 'msg_other'),
			staticData: JSON.parse(savedRow),
		});
		expect(other.items).toHaveLength(1);
	});
});

describe('ATS Webhook Trigger: malformed input never throws out of webhook()', () => {
	const cases: Array<[string, DeliveryOptions, number]> = [
		['arbitrary bytes', { body: Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x81]) }, 400],
		['wrong content type', { body: '<xml/>', headers: { 'content-type': 'application/xml' } }, 415],
		[
			'form-encoded body',
			{ body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
			415,
		],
		['empty body', { body: '' }, 400],
		['no body at all', {}, 400],
		['JSON number', { body: '42' }, 400],
		['JSON string', { body: '"hello"' }, 400],
		['JSON null', { body: 'null' }, 400],
		[
			'huge header value',
			{
				body: '{}',
				headers: {
					'webhook-signature': 'v1,' + 'A'.repeat(100_000),
					'webhook-id': 'x'.repeat(50_000),
					'webhook-timestamp': '9'.repeat(5000),
				},
				parameters: { authentication: 'standardWebhooks' },
				credentials,
			},
			401,
		],
		[
			'huge token header',
			{
				body: '{}',
				headers: { 'x-webhook-token': 't'.repeat(200_000) },
				parameters: { authentication: 'headerToken' },
				credentials,
			},
			401,
		],
		[
			'signature header sent twice',
			{
				body: '{}',
				headers: { 'x-signature': ['a', 'b'] },
				parameters: { authentication: 'hmac' },
				credentials,
			},
			401,
		],
		['deeply nested JSON', { body: '['.repeat(5000) + ']'.repeat(5000) }, 200],
		[
			'batch path pointing at a string',
			{ body: '{"items":"nope"}', parameters: { batchPath: 'items' } },
			200,
		],
	];

	it.each(cases)('%s', async (_name, options, status) => {
		const { response, result } = await deliver(node, options);
		expect(response.status).toBe(status);
		expect(response.ended).toBe(true);
		if (status >= 400) {
			expect(result.workflowData).toBeUndefined();
			expect(response.body).toMatchObject({
				reason: expect.any(String),
				message: expect.any(String),
			});
		}
	});

	it('a missing credential gives 503 + Retry-After (the sender retries) without an execution', async () => {
		const { response, result, logs } = await deliver(node, {
			body: '{}',
			parameters: { authentication: 'hmac' },
		});
		expect(response.status).toBe(503);
		expect(response.headers['retry-after']).toBe('60');
		expect(response.body).toMatchObject({ reason: 'not_configured' });
		expect(result.workflowData).toBeUndefined();
		expect(logs.some((l) => l.level === 'error')).toBe(true);
	});
});

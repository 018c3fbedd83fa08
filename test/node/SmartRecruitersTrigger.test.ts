import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { NodeApiError, type IHookFunctions } from 'n8n-workflow';
import { SmartRecruitersTrigger } from '../../nodes/SmartRecruiters/SmartRecruitersTrigger.node';
import { SmartRecruitersApi } from '../../credentials/SmartRecruitersApi.credentials';
import { smartRecruitersSignatureHeader } from '../../nodes/SmartRecruiters/smartRecruitersSignature';
import { readSrStore, SR_STORE_FIELD } from '../../nodes/SmartRecruiters/smartRecruitersApi';
import { deliver } from '../helpers/webhookContext';
import { FakeSmartRecruiters, hookContext, type HandshakeFn } from '../helpers/fakeApi-lsr';

/**
 * The SmartRecruiters Trigger node: webhook() with a mocked IWebhookFunctions (CONTRIBUTING.md "Test layers"), and
 * checkExists/create/delete against a local fake of the Webhooks Subscription API written from the
 * documented contract (developers.smartrecruiters.com "Creating webhook subscriptions",
 * "Activating webhook subscriptions", reference subscriptionsactivate-1 and
 * subscriptionsgeneratesecretkey-1; docs/nodes/smartRecruitersTrigger.md), through n8n's real httpRequestWithAuthentication.
 * The fake's activation does what SmartRecruiters does: POST X-Hook-Secret to the callback (here:
 * the trigger's own webhook()) and expect 200 with the same header before answering 204.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'smartrecruiters');
const fixture = (name: string) =>
	JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as {
		headers: Record<string, string>;
		body: string;
		secretKey?: string;
	};

const trigger = new SmartRecruitersTrigger();
const KEY = 'sr-key-of-the-subscription';
const WEBHOOK_URL = 'https://n8n.example.com/webhook/5e1b7a0c-sr/webhook';

/** A fixture as SmartRecruiters sends it now (a new event-id unless given), signed with `keys`. */
function callback(name: string, keys = [KEY], headerOverrides: Record<string, string> = {}) {
	const d = fixture(name);
	const headers: Record<string, string> = {
		...d.headers,
		'event-id': randomUUID(),
		'smartrecruiters-timestamp': String(Math.floor(Date.now() / 1000)),
		...headerOverrides,
	};
	headers['smartrecruiters-signature'] = smartRecruitersSignatureHeader(keys, {
		timestamp: headers['smartrecruiters-timestamp'],
		body: d.body,
		eventId: headers['event-id'],
		eventName: headers['event-name'],
		eventVersion: headers['event-version'],
		link: headers.link,
	});
	return { headers, body: d.body };
}

const apiStatic = () => ({
	[SR_STORE_FIELD]: {
		subscriptions: [
			{
				id: 's1',
				url: WEBHOOK_URL,
				events: ['job.created', 'application.created'],
				secretKeys: [KEY],
			},
		],
	},
});
const apiParams = {
	registration: 'api',
	events: ['job.created', 'application.created'],
	additionalEvents: '',
	options: {},
};

describe('SmartRecruitersTrigger description', () => {
	it('follows the n8n conventions; accepted deliveries default to 202', () => {
		const d = trigger.description;
		expect(d).toMatchObject({
			name: 'smartRecruitersTrigger',
			displayName: 'SmartRecruiters Trigger',
			icon: 'file:smartRecruiters.svg',
			inputs: [],
		});
		const options = d.properties.find((p) => p.name === 'options') as {
			options: Array<{ name: string; default: unknown }>;
		};
		expect(options.options.find((o) => o.name === 'responseCode')?.default).toBe(202);
		const codex = JSON.parse(
			fs.readFileSync(
				path.join(
					__dirname,
					'..',
					'..',
					'nodes',
					'SmartRecruiters',
					'SmartRecruitersTrigger.node.json',
				),
				'utf8',
			),
		);
		expect(codex.node).toBe('n8n-nodes-ats-webhooks.smartRecruitersTrigger');
		const credential = new SmartRecruitersApi();
		expect(credential.test.request.url).toBe('/webhooks-api/v201907/subscriptions');
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.displayOptions).toEqual({
			show: { environment: ['custom'] },
		});
	});
});

describe('SmartRecruitersTrigger webhook()', () => {
	it('answers the activation handshake with 200 and the same X-Hook-Secret, starting nothing', async () => {
		const h = fixture('handshake');
		const { response, items } = await deliver(trigger, {
			headers: h.headers,
			parameters: apiParams,
			staticData: {},
		});
		expect(response.status).toBe(200);
		expect(response.headers['x-hook-secret']).toBe('4jn8fs9011jj8');
		expect(items).toHaveLength(0);
	});

	it("accepts the vendor's own signed example with 202 and one canonical event (window off for its 2019 timestamp)", async () => {
		const v = fixture('application.created');
		const staticData = {
			[SR_STORE_FIELD]: {
				subscriptions: [
					{
						id: 's1',
						url: WEBHOOK_URL,
						events: ['application.created'],
						secretKeys: [v.secretKey],
					},
				],
			},
		};
		const { response, items } = await deliver(trigger, {
			headers: v.headers,
			body: v.body,
			parameters: { ...apiParams, options: { toleranceSeconds: 0 } },
			staticData,
		});
		expect(response.status).toBe(202);
		expect(items).toEqual([
			expect.objectContaining({
				id: '123',
				event: 'application.created',
				subject: { type: 'application', id: 'jid:cid', url: 'http://smartrecruiters.com/endpoint' },
			}),
		]);
	});

	it('refuses the same example under the default 300 s window (replay protection)', async () => {
		const v = fixture('application.created');
		const staticData = {
			[SR_STORE_FIELD]: {
				subscriptions: [{ id: 's1', url: WEBHOOK_URL, events: [], secretKeys: [v.secretKey] }],
			},
		};
		const { response, items } = await deliver(trigger, {
			headers: v.headers,
			body: v.body,
			parameters: apiParams,
			staticData,
		});
		expect(response).toMatchObject({ status: 401, body: { reason: 'timestamp_too_old' } });
		expect(items).toHaveLength(0);
	});

	it('answers a duplicate event-id and a deselected event with 202 too (SmartRecruiters retries anything else)', async () => {
		const staticData = apiStatic();
		const eventId = { 'event-id': randomUUID() };
		const first = await deliver(trigger, {
			...callback('job.created', [KEY], eventId),
			parameters: apiParams,
			staticData,
			workflowId: 'wf-sr-dup',
		});
		expect(first.response.status).toBe(202);
		expect(first.items).toHaveLength(1);
		// A retry: same event-id, signed again with a new timestamp.
		const again = await deliver(trigger, {
			...callback('job.created', [KEY], eventId),
			parameters: apiParams,
			staticData,
			workflowId: 'wf-sr-dup',
		});
		expect(again.response).toMatchObject({ status: 202, body: { status: 'duplicate' } });
		expect(again.items).toHaveLength(0);
		const other = await deliver(trigger, {
			...callback('application.status.updated'),
			parameters: apiParams,
			staticData,
		});
		expect(other.response).toMatchObject({
			status: 202,
			body: { status: 'ignored', reason: 'event_not_selected' },
		});
		expect(other.items).toHaveLength(0);
	});

	it('answers 401 for a bad signature or no stored key, 400 for a malformed body, never throwing', async () => {
		const bad = await deliver(trigger, {
			...callback('job.created', ['wrong']),
			parameters: apiParams,
			staticData: apiStatic(),
		});
		expect(bad.response).toMatchObject({ status: 401, body: { reason: 'signature_mismatch' } });
		const none = await deliver(trigger, {
			...callback('job.created'),
			parameters: apiParams,
			staticData: {},
		});
		expect(none.response).toMatchObject({ status: 401, body: { reason: 'no_secret' } });
		const d = callback('job.created');
		const malformed = '{"id":';
		const headers = {
			...d.headers,
			'smartrecruiters-signature': smartRecruitersSignatureHeader([KEY], {
				timestamp: d.headers['smartrecruiters-timestamp'],
				body: malformed,
				eventId: d.headers['event-id'],
				eventName: 'job.created',
				eventVersion: 'v201910',
				link: d.headers.link,
			}),
		};
		const broken = await deliver(trigger, {
			headers,
			body: malformed,
			parameters: apiParams,
			staticData: apiStatic(),
		});
		expect(broken.response).toMatchObject({ status: 400, body: { reason: 'malformed_json' } });
	});

	it('manual registration verifies with the key in the signing secret credential, and takes extra event names', async () => {
		const parameters = {
			registration: 'manual',
			events: [],
			additionalEvents: 'job.approval.created',
			options: {},
		};
		const credentials = {
			atsWebhookSigningSecretApi: { secret: 'key-i-generated', previousSecret: 'old-key' },
		};
		const ok = await deliver(trigger, {
			...callback('job.created', ['old-key'], { 'event-name': 'job.approval.created' }),
			parameters,
			credentials,
		});
		expect(ok.response.status).toBe(202);
		expect(ok.items[0]).toMatchObject({
			event: 'job.updated',
			sourceEvent: 'job.approval.created',
		});
		const filtered = await deliver(trigger, {
			...callback('job.created', ['key-i-generated']),
			parameters,
			credentials,
		});
		expect(filtered.response.status).toBe(202);
		expect(filtered.items).toHaveLength(0);
	});

	it('manual registration without a credential: callbacks get 503 + Retry-After and start nothing; the handshake is still answered', async () => {
		const parameters = { registration: 'manual', events: [], additionalEvents: '', options: {} };
		const missing = await deliver(trigger, {
			...callback('job.created', ['key-i-generated']),
			parameters,
		});
		expect(missing.response).toMatchObject({
			status: 503,
			headers: { 'retry-after': '60' },
			body: { reason: 'not_configured' },
		});
		expect(missing.result.workflowData).toBeUndefined();
		const h = fixture('handshake');
		const handshake = await deliver(trigger, { headers: h.headers, parameters });
		expect(handshake.response.status).toBe(200);
		expect(handshake.response.headers['x-hook-secret']).toBe('4jn8fs9011jj8');
	});
});

describe('SmartRecruitersTrigger subscriptions against a fake SmartRecruiters API', () => {
	let sr: FakeSmartRecruiters;
	let staticData: Record<string, unknown>;

	/** SmartRecruiters' activation POST, delivered to the trigger's webhook() with the workflow's static data. */
	const handshakeIntoTrigger: HandshakeFn = async (_url, secret) => {
		const { response } = await deliver(trigger, {
			headers: { 'X-Hook-Secret': secret },
			parameters: apiParams,
			staticData,
		});
		return { status: response.status ?? 0, headers: response.headers };
	};

	beforeEach(async () => {
		staticData = {};
		sr = await new FakeSmartRecruiters('sr-key-123', { handshake: handshakeIntoTrigger }).start();
	});
	afterEach(async () => sr.stop());

	const ctx = (parameters: Record<string, unknown> = apiParams, apiKey = 'sr-key-123') =>
		hookContext({
			parameters,
			staticData,
			webhookUrl: WEBHOOK_URL,
			credentialTypes: { smartRecruitersApi: new SmartRecruitersApi() },
			credentials: { smartRecruitersApi: { apiKey, environment: 'custom', baseUrl: sr.apiRoot } },
		});
	const methods = trigger.webhookMethods.default;
	const call = (fn: (this: IHookFunctions) => Promise<boolean>, c: ReturnType<typeof ctx>) =>
		fn.call(c.context);

	it('activation creates one subscription for the selected events, generates its key, passes the handshake and activates it', async () => {
		const c = ctx({ ...apiParams, options: { alertEmailAddress: 'recops@example.com' } });
		expect(await call(methods.checkExists, c)).toBe(false);
		expect(await call(methods.create, c)).toBe(true);

		const posts = sr.calls('POST', /\/subscriptions$/);
		expect(posts).toHaveLength(1);
		expect(posts[0].body).toEqual({
			callbackUrl: WEBHOOK_URL,
			events: ['job.created', 'application.created'],
			alertEmailAddress: 'recops@example.com',
		});
		expect(posts[0].headers['x-smarttoken']).toBe('sr-key-123');
		const [subscription] = [...sr.subscriptions.values()];
		expect(sr.requests.map((r) => `${r.method} ${r.path.replace(subscription.id, ':id')}`)).toEqual(
			[
				'GET /webhooks-api/v201907/subscriptions',
				'POST /webhooks-api/v201907/subscriptions',
				'POST /webhooks-api/v201907/subscriptions/:id/secret-key',
				'PUT /webhooks-api/v201907/subscriptions/:id/activation',
			],
		);
		expect(sr.handshakes).toEqual([
			{ secret: expect.any(String), status: 200, echoed: sr.handshakes[0].secret },
		]);
		expect(subscription.status).toBe('active');
		expect(readSrStore(staticData as never).subscriptions).toEqual([
			{
				id: subscription.id,
				url: WEBHOOK_URL,
				events: ['job.created', 'application.created'],
				secretKeys: subscription.secretKeys,
			},
		]);

		// SmartRecruiters signs the next callback with that key: accepted.
		const { response, items } = await deliver(trigger, {
			...callback('job.created', subscription.secretKeys),
			parameters: apiParams,
			staticData,
		});
		expect(response.status).toBe(202);
		expect(items[0]).toMatchObject({
			event: 'job.created',
			subject: { id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' },
		});
	});

	it('checkExists finds it; deactivation deletes it', async () => {
		const c = ctx();
		await call(methods.create, c);
		expect(await call(methods.checkExists, c)).toBe(true);
		expect(await call(methods.delete, c)).toBe(true);
		expect(sr.subscriptions.size).toBe(0);
		expect(sr.calls('DELETE')).toHaveLength(1);
		expect(staticData[SR_STORE_FIELD]).toBeUndefined();
	});

	it('re-creates a subscription deleted on the SmartRecruiters side; re-activates one found inactive', async () => {
		const c = ctx();
		await call(methods.create, c);
		const [first] = [...sr.subscriptions.values()];
		sr.subscriptions.delete(first.id);
		expect(await call(methods.checkExists, c)).toBe(false);
		await call(methods.create, c);
		expect(sr.subscriptions.size).toBe(1);
		const [second] = [...sr.subscriptions.values()];
		expect(second.id).not.toBe(first.id);
		expect(second.status).toBe('active');
		expect(readSrStore(staticData as never).subscriptions.map((s) => s.id)).toEqual([second.id]);

		second.status = 'inactive';
		expect(await call(methods.checkExists, c)).toBe(false);
		await call(methods.create, c);
		expect(sr.subscriptions.size).toBe(1);
		expect(second.status).toBe('active');
		expect(sr.calls('POST', /\/subscriptions$/)).toHaveLength(2);
	});

	it('a vendor error gives the user a clear message', async () => {
		const c = ctx(apiParams, 'wrong-key');
		const error = (await call(methods.create, c).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'SmartRecruiters rejected the API key while creating a webhook subscription for job.created, application.created. Check the SmartRecruiters API credential (key, and Base URL if you set one).',
		);
		expect(JSON.stringify(error)).not.toContain('wrong-key');
	});

	it('an unknown event name shows what SmartRecruiters said', async () => {
		await sr.stop();
		sr = await new FakeSmartRecruiters('sr-key-123', {
			handshake: handshakeIntoTrigger,
			knownEvents: ['job.created'],
		}).start();
		const error = (await call(
			methods.create,
			ctx({ ...apiParams, events: ['job.created'], additionalEvents: 'job.exploded' }),
		).catch((e: unknown) => e)) as NodeApiError;
		expect(error.message).toMatch(
			/^SmartRecruiters refused creating a webhook subscription for job.exploded \(HTTP 400\): Unknown event: job.exploded/,
		);
	});

	it('a failed handshake says the URL must be reachable, and removes the half-made subscription', async () => {
		sr.setHandshake(async () => ({ status: 404, headers: {} }));
		const error = (await call(methods.create, ctx()).catch((e: unknown) => e)) as NodeApiError;
		expect(error.message).toMatch(
			/activating the webhook subscription \(HTTP 400\).*could not complete the X-Hook-Secret handshake with https:\/\/n8n\.example\.com/,
		);
		expect(sr.subscriptions.size).toBe(0);
		expect(staticData[SR_STORE_FIELD]).toBeUndefined();
	});

	it('a failed secret-key call removes the subscription again (callbacks could not be verified)', async () => {
		sr.fail('POST', /\/secret-key$/, 404, { message: 'Not found' });
		const error = (await call(methods.create, ctx()).catch((e: unknown) => e)) as NodeApiError;
		expect(error.message).toMatch(/generating the subscription's secret key/);
		expect(sr.subscriptions.size).toBe(0);
		expect(sr.calls('PUT')).toHaveLength(0);
	});

	it('falls back to one subscription per event when several in one are refused', async () => {
		await sr.stop();
		sr = await new FakeSmartRecruiters('sr-key-123', {
			handshake: handshakeIntoTrigger,
			singleEventOnly: true,
		}).start();
		const c = ctx();
		await call(methods.create, c);
		expect([...sr.subscriptions.values()].map((s) => s.events.map((e) => e.name))).toEqual([
			['job.created'],
			['application.created'],
		]);
		expect([...sr.subscriptions.values()].every((s) => s.status === 'active')).toBe(true);
		expect(
			readSrStore(staticData as never).subscriptions.flatMap((s) => s.secretKeys),
		).toHaveLength(2);
		expect(await call(methods.checkExists, c)).toBe(true);
	});

	it('removes a leftover subscription at this URL whose key was lost', async () => {
		await call(methods.create, ctx());
		const leftover = [...sr.subscriptions.keys()][0];
		staticData = {};
		await call(methods.create, ctx());
		expect(sr.subscriptions.has(leftover)).toBe(false);
		expect(sr.subscriptions.size).toBe(1);
	});

	it('manual registration never calls the API', async () => {
		const c = ctx({ registration: 'manual', events: ['job.created'] });
		expect(await call(methods.checkExists, c)).toBe(true);
		expect(await call(methods.create, c)).toBe(true);
		expect(sr.requests).toHaveLength(0);
	});

	it('deactivation logs and keeps what it could not delete', async () => {
		const c = ctx();
		await call(methods.create, c);
		sr.fail('DELETE', /subscriptions\//, 503, { message: 'maintenance' });
		expect(await call(methods.delete, c)).toBe(false);
		expect(readSrStore(staticData as never).subscriptions).toHaveLength(1);
		expect(c.logs.find((l) => l.level === 'warn')?.message).toMatch(
			/could not delete a subscription/,
		);
		expect(JSON.stringify(c.logs)).not.toContain(
			readSrStore(staticData as never).subscriptions[0].secretKeys[0],
		);
		expect(await call(methods.delete, c)).toBe(true);
	});
});

import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { NodeApiError, type IHookFunctions } from 'n8n-workflow';
import { LeverTrigger } from '../../nodes/Lever/LeverTrigger.node';
import { LeverApi } from '../../credentials/LeverApi.credentials';
import { signLeverBody } from '../../nodes/Lever/leverSignature';
import { LEVER_STORE_FIELD, readStore } from '../../nodes/Lever/leverApi';
import { deliver } from '../helpers/webhookContext';
import { FakeLever, hookContext } from '../helpers/fakeApi-lsr';

/**
 * The Lever Trigger node: webhook() with a mocked IWebhookFunctions (CONTRIBUTING.md "Test layers"), and
 * checkExists/create/delete against a local fake of Lever's webhook API written from the
 * documented contract (Lever developer documentation, "Webhooks via the API":
 * GET/POST /v1/webhooks, DELETE /v1/webhooks/:id, Basic auth with the API key as user;
 * docs/nodes/leverTrigger.md), called through n8n's real httpRequestWithAuthentication.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lever');
const fixtureBody = (name: string) =>
	JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')).body as Record<
		string,
		unknown
	>;

const trigger = new LeverTrigger();
const TOKEN = 'signature-token-of-one-lever-webhook';
const WEBHOOK_URL = 'https://n8n.example.com/webhook/2c0c1e6b-lever/webhook';

/** The fixture as Lever would send it now: fresh token and triggeredAt, signed with `secret`. */
function leverDelivery(
	name: string,
	secret = TOKEN,
	overrides: Record<string, unknown> = {},
): string {
	const { signature: _s, ...rest } = fixtureBody(name);
	return JSON.stringify(
		signLeverBody(secret, {
			...(rest as { event: string; data: unknown }),
			triggeredAt: Date.now(),
			token: randomBytes(24).toString('hex'),
			...overrides,
		}),
	);
}

const apiStatic = () => ({
	[LEVER_STORE_FIELD]: {
		webhooks: [
			{ id: 'w1', event: 'candidateStageChange', url: WEBHOOK_URL, token: TOKEN, origins: [] },
		],
	},
});
const apiParams = {
	registration: 'api',
	events: ['candidateStageChange', 'candidateHired'],
	options: {},
};

describe('LeverTrigger description', () => {
	it('follows the n8n conventions the package relies on', () => {
		const d = trigger.description;
		expect(d).toMatchObject({
			name: 'leverTrigger',
			displayName: 'Lever Trigger',
			icon: { light: 'file:lever.svg', dark: 'file:lever.dark.svg' },
			inputs: [],
			defaults: { name: 'Lever Trigger' },
		});
		expect(d.webhooks?.map((w) => [w.name, w.httpMethod, w.path])).toEqual([
			['default', 'POST', 'webhook'],
			['setup', 'GET', 'webhook'],
		]);
		expect(d.credentials?.map((c) => c.name)).toEqual([
			'leverApi',
			'atsWebhookSigningSecretApi',
			'atsWebhookRedisApi',
		]);
		const codex = JSON.parse(
			fs.readFileSync(
				path.join(__dirname, '..', '..', 'nodes', 'Lever', 'LeverTrigger.node.json'),
				'utf8',
			),
		);
		expect(codex.node).toBe('n8n-nodes-ats-webhooks.leverTrigger');
	});

	it('has a credential with a cheap authenticated test request and a base URL behind an option', () => {
		const credential = new LeverApi();
		expect(credential.test.request).toMatchObject({ url: '/webhooks' });
		const baseUrl = credential.properties.find((p) => p.name === 'baseUrl');
		expect(baseUrl?.displayOptions).toEqual({ show: { environment: ['custom'] } });
	});
});

describe('LeverTrigger webhook()', () => {
	it('starts one execution with the canonical event for a delivery signed with a stored webhook token', async () => {
		const { response, items } = await deliver(trigger, {
			body: leverDelivery('candidateStageChange'),
			parameters: apiParams,
			staticData: apiStatic(),
		});
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({ status: 'accepted', events: 1 });
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			source: 'lever',
			event: 'application.stage_changed',
			application: {
				id: '3410c8b9-5c31-4bab-b7e9-9f710206d647',
				stage: '7c2690d8-6308-4ed9-ae2a-cbfe7db26593',
				previousStage: '992f01a9-ee19-41d2-ae79-1040701b195c',
			},
			delivery: { verified: true, scheme: 'vendor' },
		});
	});

	it('answers 401 and starts nothing for a bad signature, or when no token is stored yet', async () => {
		const bad = await deliver(trigger, {
			body: leverDelivery('candidateStageChange', 'another-token'),
			parameters: apiParams,
			staticData: apiStatic(),
		});
		expect(bad.response).toMatchObject({ status: 401, body: { reason: 'signature_mismatch' } });
		expect(bad.items).toHaveLength(0);
		expect(bad.result).toEqual({ noWebhookResponse: true });
		const none = await deliver(trigger, {
			body: leverDelivery('candidateStageChange'),
			parameters: apiParams,
			staticData: {},
		});
		expect(none.response).toMatchObject({ status: 401, body: { reason: 'no_secret' } });
		expect(JSON.stringify(none.response.body)).not.toContain(TOKEN);
	});

	it('answers the test delivery (data: {}) with 200 and starts nothing', async () => {
		const { response, items } = await deliver(trigger, {
			body: leverDelivery('test_candidateHired'),
			parameters: apiParams,
			staticData: apiStatic(),
		});
		expect(response).toMatchObject({ status: 200, body: { reason: 'ping' } });
		expect(items).toHaveLength(0);
	});

	it('answers a repeated delivery with 200 and starts nothing the second time', async () => {
		const staticData = apiStatic();
		const body = leverDelivery('candidateHired');
		const first = await deliver(trigger, {
			body,
			parameters: apiParams,
			staticData,
			workflowId: 'wf-lever-dup',
		});
		const second = await deliver(trigger, {
			body,
			parameters: apiParams,
			staticData,
			workflowId: 'wf-lever-dup',
		});
		expect(first.items).toHaveLength(1);
		expect(second.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(second.items).toHaveLength(0);
	});

	it('manual registration verifies with the signature token from the signing secret credential', async () => {
		const parameters = { registration: 'manual', events: [], options: {} };
		const credentials = {
			atsWebhookSigningSecretApi: { secret: 'token-from-lever-settings', previousSecret: '' },
		};
		const ok = await deliver(trigger, {
			body: leverDelivery('applicationCreated', 'token-from-lever-settings'),
			parameters,
			credentials,
		});
		expect(ok.items[0]).toMatchObject({ event: 'application.created' });
		// No credential: 503 + Retry-After (Lever retries non-2xx), no execution, no throw.
		const missing = await deliver(trigger, {
			body: leverDelivery('applicationCreated', 'token-from-lever-settings'),
			parameters,
		});
		expect(missing.response).toMatchObject({
			status: 503,
			headers: { 'retry-after': '60' },
			body: { reason: 'not_configured' },
		});
		expect(missing.result.workflowData).toBeUndefined();
	});

	it('answers a stale delivery 401 and a GET 405, never throwing', async () => {
		const stale = await deliver(trigger, {
			body: leverDelivery('candidateStageChange', TOKEN, { triggeredAt: Date.now() - 3_600_000 }),
			parameters: apiParams,
			staticData: apiStatic(),
		});
		expect(stale.response).toMatchObject({ status: 401, body: { reason: 'timestamp_too_old' } });
		const get = await deliver(trigger, {
			method: 'GET',
			parameters: apiParams,
			staticData: apiStatic(),
		});
		expect(get.response.status).toBe(405);
	});
});

describe('LeverTrigger subscriptions against a fake Lever API', () => {
	let lever: FakeLever;
	beforeEach(async () => {
		lever = await new FakeLever('lever-key-123').start();
	});
	afterEach(async () => lever.stop());

	const ctx = (
		parameters: Record<string, unknown> = apiParams,
		staticData: Record<string, unknown> = {},
		apiKey = 'lever-key-123',
	) =>
		hookContext({
			parameters,
			staticData,
			webhookUrl: WEBHOOK_URL,
			credentialTypes: { leverApi: new LeverApi() },
			credentials: { leverApi: { apiKey, environment: 'custom', baseUrl: lever.apiRoot } },
		});
	const methods = trigger.webhookMethods.default;
	const call = (fn: (this: IHookFunctions) => Promise<boolean>, c: ReturnType<typeof ctx>) =>
		fn.call(c.context);

	it('activation creates exactly one webhook per selected event, with Basic auth, and keeps each signature token', async () => {
		const c = ctx({ ...apiParams, options: { origins: ['sourced', 'applied'] } });
		expect(await call(methods.checkExists, c)).toBe(false);
		expect(await call(methods.create, c)).toBe(true);

		const posts = lever.calls('POST', /^\/v1\/webhooks$/);
		expect(posts.map((p) => p.body)).toEqual([
			{
				url: WEBHOOK_URL,
				event: 'candidateStageChange',
				configuration: { conditions: { origins: ['applied', 'sourced'] } },
			},
			{
				url: WEBHOOK_URL,
				event: 'candidateHired',
				configuration: { conditions: { origins: ['applied', 'sourced'] } },
			},
		]);
		expect(posts[0].headers.authorization).toBe(
			`Basic ${Buffer.from('lever-key-123:').toString('base64')}`,
		);
		expect(lever.webhooks.size).toBe(2);

		const stored = readStore(c.staticData as never).webhooks;
		expect(stored.map((w) => [w.event, w.token])).toEqual(
			[...lever.webhooks.values()].map((w) => [w.event, w.configuration.signatureToken]),
		);

		// A delivery Lever signs with one of those tokens is accepted by webhook().
		const token = stored.find((w) => w.event === 'candidateHired')!.token;
		const { items } = await deliver(trigger, {
			body: leverDelivery('candidateHired', token),
			parameters: apiParams,
			staticData: c.staticData,
		});
		expect(items[0]).toMatchObject({ event: 'candidate.hired' });
	});

	it('checkExists finds them (following Lever pagination), deactivation deletes them', async () => {
		await lever.stop();
		lever = await new FakeLever('lever-key-123', { pageSize: 1, nesting: 'single' }).start();
		const c = ctx();
		await call(methods.create, c);
		expect(await call(methods.checkExists, c)).toBe(true);
		expect(lever.calls('GET', /^\/v1\/webhooks$/).some((r) => r.query.offset === '1')).toBe(true);

		const ids = readStore(c.staticData as never).webhooks.map((w) => w.id);
		expect(ids).toHaveLength(2);
		expect(await call(methods.delete, c)).toBe(true);
		expect(
			lever
				.calls('DELETE')
				.map((r) => r.path)
				.sort(),
		).toEqual(ids.map((id) => `/v1/webhooks/${id}`).sort());
		expect(lever.webhooks.size).toBe(0);
		expect(c.staticData[LEVER_STORE_FIELD]).toBeUndefined();
	});

	it('re-creates a webhook deleted on the Lever side, and only that one', async () => {
		const c = ctx();
		await call(methods.create, c);
		const [first, second] = [...lever.webhooks.values()];
		lever.webhooks.delete(first.id);

		expect(await call(methods.checkExists, c)).toBe(false);
		await call(methods.create, c);
		const posts = lever.calls('POST', /^\/v1\/webhooks$/);
		expect(posts).toHaveLength(3);
		expect(posts[2].body).toMatchObject({ event: first.event });
		expect(lever.webhooks.size).toBe(2);
		expect(lever.webhooks.has(second.id)).toBe(true);
		expect(
			readStore(c.staticData as never)
				.webhooks.map((w) => w.event)
				.sort(),
		).toEqual(['candidateHired', 'candidateStageChange']);
		expect(await call(methods.checkExists, c)).toBe(true);
	});

	it('removes a leftover webhook at this URL whose token was lost, instead of receiving twice', async () => {
		await call(methods.create, ctx(apiParams, {}));
		const leftovers = [...lever.webhooks.keys()];
		const fresh = ctx(apiParams, {}); // static data lost (workflow copied, node renamed, …)
		expect(await call(methods.checkExists, fresh)).toBe(false);
		await call(methods.create, fresh);
		expect(
			lever
				.calls('DELETE')
				.map((r) => r.path.split('/').pop())
				.sort(),
		).toEqual(leftovers.sort());
		expect(lever.webhooks.size).toBe(2);
	});

	it('a vendor error gives the user a clear message that says what to do', async () => {
		lever.fail('POST', /^\/v1\/webhooks$/, 403, {
			code: 'Forbidden',
			message:
				"Your Lever account settings don't authorize you to perform the requested operation.",
		});
		const c = ctx();
		const error = await call(methods.create, c).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe(
			'Lever refused creating the "candidateStageChange" webhook: the API key is not allowed to manage webhooks. Give the key webhook permissions in Lever, then publish again.',
		);
		expect((error as NodeApiError).description).toContain(
			"Your Lever account settings don't authorize you",
		);
		expect(JSON.stringify(error)).not.toContain('lever-key-123');
		expect(lever.webhooks.size).toBe(0);
		expect(c.staticData[LEVER_STORE_FIELD]).toBeUndefined();
	});

	it('a refused event name shows what Lever said', async () => {
		const c = ctx({ registration: 'api', events: ['candidateMoved'] });
		const error = (await call(methods.create, c).catch((e: unknown) => e)) as NodeApiError;
		expect(error.message).toMatch(
			/^Lever refused creating the "candidateMoved" webhook \(HTTP 400\): Invalid webhook/,
		);
	});

	it('rolls back the webhooks created before a later event failed', async () => {
		const c = ctx();
		let posts = 0;
		// Let the first POST through, fail the second.
		const request = c.request.getMockImplementation()!;
		c.request.mockImplementation(async (type, options) => {
			if (options.method === 'POST' && ++posts === 2)
				lever.fail('POST', /^\/v1\/webhooks$/, 503, {
					code: 'ServiceUnavailable',
					message: 'maintenance',
				});
			return request(type, options);
		});
		const error = await call(methods.create, c).catch((e: unknown) => e);
		expect((error as Error).message).toBe(
			'Lever had a server error (HTTP 503) while creating the "candidateHired" webhook. Try publishing again later.',
		);
		expect(lever.webhooks.size).toBe(0);
		expect(lever.calls('DELETE')).toHaveLength(1);
		expect(c.staticData[LEVER_STORE_FIELD]).toBeUndefined();
	});

	it('a wrong API key says to check the credential', async () => {
		const c = ctx(apiParams, {}, 'wrong-key');
		const error = (await call(methods.checkExists, ctx(apiParams, apiStatic(), 'wrong-key')).catch(
			(e: unknown) => e,
		)) as Error;
		expect(error.message).toBe(
			'Lever rejected the API key while listing webhooks. Check the Lever API credential (key, and Base URL if you set one).',
		);
		await expect(call(methods.create, c)).rejects.toThrow('Lever rejected the API key');
	});

	it('deactivation keeps a webhook it could not delete (and logs why), treats 404 as already gone', async () => {
		const c = ctx();
		await call(methods.create, c);
		const [first, second] = [...lever.webhooks.values()];
		lever.webhooks.delete(first.id); // gone already: 404
		lever.fail('DELETE', new RegExp(second.id), 500, { code: 'ServerError', message: 'Oops' });
		expect(await call(methods.delete, c)).toBe(false);
		expect(readStore(c.staticData as never).webhooks.map((w) => w.id)).toEqual([second.id]);
		expect(c.logs.some((l) => l.level === 'warn' && /could not delete/.test(l.message))).toBe(true);
		expect(JSON.stringify(c.logs)).not.toContain(second.configuration.signatureToken);
		// Next time it goes.
		expect(await call(methods.delete, c)).toBe(true);
		expect(lever.webhooks.size).toBe(0);
	});

	it('manual registration never calls the Lever API', async () => {
		const c = ctx({ registration: 'manual', events: ['candidateHired'] });
		expect(await call(methods.checkExists, c)).toBe(true);
		expect(await call(methods.create, c)).toBe(true);
		expect(lever.requests).toHaveLength(0);
	});
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeApiError } from 'n8n-workflow';
import { AshbyTrigger } from '../../nodes/Ashby/AshbyTrigger.node';
import { signAshby } from '../../nodes/Ashby/ashbySignature';
import { AshbyApi } from '../../credentials/AshbyApi.credentials';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { deliver } from '../helpers/webhookContext';
import { FakeAshby, hookContext, testCredential } from '../helpers/fakeApi-gaw';

/**
 * Ashby Trigger with a mocked IWebhookFunctions (CONTRIBUTING.md "Test layers") and, for the webhook
 * methods, a local fake of Ashby's API written from its documented contract (see FakeAshby in
 * test/helpers/fakeApi-gaw.ts: developers.ashbyhq.com/reference/webhookcreate, webhookinfo,
 * webhookupdate, webhookdelete, apikeyinfo, /docs/responses, /docs/setting-up-webhooks).
 */
const node = new AshbyTrigger();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'ashby', `${name}.json`), 'utf8');
const WEBHOOK_URL = 'https://n8n.example.com/webhook/6f1c-ashby/webhook';

beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
});

describe('Ashby Trigger: deliveries', () => {
	const secret = 'a'.repeat(64);
	const signed = (
		raw: string,
		staticData: Record<string, unknown> = { webhookSecret: secret },
		key = secret,
	) => ({
		body: raw,
		headers: { 'ashby-signature': signAshby(key, raw) },
		parameters: { events: ['candidateStageChange', 'candidateHire'] },
		staticData,
	});

	it('a correctly signed candidateStageChange starts one execution with the canonical event', async () => {
		const raw = fixture('candidateStageChange');
		const { result, response, items } = await deliver(node, signed(raw));
		expect(response.status).toBe(200);
		expect(result.noWebhookResponse).toBeUndefined(); // n8n answers, after it stored the execution
		expect(items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(items[0]).success).toBe(true);
		expect(items[0]).toMatchObject({
			source: 'ashby',
			event: 'application.stage_changed',
			sourceEvent: 'candidateStageChange',
			application: { stage: 'Technical Interview' },
			delivery: { id: '75395d87-4044-4dc4-bc29-0cec185e5f06', verified: true, scheme: 'vendor' },
			payload: JSON.parse(raw),
		});
	});

	it('a bad signature gets 401 with a reason and starts nothing', async () => {
		const { result, response } = await deliver(
			node,
			signed(fixture('candidateStageChange'), { webhookSecret: secret }, 'b'.repeat(64)),
		);
		expect(response.status).toBe(401);
		expect(response.body).toMatchObject({ error: 'unauthorized', reason: 'signature_mismatch' });
		expect(result.workflowData).toBeUndefined();
	});

	it('a retry of the same webhookActionId is answered 200 and starts nothing', async () => {
		const staticData = { webhookSecret: secret };
		const raw = fixture('candidateHire');
		expect((await deliver(node, signed(raw, staticData))).items).toHaveLength(1);
		const retry = await deliver(node, signed(raw, staticData));
		expect(retry.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(retry.result.workflowData).toBeUndefined();
	});

	it('an event the user did not select is answered 200 and starts nothing', async () => {
		const { response, result } = await deliver(node, signed(fixture('offerCreate')));
		expect(response).toMatchObject({
			status: 200,
			body: { status: 'ignored', reason: 'event_not_selected' },
		});
		expect(result.workflowData).toBeUndefined();
	});

	it('the ping is answered 200 even before a secret is stored; a real event then gets 503 + Retry-After (Ashby retries 5xx, not 401)', async () => {
		const ping = await deliver(node, {
			body: fixture('ping'),
			parameters: { events: ['candidateHire'] },
			staticData: {},
		});
		expect(ping.response.status).toBe(200);
		expect(ping.result.workflowData).toBeUndefined();
		const noSecret = await deliver(node, signed(fixture('candidateHire'), {}));
		expect(noSecret.response).toMatchObject({
			status: 503,
			headers: { 'retry-after': '60' },
			body: { error: 'not_ready', reason: 'no_secret' },
		});
		expect(String((noSecret.response.body as { message: string }).message)).toMatch(
			/publish the workflow/,
		);
		expect(noSecret.result.workflowData).toBeUndefined();
	});

	it('malformed JSON that is correctly signed gets 400; a GET gets 405', async () => {
		const broken = '{"webhookActionId": "x", "action": ';
		expect((await deliver(node, signed(broken))).response.status).toBe(400);
		expect(
			(await deliver(node, { method: 'GET', parameters: { events: ['candidateHire'] } })).response
				.status,
		).toBe(405);
	});

	it('never puts the secret or candidate data in a reply or a log', async () => {
		const raw = fixture('candidateStageChange');
		const bad = await deliver(node, signed(raw, { webhookSecret: secret }, 'c'.repeat(64)));
		const text = JSON.stringify([bad.response.body, bad.logs]);
		expect(text).not.toContain(secret);
		expect(text).not.toMatch(/Holden|test@ashbyhq\.com/);
	});
});

describe('Ashby Trigger: webhook registration against a fake Ashby API', () => {
	let ashby: FakeAshby;
	const credentialType = new AshbyApi();
	beforeEach(async () => {
		ashby = await new FakeAshby().start();
	});
	afterEach(async () => ashby.stop());

	const context = (
		overrides: { events?: string[]; apiKey?: string; staticData?: Record<string, unknown> } = {},
	) =>
		hookContext({
			credentialName: 'ashbyApi',
			credentialType,
			credentials: {
				apiKey: overrides.apiKey ?? 'ashby-key',
				useCustomBaseUrl: true,
				baseUrl: ashby.url,
			},
			parameters: {
				events: overrides.events ?? ['candidateStageChange', 'candidateHire', 'offerCreate'],
			},
			staticData: overrides.staticData,
			webhookUrl: WEBHOOK_URL,
		});
	const methods = node.webhookMethods.default;
	/** What n8n does on publish: checkExists, then create when it says false (CONTRIBUTING.md "Webhook registration"). */
	const activate = async (ctx: ReturnType<typeof context>) => {
		if (!(await methods.checkExists.call(ctx.context))) await methods.create.call(ctx.context);
	};

	it('activation creates exactly one webhook per selected event, with Basic auth, the webhook URL and one generated secret', async () => {
		const ctx = context();
		expect(await methods.checkExists.call(ctx.context)).toBe(false);
		expect(await methods.create.call(ctx.context)).toBe(true);

		const creates = ashby.calls('POST', '/webhook.create');
		expect(creates.map((c) => (c.body as { webhookType: string }).webhookType).sort()).toEqual([
			'candidateHire',
			'candidateStageChange',
			'offerCreate',
		]);
		const secret = ctx.staticData.webhookSecret as string;
		expect(secret).toMatch(/^[0-9a-f]{64}$/);
		for (const call of creates) {
			expect(call.authorization).toBe(`Basic ${Buffer.from('ashby-key:').toString('base64')}`);
			expect(call.body).toEqual({
				webhookType: expect.any(String),
				requestUrl: WEBHOOK_URL,
				secretToken: secret,
			});
		}
		expect(ashby.webhooks.size).toBe(3);
		expect(Object.values(ctx.staticData.webhookIds as Record<string, string>).sort()).toEqual(
			[...ashby.webhooks.keys()].sort(),
		);
	});

	it('checkExists finds them afterwards (webhook.info per webhook)', async () => {
		const ctx = context();
		await activate(ctx);
		const infoBefore = ashby.calls('POST', '/webhook.info').length;
		expect(await methods.checkExists.call(ctx.context)).toBe(true);
		expect(ashby.calls('POST', '/webhook.info').length - infoBefore).toBe(3);
	});

	it('a delivery signed with the secret Ashby holds is accepted by webhook() with the stored static data', async () => {
		const ctx = context();
		await activate(ctx);
		const held = [...ashby.webhooks.values()].find(
			(w) => w.webhookType === 'candidateStageChange',
		)!;
		const raw = fixture('candidateStageChange');
		const { items, response } = await deliver(node, {
			body: raw,
			headers: { 'ashby-signature': signAshby(held.secretToken, raw) },
			parameters: { events: ['candidateStageChange', 'candidateHire', 'offerCreate'] },
			staticData: ctx.staticData,
		});
		expect(response.status).toBe(200);
		expect(items).toHaveLength(1);
	});

	it('deactivation deletes them in Ashby and clears static data', async () => {
		const ctx = context();
		await activate(ctx);
		expect(await methods.delete.call(ctx.context)).toBe(true);
		expect(ashby.webhooks.size).toBe(0);
		expect(ashby.calls('POST', '/webhook.delete')).toHaveLength(3);
		expect(ctx.staticData).toEqual({});
	});

	it('a webhook deleted on the Ashby side is found missing and re-created on the next publish, old ones removed, new secret', async () => {
		const ctx = context();
		await activate(ctx);
		const oldSecret = ctx.staticData.webhookSecret;
		const ids = ctx.staticData.webhookIds as Record<string, string>;
		ashby.deleteRemotely(ids.candidateHire);

		expect(await methods.checkExists.call(ctx.context)).toBe(false);
		await methods.create.call(ctx.context);
		expect(ashby.webhooks.size).toBe(3);
		expect([...ashby.webhooks.values()].map((w) => w.webhookType).sort()).toEqual([
			'candidateHire',
			'candidateStageChange',
			'offerCreate',
		]);
		expect(ctx.staticData.webhookSecret).not.toBe(oldSecret);
		expect(
			[...ashby.webhooks.values()].every((w) => w.secretToken === ctx.staticData.webhookSecret),
		).toBe(true);
		expect(await methods.checkExists.call(ctx.context)).toBe(true);
	});

	it('changing the selected events makes checkExists false, and create() leaves exactly the new set', async () => {
		const ctx = context({ events: ['candidateHire'] });
		await activate(ctx);
		const changed = context({ events: ['offerCreate', 'offerUpdate'], staticData: ctx.staticData });
		expect(await methods.checkExists.call(changed.context)).toBe(false);
		await methods.create.call(changed.context);
		expect([...ashby.webhooks.values()].map((w) => w.webhookType).sort()).toEqual([
			'offerCreate',
			'offerUpdate',
		]);
	});

	it("Ashby's ping during create() reaches a trigger that has no secret yet, is answered 200, and the webhook stays enabled", async () => {
		const ctx = context({ events: ['candidateStageChange'] });
		const statuses: number[] = [];
		ashby.ping = async () => {
			// The real ping arrives while create() runs: static data does not hold the new secret yet.
			const { response } = await deliver(node, {
				body: fixture('ping'),
				parameters: { events: ['candidateStageChange'] },
				staticData: { ...ctx.staticData },
			});
			statuses.push(response.status ?? 0);
			return response.status ?? 0;
		};
		await activate(ctx);
		expect(statuses).toEqual([200]);
		expect([...ashby.webhooks.values()][0].enabled).toBe(true);
		expect(ashby.calls('POST', '/webhook.update')).toHaveLength(0);
	});

	it('a webhook Ashby created disabled (failed ping) is enabled again', async () => {
		const ctx = context({ events: ['candidateStageChange'] });
		ashby.ping = async () => 502;
		await activate(ctx);
		expect(ashby.calls('POST', '/webhook.update')).toHaveLength(1);
		expect([...ashby.webhooks.values()][0].enabled).toBe(true);
	});

	it('a wrong API key gives a clear error and leaves nothing behind', async () => {
		const ctx = context({ apiKey: 'not-a-key' });
		const error = await methods.create.call(ctx.context).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toBe(
			'Ashby rejected the API key (401) when trying to create the candidateHire webhook: check the key in the Ashby credential is correct and still active.',
		);
		expect(ashby.webhooks.size).toBe(0);
		expect(JSON.stringify(error)).not.toContain('not-a-key');
	});

	it('a key without the write permission gets a message naming it', async () => {
		ashby.keys.set('read-only', ['apiKeysRead']);
		const error = (await methods.create
			.call(context({ apiKey: 'read-only' }).context)
			.catch((e: unknown) => e)) as Error;
		expect(error.message).toMatch(
			/^Ashby could not create the candidateHire webhook: The API key is missing the apiKeysWrite permission/,
		);
		expect(error.message).toMatch(/Check that the API key has the apiKeysWrite permission/);
	});

	it('a failure half-way rolls back the webhooks already created', async () => {
		const ctx = context();
		ashby.failNext('POST', '/webhook.create', {
			status: 200,
			body: { success: true, results: { id: 'ignored', enabled: true } },
		});
		ashby.failNext('POST', '/webhook.create', { status: 503, body: 'upstream unavailable' });
		// The first (queued) answer has an id the fake does not hold; the real second create fails.
		const error = (await methods.create.call(ctx.context).catch((e: unknown) => e)) as Error;
		expect(error.message).toMatch(
			/^Ashby answered HTTP 503 when trying to create the candidateStageChange webhook/,
		);
		expect(
			ashby
				.calls('POST', '/webhook.delete')
				.map((c) => (c.body as { webhookId: string }).webhookId),
		).toEqual(['ignored']);
		expect(ctx.staticData.webhookIds).toBeUndefined();
	});

	it('checkExists reports an unusable key instead of silently re-creating', async () => {
		const ctx = context();
		await activate(ctx);
		const wrong = context({ apiKey: 'revoked', staticData: ctx.staticData });
		await expect(methods.checkExists.call(wrong.context)).rejects.toThrow(
			/Ashby rejected the API key \(401\)/,
		);
	});

	it('delete tolerates webhooks already gone in Ashby', async () => {
		const ctx = context();
		await activate(ctx);
		for (const id of Object.values(ctx.staticData.webhookIds as Record<string, string>))
			ashby.deleteRemotely(id);
		expect(await methods.delete.call(ctx.context)).toBe(true);
		expect(ctx.staticData).toEqual({});
	});

	it('manual registration: publishing and unpublishing call nothing in Ashby; deliveries verify with the credential secret', async () => {
		const ctx = hookContext({
			credentialName: 'ashbyApi',
			credentialType,
			credentials: { apiKey: 'ashby-key', useCustomBaseUrl: true, baseUrl: ashby.url },
			parameters: { registration: 'manual', events: [] },
			webhookUrl: WEBHOOK_URL,
		});
		expect(await methods.checkExists.call(ctx.context)).toBe(true);
		expect(await methods.create.call(ctx.context)).toBe(true);
		expect(await methods.delete.call(ctx.context)).toBe(true);
		expect(ashby.requests).toHaveLength(0);

		const raw = fixture('offerCreate');
		const manual = {
			parameters: { registration: 'manual', events: [] },
			credentials: { atsWebhookSigningSecretApi: { secret: 'typed-in-ashby', previousSecret: '' } },
		};
		const ok = await deliver(node, {
			...manual,
			body: raw,
			headers: { 'ashby-signature': signAshby('typed-in-ashby', raw) },
		});
		expect(ok.items).toHaveLength(1);
		expect(ok.items[0]).toMatchObject({ event: 'offer.created', delivery: { verified: true } });
		const bad = await deliver(node, {
			...manual,
			body: raw,
			headers: { 'ashby-signature': signAshby('other', raw) },
		});
		expect(bad.response.status).toBe(401);
		// Manual, no credential: 503 + Retry-After (Ashby retries 5xx), nothing starts.
		const missing = await deliver(node, {
			parameters: manual.parameters,
			body: raw,
			headers: { 'ashby-signature': signAshby('typed-in-ashby', raw) },
		});
		expect(missing.response).toMatchObject({
			status: 503,
			headers: { 'retry-after': '60' },
			body: { reason: 'not_configured' },
		});
		expect(missing.result.workflowData).toBeUndefined();
	});

	it('automatic registration with no event selected refuses to publish, saying why', async () => {
		await expect(methods.create.call(context({ events: [] }).context)).rejects.toThrow(
			'Select at least one Ashby event: the trigger creates one Ashby webhook per event.',
		);
		expect(ashby.webhooks.size).toBe(0);
	});

	it('the credential test calls apiKey.info: OK for a good key, an error for a wrong key or one without permission', async () => {
		const base = { useCustomBaseUrl: true, baseUrl: ashby.url };
		expect(await testCredential(credentialType, { ...base, apiKey: 'ashby-key' })).toEqual({
			status: 'OK',
			message: 'Connection successful',
		});
		expect((await testCredential(credentialType, { ...base, apiKey: 'nope' })).status).toBe(
			'Error',
		);
		ashby.keys.set('no-read', []);
		expect(await testCredential(credentialType, { ...base, apiKey: 'no-read' })).toEqual({
			status: 'Error',
			message: expect.stringMatching(/apiKeysRead/),
		});
		expect(ashby.calls('POST', '/apiKey.info')).toHaveLength(3);
	});
});

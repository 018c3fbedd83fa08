import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BreezyHrApi } from '../../credentials/BreezyHrApi.credentials';
import { BreezyHrTrigger } from '../../nodes/BreezyHr/BreezyHrTrigger.node';
import { signBreezyHr } from '../../nodes/BreezyHr/breezyHrSource';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { FakeBreezy } from '../helpers/fakeApi-breezy';
import { hookContext } from '../helpers/fakeApi-gaw';
import { deliver } from '../helpers/webhookContext';

/**
 * Breezy HR Trigger: deliveries with a mocked IWebhookFunctions (test/helpers/webhookContext.ts), and
 * registration against a local fake of Breezy's webhook management API (test/helpers/fakeApi-breezy.ts,
 * written from developer.breezy.hr/reference/webhook-management-api).
 */
const node = new BreezyHrTrigger();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'breezyhr', `${name}.json`), 'utf8');
const WEBHOOK_URL = 'https://n8n.example.com/webhook/breezy-1/webhook';
const methods = node.webhookMethods.default;

beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
});

describe('Breezy HR Trigger: registration against a fake Breezy HR API', () => {
	let breezy: FakeBreezy;
	beforeEach(async () => {
		breezy = await new FakeBreezy().start();
	});
	afterEach(async () => breezy.stop());

	const context = (
		overrides: {
			events?: string[];
			token?: string;
			staticData?: Record<string, unknown>;
			registration?: string;
		} = {},
	) =>
		hookContext({
			credentialName: 'breezyHrApi',
			credentialType: new BreezyHrApi(),
			credentials: {
				apiToken: overrides.token ?? 'breezy-token',
				companyId: 'comp123',
				useCustomBaseUrl: true,
				baseUrl: `${breezy.url}/v3`,
			},
			parameters: {
				registration: overrides.registration ?? 'api',
				events: overrides.events ?? ['candidateStatusUpdated', 'candidateAdded'],
			},
			staticData: overrides.staticData,
			webhookUrl: WEBHOOK_URL,
		});
	const activate = async (ctx: ReturnType<typeof context>) => {
		if (!(await methods.checkExists.call(ctx.context))) await methods.create.call(ctx.context);
	};

	it('publishing creates one endpoint with the URL and the events, sending the token as Authorization, and keeps the secret Breezy returned', async () => {
		const ctx = context();
		await activate(ctx);
		const [create] = breezy.calls('POST', '/v3/company/comp123/webhook_endpoints');
		expect(create.authorization).toBe('breezy-token');
		expect(create.body).toMatchObject({
			url: WEBHOOK_URL,
			events: ['candidateStatusUpdated', 'candidateAdded'],
		});
		const [endpoint] = [...breezy.endpoints.values()];
		expect(ctx.staticData.breezy).toEqual({
			endpointId: endpoint._id,
			secret: endpoint.secret,
			url: WEBHOOK_URL,
			events: ['candidateStatusUpdated', 'candidateAdded'],
		});
		// A second publish finds it and creates nothing.
		expect(await methods.checkExists.call(ctx.context)).toBe(true);
	});

	it('a delivery signed with the secret Breezy generated starts one execution', async () => {
		const ctx = context();
		await activate(ctx);
		const secret = [...breezy.endpoints.values()][0].secret;
		const raw = fixture('candidateStatusUpdated');
		const { response, items } = await deliver(node, {
			body: raw,
			headers: { 'x-hook-signature': signBreezyHr(secret, raw) },
			parameters: { registration: 'api', events: ['candidateStatusUpdated'], options: {} },
			staticData: ctx.staticData,
		});
		expect(response.status).toBe(200);
		expect(items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(items[0]).success).toBe(true);
		expect(items[0]).toMatchObject({
			source: 'breezyhr',
			event: 'application.stage_changed',
			application: { stage: 'Phone Screen' },
			delivery: { verified: true },
		});
	});

	it('changed events: the old endpoint is deleted and a new one created; an endpoint deleted in Breezy is re-created', async () => {
		const ctx = context();
		await activate(ctx);
		const first = (ctx.staticData.breezy as { endpointId: string }).endpointId;
		const changed = context({ events: ['candidateAdded'], staticData: ctx.staticData });
		await activate(changed);
		expect(breezy.endpoints.has(first)).toBe(false);
		expect([...breezy.endpoints.values()].map((e) => e.events)).toEqual([['candidateAdded']]);
		breezy.endpoints.clear();
		await activate(changed);
		expect(breezy.endpoints.size).toBe(1);
	});

	it('an answer without a secret is rolled back (nothing kept in Breezy or n8n) and refused, saying why', async () => {
		breezy.omitSecret = true;
		const ctx = context();
		await expect(activate(ctx)).rejects.toThrow(/no usable webhook endpoint/);
		expect(breezy.endpoints.size).toBe(0);
		expect(ctx.staticData.breezy).toBeUndefined();
	});

	it('a refused token fails publishing with a NodeApiError that does not carry the token', async () => {
		const ctx = context({ token: 'wrong-token' });
		const error = await activate(ctx).catch((e: Error) => e);
		expect((error as Error).constructor.name).toBe('NodeApiError');
		expect(
			JSON.stringify({
				message: (error as Error).message,
				description: (error as { description?: string }).description,
			}),
		).not.toContain('wrong-token');
		expect(breezy.endpoints.size).toBe(0);
	});

	it('unpublishing deletes the endpoint (a 404 counts as gone); manual registration never calls the API', async () => {
		const ctx = context();
		await activate(ctx);
		await methods.delete.call(ctx.context);
		expect(breezy.endpoints.size).toBe(0);
		expect(ctx.staticData.breezy).toBeUndefined();
		// Someone already deleted it in Breezy: unpublishing still succeeds.
		await activate(ctx);
		breezy.endpoints.clear();
		await expect(methods.delete.call(ctx.context)).resolves.toBe(true);
		expect(breezy.calls('DELETE', '/').length).toBe(2);
		const manual = context({ registration: 'manual' });
		await activate(manual);
		await methods.delete.call(manual.context);
		expect(breezy.requests.filter((r) => r.authorization === 'breezy-token')).toHaveLength(
			breezy.requests.length,
		);
		expect(breezy.calls('POST', '/').length).toBe(2);
	});

	it('automatic registration with no event selected refuses to publish', async () => {
		await expect(methods.create.call(context({ events: [] }).context)).rejects.toThrow(
			/Select at least one/,
		);
	});
});

describe('Breezy HR Trigger: manual registration', () => {
	const credentials = {
		atsWebhookSigningSecretApi: { secret: 'whsec_typed_by_the_admin', previousSecret: '' },
	};
	it('verifies with the whsec_ secret from the signing-secret credential; 401 without a signature', async () => {
		const raw = fixture('candidateAdded');
		const parameters = { registration: 'manual', events: [], options: {} };
		const ok = await deliver(node, {
			body: raw,
			headers: { 'x-hook-signature': signBreezyHr('whsec_typed_by_the_admin', raw) },
			parameters,
			credentials,
		});
		expect(ok.items).toHaveLength(1);
		const bad = await deliver(node, { body: raw, headers: {}, parameters, credentials });
		expect(bad.response.status).toBe(401);
		expect(JSON.stringify(bad.response.body)).not.toMatch(/whsec_typed|Sam|example\.com/);
	});
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';
import { PersonioApi } from '../../credentials/PersonioApi.credentials';
import { PersonioTrigger } from '../../nodes/Personio/PersonioTrigger.node';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { hookContext, sendRequest, testCredential } from '../helpers/fakeApi-gaw';
import { FakePersonio } from '../helpers/fakeApi-personio';
import { deliver, type DeliveryOptions } from '../helpers/webhookContext';
import { sharedDedupCredential } from '../../nodes/shared/triggerDescription';

/**
 * Personio Trigger: webhook() with a mocked IWebhookFunctions, and the lifecycle methods against a
 * local fake of Personio's documented API (test/helpers/fakeApi-personio.ts), through the credential
 * class's own preAuthentication (client credentials, https://developer.personio.de/reference/post_v2-auth-token)
 * and `authenticate` block, as n8n's httpRequestWithAuthentication runs them.
 */
const node = new PersonioTrigger();
const credentialType = new PersonioApi();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'personio', `${name}.json`), 'utf8');
const URL_ = 'https://n8n.example.com/webhook/personio-1/webhook';
let personio: FakePersonio;

beforeAll(async () => {
	personio = await new FakePersonio().start();
});
afterAll(async () => personio.stop());
beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
	personio.webhooks.clear();
	personio.requests.length = 0;
	personio.omitId = false;
});

/** n8n runs preAuthentication while the expirable access token is empty. */
async function credentials(
	extra: Partial<ICredentialDataDecryptedObject> = {},
): Promise<ICredentialDataDecryptedObject> {
	const base = {
		clientId: personio.clientId,
		clientSecret: personio.clientSecret,
		baseUrl: personio.url,
		sessionToken: '',
		...extra,
	};
	const helper = { helpers: { httpRequest: sendRequest } } as unknown as IHttpRequestHelper;
	return { ...base, ...(await credentialType.preAuthentication!.call(helper, base)) };
}

async function hooks(
	parameters: Record<string, unknown>,
	staticData: Record<string, unknown> = {},
) {
	return hookContext({
		credentialName: 'personioApi',
		credentialType,
		credentials: await credentials(),
		parameters,
		staticData,
		webhookUrl: URL_,
	});
}

const AUTO = { registration: 'api', events: ['person.created', 'employment.created'], options: {} };

describe('Personio API credential', () => {
	it('exchanges client ID and secret for an access token (form-encoded client credentials) and tests with it', async () => {
		const creds = await credentials();
		expect(creds.sessionToken).toMatch(/^papi-/);
		const tokenCall = personio.calls('POST', '/v2/auth/token')[0];
		expect(tokenCall.body).toBe(
			`grant_type=client_credentials&client_id=${personio.clientId}&client_secret=${personio.clientSecret}`,
		);
		expect(await testCredential(credentialType, creds)).toEqual({
			status: 'OK',
			message: 'Connection successful',
		});
		expect(personio.calls('GET', '/v2/webhooks')[0].authorization).toBe(
			`Bearer ${String(creds.sessionToken)}`,
		);
		expect(
			(await testCredential(credentialType, { ...creds, sessionToken: 'papi-expired' })).status,
		).toBe('Error');
	});
});

describe('Personio Trigger', () => {
	it('offers automatic (Personio API) or manual registration, person and employment events, no Replay Window', () => {
		expect(node.description).toMatchObject({
			name: 'personioTrigger',
			displayName: 'Personio Trigger',
		});
		expect(node.description.credentials).toEqual([
			{ name: 'personioApi', required: true, displayOptions: { show: { registration: ['api'] } } },
			{
				name: 'atsWebhookSigningSecretApi',
				required: true,
				displayOptions: { show: { registration: ['manual'] } },
			},
			sharedDedupCredential,
		]);
		const events = node.description.properties.find((p) => p.name === 'events');
		expect((events?.options ?? []).map((o) => ('value' in o ? o.value : ''))).toEqual(
			expect.arrayContaining(['person.created', 'employment.started', 'employment.terminated']),
		);
		expect(JSON.stringify(node.description.properties)).not.toMatch(/toleranceSeconds/);
	});

	it('create(): one ENABLED webhook with auth_type TOKEN and a generated token; checkExists reads Personio; delete removes it', async () => {
		const { context, staticData } = await hooks(AUTO);
		expect(await node.webhookMethods.default.checkExists.call(context)).toBe(false);
		expect(await node.webhookMethods.default.create.call(context)).toBe(true);
		const [hook] = [...personio.webhooks.values()];
		expect(hook).toMatchObject({
			url: URL_,
			status: 'ENABLED',
			auth_type: 'TOKEN',
			enabled_events: ['person.created', 'employment.created'],
		});
		expect(hook.token).toMatch(/^n8n_[A-Za-z0-9_-]{43}$/);
		expect(staticData.personio).toMatchObject({ webhookId: hook.id, token: hook.token });
		expect(await node.webhookMethods.default.checkExists.call(context)).toBe(true);

		// Deleted on Personio's side (or other events selected): checkExists says so, create replaces it.
		personio.webhooks.clear();
		expect(await node.webhookMethods.default.checkExists.call(context)).toBe(false);
		expect(await node.webhookMethods.default.delete.call(context)).toBe(true);
		expect(staticData.personio).toBeUndefined();
	});

	it('create() removes a leftover webhook for this URL (its token is lost) and keeps the old token for deliveries under way', async () => {
		const staticData: Record<string, unknown> = {};
		const first = await hooks(AUTO, staticData);
		await node.webhookMethods.default.create.call(first.context);
		const oldToken = (staticData.personio as { token: string }).token;
		await node.webhookMethods.default.create.call(first.context);
		expect(personio.webhooks.size).toBe(1);
		expect(staticData.personio).toMatchObject({ previousToken: oldToken });
		expect(personio.calls('DELETE', '/v2/webhooks/')).toHaveLength(1);
	});

	it('rolls back when Personio answers without an id, and says why', async () => {
		personio.omitId = true;
		const { context, staticData } = await hooks(AUTO);
		await expect(node.webhookMethods.default.create.call(context)).rejects.toThrow(/no id/);
		expect(personio.webhooks.size).toBe(0);
		expect(staticData.personio).toBeUndefined();
	});

	it('a wrong client secret fails create() with a NodeApiError that does not echo the secret', async () => {
		await expect(credentials({ clientSecret: 'wrong-secret' })).rejects.toThrow();
		const { context } = hookContext({
			credentialName: 'personioApi',
			credentialType,
			credentials: {
				clientId: 'x',
				clientSecret: 'wrong-secret',
				baseUrl: personio.url,
				sessionToken: 'papi-not-issued',
			},
			parameters: AUTO,
			webhookUrl: URL_,
		});
		const error = await node.webhookMethods.default.create.call(context).catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		expect(JSON.stringify(error)).not.toContain('wrong-secret');
		expect((error as Error).message).toMatch(/Personio/);
	});

	it('delivery with the registered token → one execution; a retry is a duplicate; another token → 401', async () => {
		const { context, staticData } = await hooks(AUTO);
		await node.webhookMethods.default.create.call(context);
		const token = (staticData.personio as { token: string }).token;
		const options = (authorization: string): DeliveryOptions => ({
			body: fixture('employment.created'),
			headers: { authorization },
			parameters: AUTO,
			staticData,
			workflowId: 'wf-personio',
		});
		const ok = await deliver(node, options(token));
		expect(ok.response.status).toBe(200);
		expect(ok.items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(ok.items[0]).success).toBe(true);
		expect(ok.items[0]).toMatchObject({
			source: 'personio',
			event: 'unknown',
			sourceEvent: 'employment.created',
			personioEntity: 'employment',
			personId: '8823410',
			delivery: { verified: true },
		});
		const retry = await deliver(node, options(token));
		expect(retry.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		const wrong = await deliver(node, options('n8n_not_the_token'));
		expect(wrong.response.status).toBe(401);
		expect(wrong.result.workflowData).toBeUndefined();
		expect(JSON.stringify(wrong.response.body)).not.toContain(token);
	});

	it('manual registration: the token is the credential Secret; Personio itself is never called', async () => {
		const secret = 'Bearer my-own-personio-token-0123456789';
		const { response, items } = await deliver(node, {
			body: fixture('person.created'),
			headers: { authorization: secret },
			parameters: { registration: 'manual', events: [], options: {} },
			credentials: { atsWebhookSigningSecretApi: { secret, previousSecret: '' } },
			workflowId: 'wf-personio-manual',
		});
		expect(response.status).toBe(200);
		expect(items[0]).toMatchObject({ sourceEvent: 'person.created', personId: '8823410' });
		const { context } = await hooks({ ...AUTO, registration: 'manual' });
		personio.requests.length = 0;
		expect(await node.webhookMethods.default.checkExists.call(context)).toBe(true);
		expect(await node.webhookMethods.default.create.call(context)).toBe(true);
		expect(await node.webhookMethods.default.delete.call(context)).toBe(true);
		expect(personio.requests).toHaveLength(0);
	});
});

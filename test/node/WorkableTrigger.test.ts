import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeApiError } from 'n8n-workflow';
import { WorkableTrigger } from '../../nodes/Workable/WorkableTrigger.node';
import { signWorkable } from '../../nodes/Workable/workableSignature';
import { WorkableApi } from '../../credentials/WorkableApi.credentials';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { deliver } from '../helpers/webhookContext';
import { FakeWorkable, hookContext, testCredential } from '../helpers/fakeApi-gaw';

/**
 * Workable Trigger with a mocked IWebhookFunctions (CONTRIBUTING.md "Test layers") and, for subscriptions, a
 * local fake of Workable's SPI v3 written from its documented contract (FakeWorkable in
 * test/helpers/fakeApi-gaw.ts: workable.readme.io/reference/webhook-subscriptions, /jobs, /stages;
 * docs/nodes/workableTrigger.md). n8n's built-in WorkableTrigger verifies nothing (docs/nodes/workableTrigger.md); this one must.
 */
const node = new WorkableTrigger();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'workable', `${name}.json`), 'utf8');
const WEBHOOK_URL = 'https://n8n.example.com/webhook/2b7e-workable/webhook';
const credentials = {
	workableAtsApi: { subdomain: 'acme', accessToken: 'wk-token', signingSecret: '' },
};

beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
});

describe('Workable Trigger: deliveries', () => {
	const signed = (raw: string, key = 'wk-token', extra: Record<string, unknown> = {}) => ({
		body: raw,
		headers: { 'x-workable-signature': signWorkable(key, raw) },
		parameters: { events: ['candidate_created', 'candidate_moved'] },
		credentials,
		...extra,
	});

	it('a candidate_moved signed with the account token starts one execution with the canonical event', async () => {
		const raw = fixture('candidate_moved');
		const { result, response, items } = await deliver(
			node,
			signed(raw, 'wk-token', { query: { event: 'candidate_moved' } }),
		);
		expect(response.status).toBe(200);
		expect(result.noWebhookResponse).toBeUndefined(); // n8n answers, after it stored the execution
		expect(items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(items[0]).success).toBe(true);
		expect(items[0]).toMatchObject({
			source: 'workable',
			event: 'application.stage_changed',
			application: { id: '3fc9a80f', stage: 'Interview' },
			delivery: { verified: true, scheme: 'vendor' },
			payload: JSON.parse(raw),
		});
	});

	it('a base64 signature of the same HMAC is accepted too (hex vs base64 is UNCONFIRMED)', async () => {
		const raw = fixture('candidate_created');
		const { items } = await deliver(node, {
			...signed(raw),
			headers: { 'x-workable-signature': signWorkable('wk-token', raw, 'base64') },
		});
		expect(items).toHaveLength(1);
	});

	it('an OAuth app secret in the credential verifies deliveries signed with it', async () => {
		const raw = fixture('candidate_created');
		const oauth = {
			workableAtsApi: {
				subdomain: 'acme',
				accessToken: 'wk-token',
				signingSecret: 'client-secret',
			},
		};
		expect(
			(await deliver(node, signed(raw, 'client-secret', { credentials: oauth }))).items,
		).toHaveLength(1);
	});

	it('an unsigned or wrongly signed delivery gets 401 and starts nothing', async () => {
		const raw = fixture('candidate_moved');
		const unsigned = await deliver(node, {
			body: raw,
			parameters: { events: ['candidate_moved'] },
			credentials,
		});
		expect(unsigned.response).toMatchObject({ status: 401, body: { reason: 'missing_signature' } });
		expect(unsigned.result.workflowData).toBeUndefined();
		const wrong = await deliver(node, signed(raw, 'someone-else'));
		expect(wrong.response).toMatchObject({ status: 401, body: { reason: 'signature_mismatch' } });
		expect(JSON.stringify([wrong.response.body, wrong.logs])).not.toMatch(
			/wk-token|Lakita|lakita\.marrero/,
		);
	});

	it('a body without event_type is named by the ?event= the trigger put on the subscription target', async () => {
		const raw = fixture('candidate_moved_data_only');
		const { items } = await deliver(
			node,
			signed(raw, 'wk-token', { query: { event: 'candidate_moved' } }),
		);
		expect(items[0]).toMatchObject({
			sourceEvent: 'candidate_moved',
			event: 'application.stage_changed',
		});
	});

	it('a retried delivery is answered 200 and starts nothing', async () => {
		const staticData = {};
		const raw = fixture('candidate_moved_hired');
		expect((await deliver(node, signed(raw, 'wk-token', { staticData }))).items[0]).toMatchObject({
			event: 'candidate.hired',
		});
		const retry = await deliver(node, signed(raw, 'wk-token', { staticData }));
		expect(retry.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(retry.result.workflowData).toBeUndefined();
	});

	it('a missing credential is a 503 the sender retries, not a hang or a crash', async () => {
		const raw = fixture('candidate_moved');
		const { response, result } = await deliver(node, {
			body: raw,
			headers: { 'x-workable-signature': signWorkable('wk-token', raw) },
			parameters: { events: ['candidate_moved'] },
		});
		expect(response).toMatchObject({
			status: 503,
			headers: { 'retry-after': '60' },
			body: { reason: 'not_configured' },
		});
		expect(result.workflowData).toBeUndefined();
	});
});

describe('Workable Trigger: subscriptions against a fake Workable SPI', () => {
	let workable: FakeWorkable;
	const credentialType = new WorkableApi();
	beforeEach(async () => {
		workable = await new FakeWorkable().start();
	});
	afterEach(async () => workable.stop());

	const context = (
		overrides: {
			events?: string[];
			token?: string;
			job?: string;
			stage?: string;
			staticData?: Record<string, unknown>;
		} = {},
	) =>
		hookContext({
			credentialName: 'workableAtsApi',
			credentialType,
			credentials: {
				subdomain: 'acme',
				accessToken: overrides.token ?? 'wk-token',
				signingSecret: '',
				useCustomBaseUrl: true,
				baseUrl: workable.baseUrl,
			},
			parameters: {
				events: overrides.events ?? ['candidate_created', 'candidate_moved'],
				jobShortcode: overrides.job ?? 'GROOV005',
				stageSlug: overrides.stage ?? '',
			},
			staticData: overrides.staticData,
			webhookUrl: WEBHOOK_URL,
		});
	const methods = node.webhookMethods.default;
	const activate = async (ctx: ReturnType<typeof context>) => {
		if (!(await methods.checkExists.call(ctx.context))) await methods.create.call(ctx.context);
	};

	it('activation subscribes exactly once per selected event, Bearer token, distinct targets, job and stage filter in args', async () => {
		const ctx = context();
		expect(await methods.checkExists.call(ctx.context)).toBe(false);
		expect(await methods.create.call(ctx.context)).toBe(true);
		const posts = workable.calls('POST', '/spi/v3/subscriptions');
		expect(posts.map((p) => p.body)).toEqual([
			{
				target: `${WEBHOOK_URL}?event=candidate_created`,
				event: 'candidate_created',
				args: { account_id: 'acme', job_shortcode: 'GROOV005', stage_slug: '' },
			},
			{
				target: `${WEBHOOK_URL}?event=candidate_moved`,
				event: 'candidate_moved',
				args: { account_id: 'acme', job_shortcode: 'GROOV005', stage_slug: '' },
			},
		]);
		expect(posts.every((p) => p.authorization === 'Bearer wk-token')).toBe(true);
		expect(workable.subscriptions.size).toBe(2);
		expect(Object.keys(ctx.staticData.subscriptionIds as object).sort()).toEqual([
			'candidate_created',
			'candidate_moved',
		]);
	});

	it('employee events are subscribed without args (Workable: "the employee related events do not use it")', async () => {
		const ctx = context({ events: ['employee_created'] });
		await activate(ctx);
		expect(workable.calls('POST', '/spi/v3/subscriptions')[0].body).toEqual({
			target: `${WEBHOOK_URL}?event=employee_created`,
			event: 'employee_created',
		});
	});

	it('checkExists finds them by target and filter afterwards', async () => {
		const ctx = context();
		await activate(ctx);
		const fresh = context({ staticData: {} });
		expect(await methods.checkExists.call(fresh.context)).toBe(true);
		expect(fresh.staticData.subscriptionIds).toEqual(ctx.staticData.subscriptionIds);
		expect(await methods.checkExists.call(context({ job: 'OTHER1' }).context)).toBe(false);
	});

	it('deactivation deletes them and clears static data', async () => {
		const ctx = context();
		await activate(ctx);
		expect(await methods.delete.call(ctx.context)).toBe(true);
		expect(workable.subscriptions.size).toBe(0);
		expect(workable.calls('DELETE', '/spi/v3/subscriptions/')).toHaveLength(2);
		expect(ctx.staticData).toEqual({});
	});

	it('a subscription deleted on the Workable side is re-created on the next publish', async () => {
		const ctx = context();
		await activate(ctx);
		const ids = ctx.staticData.subscriptionIds as Record<string, string>;
		workable.deleteRemotely(ids.candidate_moved);
		expect(await methods.checkExists.call(ctx.context)).toBe(false);
		await methods.create.call(ctx.context);
		expect([...workable.subscriptions.values()].map((s) => s.event).sort()).toEqual([
			'candidate_created',
			'candidate_moved',
		]);
		expect(await methods.checkExists.call(ctx.context)).toBe(true);
	});

	it('a target Workable already holds with another filter (409) is replaced, not duplicated', async () => {
		await activate(context({ job: 'OLD001' }));
		const ctx = context({ job: 'GROOV005', staticData: {} });
		expect(await methods.checkExists.call(ctx.context)).toBe(false);
		await methods.create.call(ctx.context);
		const subs = [...workable.subscriptions.values()];
		expect(subs).toHaveLength(2);
		expect(subs.every((s) => s.job_shortcode === 'GROOV005')).toBe(true);
	});

	it('a wrong token gives a clear error', async () => {
		const error = await methods.create
			.call(context({ token: 'expired' }).context)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toBe(
			'Workable rejected the access token (401) when trying to subscribe to candidate_created: check the subdomain and the token in the Workable credential.',
		);
		expect(JSON.stringify(error)).not.toContain('expired');
	});

	it('a token without the employee scope gets a message naming the scopes, and the subscription made before is rolled back', async () => {
		workable.tokens.set('candidates-only', ['r_candidates']);
		const ctx = context({
			token: 'candidates-only',
			events: ['candidate_moved', 'employee_created'],
		});
		const error = (await methods.create.call(ctx.context).catch((e: unknown) => e)) as Error;
		expect(error.message).toBe(
			'Workable refused to subscribe to employee_created (403): the access token needs the r_candidates scope (r_employees for employee events).',
		);
		expect(workable.subscriptions.size).toBe(0);
		expect(workable.calls('DELETE', '/spi/v3/subscriptions/')).toHaveLength(1);
		expect(ctx.staticData.subscriptionIds).toBeUndefined();
	});

	it('a Workable outage while listing gives a clear error from checkExists', async () => {
		workable.failNext('GET', '/spi/v3/subscriptions', {
			status: 503,
			body: { error: 'Service Unavailable' },
		});
		await expect(methods.checkExists.call(context().context)).rejects.toThrow(
			'Workable answered HTTP 503 when trying to list its webhook subscriptions: Service Unavailable.',
		);
	});

	it('manual registration: publishing and unpublishing call nothing in Workable', async () => {
		const ctx = hookContext({
			credentialName: 'workableAtsApi',
			credentialType,
			credentials: {
				subdomain: 'acme',
				accessToken: 'wk-token',
				useCustomBaseUrl: true,
				baseUrl: workable.baseUrl,
			},
			parameters: { registration: 'manual', events: [] },
			webhookUrl: WEBHOOK_URL,
		});
		expect(await methods.checkExists.call(ctx.context)).toBe(true);
		expect(await methods.create.call(ctx.context)).toBe(true);
		expect(await methods.delete.call(ctx.context)).toBe(true);
		expect(workable.requests).toHaveLength(0);
	});

	it('automatic registration with no event selected refuses to publish, saying why', async () => {
		await expect(methods.create.call(context({ events: [] }).context)).rejects.toThrow(
			'Select at least one Workable event: the trigger subscribes once per event.',
		);
	});

	it('loads jobs and stages for the dropdowns', async () => {
		const ctx = context();
		const jobs = await node.methods.loadOptions.getJobs.call(ctx.context);
		expect(jobs).toEqual([
			{ name: 'All Jobs', value: '' },
			{ name: 'Office Manager (draft)', value: 'GROOV003' },
			{ name: 'Sales Intern (published)', value: 'GROOV005' },
		]);
		const stages = await node.methods.loadOptions.getStages.call(ctx.context);
		expect(stages.map((s) => s.value)).toEqual(['', 'sourced', 'interview', 'hired']);
	});

	it('the credential test lists subscriptions: OK with the token, an error without', async () => {
		const base = { subdomain: 'acme', useCustomBaseUrl: true, baseUrl: workable.baseUrl };
		expect(
			await testCredential(credentialType, { ...base, accessToken: 'wk-token' }),
		).toMatchObject({ status: 'OK' });
		expect(await testCredential(credentialType, { ...base, accessToken: 'bad' })).toEqual({
			status: 'Error',
			message: 'HTTP 401',
		});
	});

	it('the default base URL is https://<subdomain>.workable.com/spi/v3 (credential test expression)', async () => {
		const { resolveCredentialExpression } = await import('../helpers/fakeApi-gaw');
		expect(
			resolveCredentialExpression(credentialType.test!.request.baseURL, {
				subdomain: 'acme',
				useCustomBaseUrl: false,
			}),
		).toBe('https://acme.workable.com/spi/v3');
	});
});

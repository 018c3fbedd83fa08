import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KomboApi } from '../../credentials/KomboApi.credentials';
import { KomboTrigger } from '../../nodes/Kombo/KomboTrigger.node';
import { signKombo } from '../../nodes/Kombo/komboSource';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { FakeKombo } from '../helpers/fakeApi-kombo';
import { deliverSeed, type SeedDeliveryOptions } from '../helpers/seedDeliver';
import { sharedDedupCredential } from '../../nodes/shared/triggerDescription';

/**
 * Kombo Trigger with a mocked IWebhookFunctions (test/helpers/webhookContext.ts); the execution's
 * first step (execute()) runs after the answer, as in n8n. "Fetch Changed Records" reads a local fake
 * of Kombo's documented API (test/helpers/fakeApi-kombo.ts; https://docs.kombo.dev/ats/v1/get-candidates,
 * https://docs.kombo.dev/ats/getting-started/fetching-data, https://docs.kombo.dev/ats/getting-started/authentication),
 * through the credential class's own `authenticate` block.
 */
const node = new KomboTrigger();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'kombo', `${name}.json`), 'utf8');
const SECRET = 'kombo webhook secret for node tests';
const API_KEY = 'ks_dev_fake_key_for_node_tests';
const WORKDAY = 'workday:Tz4Gk8PqR2mVn6Xb1Lc9Ws5J';
let kombo: FakeKombo;

beforeAll(async () => {
	kombo = await new FakeKombo(API_KEY).start();
	kombo.integrations.add(WORKDAY);
});
afterAll(async () => kombo.stop());
beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
	kombo.calls.length = 0;
});

function signed(raw: string, extra: Partial<SeedDeliveryOptions> = {}): SeedDeliveryOptions {
	return {
		body: raw,
		headers: { 'x-kombo-signature': signKombo(SECRET, raw) },
		parameters: { events: [], options: {} },
		credentials: {
			atsWebhookSigningSecretApi: { secret: SECRET, previousSecret: '' },
			komboApi: { apiKey: API_KEY, baseUrl: kombo.url },
		},
		credentialTypes: { komboApi: new KomboApi() },
		...extra,
	};
}

const fetching = (extra: Record<string, unknown> = {}) => ({
	events: [],
	fetchChangedRecords: true,
	records: ['applications', 'candidates', 'jobs'],
	options: {},
	...extra,
});

/** The same notification as Kombo would send it again later, with a new event id. */
const another = (name: string, id: string) =>
	JSON.stringify({ ...(JSON.parse(fixture(name)) as object), id }, null, 2);

describe('Kombo Trigger', () => {
	it('is set up in the Kombo dashboard; the API credential is asked for only with Fetch Changed Records', () => {
		expect(node.description).toMatchObject({
			name: 'komboTrigger',
			displayName: 'Kombo Trigger',
			inputs: [],
		});
		expect((node as { webhookMethods?: unknown }).webhookMethods).toBeUndefined();
		expect(node.description.properties.find((p) => p.name === 'setupNotice')?.displayName).toMatch(
			/Kombo dashboard/,
		);
		expect(node.description.credentials).toEqual([
			{ name: 'atsWebhookSigningSecretApi', required: true },
			{
				name: 'komboApi',
				required: true,
				displayOptions: { show: { fetchChangedRecords: [true] } },
			},
			sharedDedupCredential,
		]);
		const options = node.description.properties.find((p) => p.name === 'options');
		expect(JSON.stringify(options)).not.toMatch(/toleranceSeconds/);
	});

	it('a signed data-changed starts one execution with the notification as one item (no fetch by default)', async () => {
		const { response, items } = await deliverSeed(node, signed(fixture('data-changed.ats')));
		expect(response.status).toBe(200);
		expect(items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(items[0]).success).toBe(true);
		expect(items[0]).toMatchObject({
			source: 'kombo',
			event: 'unknown',
			sourceEvent: 'data-changed',
			integration: 'workday',
			changedModels: ['ats_applications', 'ats_candidates'],
			delivery: { verified: true, scheme: 'vendor' },
		});
		expect(kombo.calls).toHaveLength(0);
	});

	it('Fetch Changed Records: after the answer, one canonical event per changed record, read with the key and the integration id', async () => {
		const staticData: Record<string, unknown> = {};
		const before = Date.now();
		const { response, items, result } = await deliverSeed(
			node,
			signed(fixture('data-changed.ats'), { parameters: fetching(), staticData }),
		);
		// webhook() fetched nothing: the answer is n8n's, after the execution was stored.
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(response.status).toBe(200);
		expect(items.map((i) => [i.event, (i.subject as { id: string }).id])).toEqual([
			['application.updated', 'Ap1Bq2Cr3Ds4Et5Fu6Gv7Hw8'],
			['application.deleted', 'Aq2Br3Cs4Dt5Eu6Fv7Gw8Hx9'],
			['candidate.updated', 'Cn7Do8Ep9Fq1Gr2Hs3It4Ju5'],
			['candidate.updated', 'Cp9Fq1Gr2Hs3It4Ju5Kv6Lw7'],
		]);
		for (const item of items) {
			expect(canonicalEventSchema.safeParse(item).success).toBe(true);
			expect(item).toMatchObject({
				integration: 'workday',
				notificationId: 'Q7mXo2RtB9vKc4LpN8sWd3Ha',
			});
		}
		// ats_applications + ats_candidates changed: jobs is selected but not called.
		expect(kombo.calls.map((c) => c.path)).toEqual([
			'/v1/ats/applications',
			'/v1/ats/candidates',
			'/v1/ats/candidates',
		]);
		for (const call of kombo.calls)
			expect(call).toMatchObject({ authorization: `Bearer ${API_KEY}`, integrationId: WORKDAY });
		// First fetch for this integration: updated_after = now - 60 minutes (the default look-back).
		const first = Date.parse(kombo.calls[0].query.updated_after);
		expect(first).toBeGreaterThanOrEqual(before - 60 * 60_000 - 1000);
		expect(first).toBeLessThanOrEqual(Date.now() - 60 * 60_000 + 1000);
		expect(kombo.calls[0].query).toMatchObject({ include_deleted: 'true' });
		const cursor = (staticData.komboFetchCursors as Record<string, { since: string }>)[WORKDAY]
			.since;
		expect(Date.parse(cursor)).toBeGreaterThanOrEqual(before);

		// The next notification starts where this fetch started (Kombo's guide).
		kombo.calls.length = 0;
		await deliverSeed(
			node,
			signed(another('data-changed.ats', 'Nx2Next0000000000000001'), {
				parameters: fetching({ records: ['applications'] }),
				staticData,
			}),
		);
		expect(kombo.calls.map((c) => [c.path, c.query.updated_after])).toEqual([
			['/v1/ats/applications', cursor],
		]);
	});

	it('Max Records cuts a fetch: the next notification continues at the page where it stopped, over the same window', async () => {
		const staticData: Record<string, unknown> = {
			komboFetchCursors: { [WORKDAY]: { since: '2026-03-02T05:00:00.000Z' } },
		};
		const params = fetching({ records: ['candidates'], maxRecords: 1 });
		const first = await deliverSeed(
			node,
			signed(fixture('data-changed.ats'), { parameters: params, staticData }),
		);
		expect(first.items).toEqual([
			expect.objectContaining({
				event: 'candidate.updated',
				warnings: [expect.stringMatching(/^records_truncated/)],
			}),
		]);
		const state = (staticData.komboFetchCursors as Record<string, Record<string, unknown>>)[
			WORKDAY
		];
		expect(state).toMatchObject({
			since: '2026-03-02T05:00:00.000Z',
			pending: { done: [], resume: { kind: 'candidates', cursor: expect.stringMatching(/^eyJ/) } },
		});
		const startedAt = (state.pending as { startedAt: string }).startedAt;

		// A page cursor Kombo refuses: that endpoint starts again at page 1 next time.
		kombo.calls.length = 0;
		kombo.failNext(400);
		const refused = await deliverSeed(
			node,
			signed(another('data-changed.ats', 'Nx2Next0000000000000010'), {
				parameters: params,
				staticData,
			}),
		);
		expect(refused.items[0]).toMatchObject({ warnings: ['records_not_fetched: HTTP 400'] });
		expect(kombo.calls[0].query.cursor).toMatch(/^eyJ/);
		expect(
			(staticData.komboFetchCursors as Record<string, { pending: { resume?: unknown } }>)[WORKDAY]
				.pending.resume,
		).toBeUndefined();

		// Page 1 again (cut again), then the resumed page 2 completes the window.
		await deliverSeed(
			node,
			signed(another('data-changed.ats', 'Nx2Next0000000000000011'), {
				parameters: params,
				staticData,
			}),
		);
		kombo.calls.length = 0;
		const rest = await deliverSeed(
			node,
			// A notification naming only jobs still finishes the cut candidates fetch.
			signed(
				another('data-changed.jobs', 'Nx2Next0000000000000012').replace(
					'successfactors:Ab7Cd2Ef9Gh4Ij1Kl6Mn3Op',
					WORKDAY,
				),
				{
					parameters: params,
					staticData,
				},
			),
		);
		expect(rest.items.map((i) => (i.subject as { id: string }).id)).toEqual([
			'Cp9Fq1Gr2Hs3It4Ju5Kv6Lw7',
		]);
		expect(
			kombo.calls.map((c) => [c.path, c.query.updated_after, Boolean(c.query.cursor)]),
		).toEqual([['/v1/ats/candidates', '2026-03-02T05:00:00.000Z', true]]);
		expect((staticData.komboFetchCursors as Record<string, unknown>)[WORKDAY]).toEqual({
			since: startedAt,
		});
	});

	it('a failed fetch keeps the notification with a warning (no key, no URL) and does not move the cursor', async () => {
		const staticData: Record<string, unknown> = {
			komboFetchCursors: { [WORKDAY]: '2026-03-02T05:00:00.000Z' },
		};
		kombo.failNext(503);
		const { items, response } = await deliverSeed(
			node,
			signed(fixture('data-changed.ats'), { parameters: fetching(), staticData }),
		);
		expect(response.status).toBe(200);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			sourceEvent: 'data-changed',
			warnings: ['records_not_fetched: HTTP 503'],
		});
		expect(JSON.stringify(items)).not.toMatch(new RegExp(`${API_KEY}|127\\.0\\.0\\.1`));
		expect(staticData.komboFetchCursors).toEqual({ [WORKDAY]: '2026-03-02T05:00:00.000Z' });

		const wrongKey = await deliverSeed(
			node,
			signed(another('data-changed.ats', 'Nx2Next0000000000000002'), {
				parameters: fetching(),
				credentials: {
					atsWebhookSigningSecretApi: { secret: SECRET, previousSecret: '' },
					komboApi: { apiKey: 'ks_dev_revoked', baseUrl: kombo.url },
				},
			}),
		);
		expect(wrongKey.items[0]).toMatchObject({ warnings: ['records_not_fetched: HTTP 401'] });
	});

	it('with Fetch Changed Records: a change of unselected models emits nothing; other webhook types pass through', async () => {
		const hris = await deliverSeed(
			node,
			signed(fixture('data-changed.hris'), { parameters: fetching() }),
		);
		expect(hris.response.status).toBe(200);
		expect(hris.items).toHaveLength(0);
		const sync = await deliverSeed(
			node,
			signed(fixture('sync-finished'), { parameters: fetching() }),
		);
		expect(sync.items).toEqual([
			expect.objectContaining({ sourceEvent: 'sync-finished', syncState: 'SUCCEEDED' }),
		]);
		expect(kombo.calls).toHaveLength(0);
	});

	it('Kombo resending a notification starts nothing and fetches nothing', async () => {
		const staticData = {};
		const options = signed(fixture('data-changed.jobs'), {
			parameters: fetching({ records: ['jobs'] }),
			staticData,
			workflowId: 'wf-kombo-retry',
		});
		kombo.integrations.add('successfactors:Ab7Cd2Ef9Gh4Ij1Kl6Mn3Op');
		const first = await deliverSeed(node, options);
		expect(first.items).toEqual([
			expect.objectContaining({
				event: 'job.updated',
				job: expect.objectContaining({ title: 'Forklift Operator (night)', status: 'OPEN' }),
			}),
		]);
		kombo.calls.length = 0;
		const retry = await deliverSeed(node, options);
		expect(retry.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(retry.result.workflowData).toBeUndefined();
		expect(kombo.calls).toHaveLength(0);
	});

	it('401 for unsigned and wrongly signed deliveries, without the secret in the answer', async () => {
		const raw = fixture('sync-finished');
		for (const headers of <Array<Record<string, string>>>[
			{},
			{ 'x-kombo-signature': signKombo('another secret', raw) },
		]) {
			const { response, result } = await deliverSeed(node, { ...signed(raw), headers });
			expect(response.status).toBe(401);
			expect(result.workflowData).toBeUndefined();
			expect(JSON.stringify(response.body)).not.toMatch(/node tests|hr-ops@example/);
		}
	});
});

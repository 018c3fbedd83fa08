import { NodeApiError, type INodeExecutionData } from 'n8n-workflow';
import { resetReconcileState } from '../../nodes/core/reconcile/unionState';
import { resetPendingCursors } from '../../nodes/AtsReconcile/reconcilePoll';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { FakeReconcileApi, type ReconcileVendor } from '../helpers/fakeApi-reconcile';
import {
	poll,
	runReconcileExecute,
	saved,
	type ReconcileNodeOptions,
	type WorkflowStaticData,
} from '../helpers/reconcileContext';
import { testCredential } from '../helpers/fakeApi-gaw';
import { credentialFor, pollContext } from '../helpers/reconcileContext';

/**
 * The ATS Reconcile Trigger against a local fake of each vendor's list API
 * (test/helpers/fakeApi-reconcile.ts cites each contract): baseline, pagination, the cursor (moved
 * only once the execution's first step ran), the overlap re-read dropped by the union, 429 +
 * Retry-After and 5xx retried, a refusal failing the poll with a NodeApiError and moving nothing.
 */

const VENDORS: ReconcileVendor[] = [
	'greenhouse',
	'ashby',
	'lever',
	'workable',
	'smartrecruiters',
	'teamtailor',
];

function fresh(): void {
	resetReconcileState();
	resetPendingCursors();
	resetRingCache();
	processDedupStore.clear();
}

function events(out: INodeExecutionData[][] | null): Array<Record<string, any>> {
	return (out?.[0] ?? []).map((item) => item.json as Record<string, any>);
}

function cursorOf(db: WorkflowStaticData, nodeName = 'ATS Reconcile Trigger') {
	return (saved(db).global?.atsReconcile as any)?.cursors?.[`id-${nodeName}`];
}

describe.each(VENDORS)('ATS Reconcile Trigger: %s', (vendor) => {
	let api: FakeReconcileApi;
	let db: WorkflowStaticData;
	let o: ReconcileNodeOptions;
	const workflowId = `wf-${vendor}`;

	beforeEach(async () => {
		fresh();
		api = await new FakeReconcileApi(vendor).start();
		db = {};
		o = { vendor, baseUrl: api.url, db, workflowId, options: { pageSize: 100 } };
	});
	afterEach(async () => {
		await api.stop();
	});

	it('first poll is a baseline: nothing emitted, one probe request for one record, the cursor is set', async () => {
		api.add(3, Date.now() - 3_600_000);
		expect(await poll(o)).toBeNull();
		expect(api.listCalls()).toHaveLength(1);
		expect(cursorOf(db)?.watermark).toBeGreaterThan(Date.now() - 5_000);
	});

	it('pages through 250 changes, emits each once as a canonical poll event, moves the cursor when the execution ran', async () => {
		expect(await poll(o)).toBeNull();
		const baseline = cursorOf(db);
		const t = Date.now() + 1_000;
		api.add(250, t);
		const out = await poll(o);
		const emitted = events(out);
		expect(emitted).toHaveLength(250);
		expect(new Set(emitted.map((e) => e.id)).size).toBe(250);
		expect(emitted[0]).toMatchObject({
			source: vendor,
			delivery: { scheme: 'poll', verified: true },
			subject: { id: expect.any(String) },
		});
		expect(emitted[0].event).toMatch(/^(application|candidate)\.(updated|created|stage_changed)$/);
		expect(api.listCalls().length).toBeGreaterThanOrEqual(vendor === 'greenhouse' ? 3 : 3);
		// Not yet stored: the cursor has not moved.
		expect(cursorOf(db)).toEqual(baseline);
		await runReconcileExecute(o, out![0]);
		expect(cursorOf(db).watermark).toBeGreaterThanOrEqual(Math.floor(t / 1000) * 1000);
		// The next poll re-reads the overlap; the union drops what already ran.
		const calls = api.listCalls().length;
		expect(await poll(o)).toBeNull();
		expect(api.listCalls().length).toBeGreaterThan(calls);
		// A new change comes through alone.
		api.add(1, t + 60_000, 'n');
		const next = events(await poll(o));
		expect(next).toHaveLength(1);
	});

	it('429 with Retry-After and 5xx are retried within the budget', async () => {
		expect(await poll(o)).toBeNull();
		api.add(5, Date.now() + 1_000);
		api.failNext(
			{ status: 429, body: { error: 'rate limited' }, headers: { 'retry-after': '0' } },
			{ status: 503, body: { error: 'unavailable' }, headers: { 'retry-after': '0' } },
		);
		expect(events(await poll(o))).toHaveLength(5);
	});

	it('a refused request fails the poll with a NodeApiError and moves nothing', async () => {
		expect(await poll(o)).toBeNull();
		const before = saved(db);
		api.add(5, Date.now() + 1_000);
		api.failNext({ status: 403, body: { error: 'forbidden' } });
		const failure = await poll(o).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(NodeApiError);
		expect((failure as Error).message).toMatch(/403/);
		expect(saved(db)).toEqual(before);
		// Nothing was claimed: the next poll emits the five changes.
		expect(events(await poll(o))).toHaveLength(5);
	});

	it('a poll whose execution has not run yet holds its changes: the next poll neither repeats them nor moves the cursor', async () => {
		expect(await poll(o)).toBeNull();
		const baseline = cursorOf(db);
		api.add(4, Date.now() + 1_000);
		const first = await poll(o);
		expect(events(first)).toHaveLength(4);
		expect(await poll(o)).toBeNull();
		expect(cursorOf(db)).toEqual(baseline);
		await runReconcileExecute(o, first![0]);
		expect(cursorOf(db).watermark).toBeGreaterThan(baseline.watermark);
	});
});

describe('ATS Reconcile Trigger: vendor specifics', () => {
	beforeEach(fresh);

	it('Teamtailor credential: its test request passes against the fake (Token token=…, X-Api-Version)', async () => {
		const api = await new FakeReconcileApi('teamtailor').start();
		const c = credentialFor('teamtailor', api.url);
		await expect(testCredential(c.type, c.data)).resolves.toMatchObject({ status: 'OK' });
		await expect(testCredential(c.type, { ...c.data, apiKey: 'wrong' })).resolves.toMatchObject({
			status: 'Error',
		});
		await api.stop();
	});

	it('Greenhouse Harvest credential: its test is the client-credentials token request', () => {
		const c = credentialFor('greenhouse', 'http://127.0.0.1:1');
		expect(c.type.test?.request).toMatchObject({
			method: 'POST',
			body: expect.stringContaining('grant_type=client_credentials'),
		});
	});

	it('Greenhouse: one token for many requests, sent as Bearer; the cursor URL is followed as it is', async () => {
		const api = await new FakeReconcileApi('greenhouse').start();
		const db: WorkflowStaticData = {};
		const o: ReconcileNodeOptions = {
			vendor: 'greenhouse',
			baseUrl: api.url,
			db,
			options: { pageSize: 50 },
		};
		await poll(o);
		api.add(120, Date.now() + 1_000);
		expect(events(await poll(o))).toHaveLength(120);
		expect(api.requests.filter((r) => r.path === '/token')).toHaveLength(1);
		const lists = api.listCalls().slice(1); // after the baseline's probe
		expect(lists[0].query.get('updated_at')).toMatch(/^gte\|\d{4}-/);
		expect(lists[0].query.get('per_page')).toBe('50');
		expect([...lists[1].query.keys()]).toEqual(['cursor']);
		await api.stop();
	});

	it('the first poll after n8n started (activation init) does not fail the activation; later polls and publishing do', async () => {
		const api = await new FakeReconcileApi('lever').start();
		const db: WorkflowStaticData = {};
		const o: ReconcileNodeOptions = { vendor: 'lever', baseUrl: api.url, db, activation: 'init' };
		const context = pollContext(o);
		api.failNext({ status: 401, body: {} });
		expect(await poll({ ...o, context })).toBeNull();
		expect(cursorOf(db)).toBeUndefined();
		api.failNext({ status: 401, body: {} });
		await expect(poll({ ...o, context })).rejects.toBeInstanceOf(NodeApiError);
		api.failNext({ status: 401, body: {} });
		await expect(poll({ ...o, activation: 'activate' })).rejects.toBeInstanceOf(NodeApiError);
		await api.stop();
	});

	it('Greenhouse: wrong client credentials fail the poll with a message that names them', async () => {
		const api = await new FakeReconcileApi('greenhouse').start();
		const db: WorkflowStaticData = {};
		const o: ReconcileNodeOptions = {
			vendor: 'greenhouse',
			baseUrl: api.url,
			db,
			options: { firstRun: 'backlog' },
		};
		api.client.clientSecret = 'rotated in Greenhouse';
		const failure = await poll(o).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(NodeApiError);
		expect((failure as Error).message).toMatch(/401/);
		await api.stop();
	});

	it('Ashby: the second poll sends the sync token of the last page; an expired token reads the list again, filtered by the watermark', async () => {
		const api = await new FakeReconcileApi('ashby').start();
		const db: WorkflowStaticData = {};
		const o: ReconcileNodeOptions = {
			vendor: 'ashby',
			baseUrl: api.url,
			db,
			options: { overlapMinutes: 0 },
		};
		api.add(30, Date.now() - 86_400_000, 'old');
		await poll(o);
		api.add(3, Date.now() + 1_000);
		const first = await poll(o);
		expect(events(first)).toHaveLength(3); // the 30 old ones are before the watermark
		await runReconcileExecute(o, first![0]);
		expect(cursorOf(db).token).toMatch(/^sync-/);
		api.add(2, Date.now() + 2_000, 'later');
		const second = await poll(o);
		expect(events(second)).toHaveLength(2);
		expect((api.listCalls().at(-1)!.body as any).syncToken).toMatch(/^sync-/);
		await runReconcileExecute(o, second![0]);
		api.expireSyncTokens();
		api.add(1, Date.now() + 3_000, 'last');
		const third = events(await poll(o));
		expect(third.map((e) => e.subject.id)).toEqual([api.records.at(-1)!.id]);
		await api.stop();
	});
});

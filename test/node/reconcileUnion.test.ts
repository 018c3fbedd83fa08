import { mock } from 'jest-mock-extended';
import type { IExecuteFunctions, INode, INodeExecutionData, Logger, Workflow } from 'n8n-workflow';
import { GreenhouseTrigger } from '../../nodes/Greenhouse/GreenhouseTrigger.node';
import { signGreenhouse } from '../../nodes/Greenhouse/greenhouseSignature';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache, StaticDedupRing } from '../../nodes/core/dedup/staticRing';
import { resetReconcileState, unionScopeOf } from '../../nodes/core/reconcile/unionState';
import { resetPendingCursors } from '../../nodes/AtsReconcile/reconcilePoll';
import { FakeReconcileApi, type FakeRecord } from '../helpers/fakeApi-reconcile';
import {
	poll,
	runReconcileExecute,
	saved,
	type ReconcileNodeOptions,
	type WorkflowStaticData,
} from '../helpers/reconcileContext';
import { answerAsN8n, webhookContext } from '../helpers/webhookContext';

/**
 * The union of the Greenhouse Trigger and the ATS Reconcile Trigger in one workflow, with n8n's
 * static-data life cycle modelled as it is (docs/nodes/atsReconcileTrigger.md, "Where the state
 * lives"): a webhook request loads a copy from the database, its execution saves that copy when it
 * ends; the poller holds the copy it loaded at activation and saves it when a poll emits; the
 * execution a poll starts loads a fresh copy and saves it. Every save is a whole overwrite.
 */

const SECRET = 'greenhouse secret';
const WF = 'wf-union';
const WEBHOOK_NODE = 'Greenhouse Trigger';
const trigger = new GreenhouseTrigger();

class Database {
	row: WorkflowStaticData = {};
	load(): WorkflowStaticData {
		return JSON.parse(JSON.stringify(this.row)) as WorkflowStaticData;
	}
	save(copy: WorkflowStaticData): void {
		this.row = saved(copy);
	}
}

function greenhouseBody(record: FakeRecord): string {
	return JSON.stringify({
		action: 'candidate_stage_change',
		payload: {
			application: {
				id: Number(record.id.replace(/\D/g, '')),
				last_activity_at: new Date(record.updatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
				status: 'active',
				current_stage: { id: 1, name: record.stage },
				candidate: { id: 1000, first_name: record.firstName, last_name: record.lastName },
				jobs: [{ id: 7, name: 'Designer', status: 'open' }],
			},
		},
	});
}

let eventNo = 0;

/** One webhook delivery as n8n runs it; returns the started execution's items and the copy to save later. */
async function webhookRequest(db: Database, record: FakeRecord, deliveryId = `evt-${eventNo++}`) {
	const copy = db.load();
	const raw = greenhouseBody(record);
	const built = webhookContext({
		body: raw,
		headers: { signature: signGreenhouse(SECRET, raw), 'greenhouse-event-id': deliveryId },
		parameters: { events: [] },
		credentials: { atsWebhookSigningSecretApi: { secret: SECRET, previousSecret: '' } },
		workflowId: WF,
		nodeId: 'gh-node',
	});
	const part = (type: string) => {
		const key = type === 'global' ? 'global' : `node:${WEBHOOK_NODE}`;
		copy[key] ??= {};
		return copy[key];
	};
	built.context.getWorkflowStaticData.mockImplementation(((type: string) => part(type)) as never);
	const result = await trigger.webhook.call(built.context);
	if (!result.workflowData) return { started: false as const, copy, status: built.response.status };
	answerAsN8n(result, built.res, 'stored');
	// The execution's first step (execute()) runs on the same copy, with n8n's global/node parts.
	const context = mock<IExecuteFunctions>({
		logger: {
			debug: () => undefined,
			info: () => undefined,
			warn: () => undefined,
			error: () => undefined,
		} as unknown as Logger,
	});
	context.getInputData.mockReturnValue(result.workflowData[0]);
	context.getNode.mockReturnValue({
		id: 'gh-node',
		name: WEBHOOK_NODE,
		parameters: {},
	} as unknown as INode);
	context.getWorkflow.mockReturnValue({ id: WF } as Workflow);
	context.getWorkflowStaticData.mockImplementation(((type: string) => part(type)) as never);
	context.getNodeParameter.mockImplementation(
		((_n: string, _i: number, fallback?: unknown) => fallback) as never,
	);
	const items = ((await trigger.execute.call(context)) as INodeExecutionData[][])[0];
	return { started: true as const, copy, items, status: built.response.status, part };
}

function fresh(): void {
	resetReconcileState();
	resetPendingCursors();
	resetRingCache();
	processDedupStore.clear();
}

describe('union of the Greenhouse Trigger and the ATS Reconcile Trigger', () => {
	let api: FakeReconcileApi;
	let db: Database;
	let poller: WorkflowStaticData;
	let o: ReconcileNodeOptions;

	beforeEach(async () => {
		fresh();
		api = await new FakeReconcileApi('greenhouse').start();
		db = new Database();
		// Activation: the poller loads its long-lived copy once.
		poller = db.load();
		o = { vendor: 'greenhouse', baseUrl: api.url, db: poller, workflowId: WF };
	});
	afterEach(async () => {
		await api.stop();
	});

	/** A poll as n8n runs it: poll(); when it emits, save the poller's copy, then the execution (fresh copy) runs execute() and saves. */
	async function pollAsN8n(): Promise<Array<Record<string, any>>> {
		const out = await poll(o);
		if (!out) return [];
		db.save(poller);
		const execCopy = db.load();
		await runReconcileExecute({ ...o, db: execCopy }, out[0]);
		db.save(execCopy);
		return out[0].map((i) => i.json as Record<string, any>);
	}

	async function deliverAndStore(record: FakeRecord, id?: string) {
		const r = await webhookRequest(db, record, id);
		if (r.started) db.save(r.copy); // the execution ends: n8n saves its copy
		return r;
	}

	it('webhook delivers 3 of 5 changes; the poll emits exactly the other 2; a late webhook for one of them starts nothing', async () => {
		expect(await pollAsN8n()).toEqual([]); // baseline
		const changes = api.add(5, Date.now() + 2_000);
		for (const record of changes.slice(0, 3))
			expect((await deliverAndStore(record)).started).toBe(true);
		const emitted = await pollAsN8n();
		expect(emitted.map((e) => String(e.subject.id)).sort()).toEqual(
			changes
				.slice(3)
				.map((r) => r.id.replace(/\D/g, ''))
				.sort(),
		);
		expect(emitted.every((e) => e.delivery.scheme === 'poll')).toBe(true);
		const late = await deliverAndStore(changes[3]);
		expect(late.started).toBe(false);
		expect(late.status).toBe(200);
		// A second change of the same record is a new change for both paths.
		const again = { ...changes[4], updatedAt: changes[4].updatedAt + 5_000 };
		expect((await deliverAndStore(again)).started).toBe(true);
	});

	it('neither writer moves the other back: a webhook save does not regress the cursor, a poll save does not drop the union', async () => {
		expect(await pollAsN8n()).toEqual([]);
		// A webhook request loads its copy now, before the poll below moves the cursor.
		const early = api.add(1, Date.now() + 1_000, 'early')[0];
		const stale = await webhookRequest(db, early);
		expect(stale.started).toBe(true);
		api.add(2, Date.now() + 2_000, 'p');
		expect(await pollAsN8n()).toHaveLength(2);
		const cursorAfterPoll = (db.row.global.atsReconcile as any).cursors;
		// The webhook execution ends last and saves the copy it loaded before the poll.
		db.save(stale.copy);
		expect((db.row.global.atsReconcile as any).cursors).toEqual(cursorAfterPoll);

		// A webhook change is stored, then a poll emits and saves the poller's activation-time copy.
		const later = api.add(1, Date.now() + 3_000, 'w')[0];
		expect((await deliverAndStore(later)).started).toBe(true);
		const unionBefore = StaticDedupRing.keysOf(db.row.global);
		api.add(1, Date.now() + 4_000, 'q');
		expect(await pollAsN8n()).toHaveLength(1);
		const unionAfter = StaticDedupRing.keysOf(db.row.global);
		for (const key of unionBefore) expect(unionAfter).toContain(key);

		// After a restart (the process forgets everything), the database alone still knows the
		// webhook's change: the poll does not emit it, and a redelivery of it starts nothing.
		fresh();
		poller = db.load();
		o = { ...o, db: poller };
		expect(await pollAsN8n()).toEqual([]);
		expect((await deliverAndStore(later)).started).toBe(false);
	});

	it('the union lives in global static data under the workflow scope; workflows without a reconcile trigger are untouched', async () => {
		const plain = new Database();
		const record = api.add(1, Date.now())[0];
		const r = await webhookRequest(plain, record);
		expect(r.started).toBe(true);
		expect(r.copy.global).toBeUndefined();
		expect(JSON.stringify(r.items)).not.toContain('changeKey');
		expect(unionScopeOf(WF)).toBe(`${WF}:union`);
	});
});

import { randomUUID } from 'node:crypto';
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';
import { PollError, runPoll, type PollOutcome } from '../core/reconcile/poll';
import {
	commitCursor,
	DEFAULT_UNION_WINDOW,
	markReconciled,
	readCursor,
	recordUnion,
	UnionDedup,
} from '../core/reconcile/unionState';
import { RECONCILE_ADAPTERS } from '../core/reconcile/vendors';
import type { CursorState } from '../core/reconcile/vendors/types';
import { baseUrlOf, CREDENTIAL_OF, transportFor, type ReconcileContext } from './transport';

interface ReconcileOptions {
	overlapMinutes?: number;
	firstRun?: 'baseline' | 'backlog';
	backlogSince?: string;
	maxEventsPerPoll?: number;
	pageSize?: number;
	timeBudgetSeconds?: number;
	changeMemory?: number;
}

/**
 * A poll emitted events whose execution n8n has not run yet: the cursor it may move to, kept in
 * this process until the reconcile trigger's execute() runs in that execution (the execution is
 * stored by then). Bounded: an entry whose execution never ran is dropped (its cursor stays put,
 * and the next poll reads those changes again).
 */
const pendingCursors = new Map<
	string,
	{ workflowId: string; nodeKey: string; cursor: CursorState }
>();
const MAX_PENDING = 1_000;

function clamp(value: unknown, min: number, max: number, fallback: number): number {
	const n = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
	return Math.min(max, Math.max(min, n));
}

/** A node parameter from a poll context or an execute context (which takes an item index). */
function parameter(context: ReconcileContext, name: string, fallback: unknown): unknown {
	if ('getInputData' in context)
		return (context as IExecuteFunctions).getNodeParameter(name, 0, fallback);
	return context.getNodeParameter(name, fallback);
}

export function readReconcileOptions(context: ReconcileContext) {
	const options = (parameter(context, 'options', {}) ?? {}) as ReconcileOptions;
	const firstRun: 'baseline' | number =
		options.firstRun === 'backlog'
			? Date.parse(options.backlogSince ?? '') || Date.now() - 24 * 3600_000
			: 'baseline';
	return {
		overlapMs: clamp(options.overlapMinutes, 0, 1440, 5) * 60_000,
		firstRun,
		maxEvents: clamp(options.maxEventsPerPoll, 1, 50_000, 5_000),
		pageSize: clamp(options.pageSize, 1, 500, 100),
		budgetMs: clamp(options.timeBudgetSeconds, 5, 3600, 120) * 1000,
		window: clamp(options.changeMemory, 100, 100_000, DEFAULT_UNION_WINDOW),
	};
}

function nodeKeyOf(context: ReconcileContext): string {
	const node = context.getNode();
	return node.id ?? node.name;
}

/**
 * One poll (n8n's poll(), and a manual test run). Emits the changes neither path has stored yet,
 * one item per changed record; returns null when there are none (n8n starts nothing). A failure
 * throws a NodeApiError and moves nothing.
 */
export async function pollOnce(
	context: ReconcileContext,
	manual: boolean,
): Promise<INodeExecutionData[][] | null> {
	const vendor = parameter(context, 'vendor', 'greenhouse') as string;
	const adapter = RECONCILE_ADAPTERS[vendor];
	if (!adapter) throw new NodeOperationError(context.getNode(), `Unknown vendor "${vendor}"`);
	const options = readReconcileOptions(context);
	const workflowId = context.getWorkflow().id ?? 'unsaved';
	const nodeKey = nodeKeyOf(context);
	const credentials = await context.getCredentials(CREDENTIAL_OF[vendor]);
	const global = context.getWorkflowStaticData('global');

	let union: UnionDedup | undefined;
	let cursor: CursorState | undefined;
	if (!manual) {
		markReconciled(workflowId, options.window);
		union = new UnionDedup(workflowId, global, options.window, 'database');
		// The poller's copy of static data lives as long as the activation: from now on, its save
		// (when a poll emits) carries the live union and cursors, not what it loaded at activation.
		union.touch();
		cursor = readCursor(global, workflowId, nodeKey);
	}
	const runId = `poll:${randomUUID()}`;
	let outcome: PollOutcome;
	try {
		outcome = await runPoll(
			adapter,
			cursor,
			{
				baseUrl: baseUrlOf(vendor, credentials),
				overlapMs: options.overlapMs,
				pageSize: options.pageSize,
				maxEvents: manual ? Math.min(options.maxEvents, 10) : options.maxEvents,
				budgetMs: options.budgetMs,
				firstRun:
					manual && options.firstRun === 'baseline'
						? Date.now() - 7 * 24 * 3600_000
						: options.firstRun,
				maxAttempts: 5,
			},
			{
				send: transportFor(context, vendor, credentials),
				sleep: async (ms) => await sleep(ms),
				now: () => Date.now(),
				claim: (key) => {
					if (!union) return 'new';
					const claim = union.claim(key);
					return claim.state === 'claimed' ? 'new' : claim.state === 'seen' ? 'seen' : 'in_flight';
				},
			},
			runId,
		);
	} catch (error) {
		union?.release();
		if (error instanceof PollError)
			throw new NodeApiError(context.getNode(), { message: error.message } as JsonObject, {
				message: error.message,
				description: `The poll failed (${error.kind}); nothing was emitted and the cursor did not move. The next poll tries again from the same place.`,
				...(error.status ? { httpCode: String(error.status) } : {}),
			});
		throw new NodeOperationError(context.getNode(), `The poll failed: ${(error as Error).message}`);
	}
	context.logger.debug(`ATS Reconcile Trigger (${vendor}): poll done`, {
		...outcome.stats,
		events: outcome.events.length,
		baseline: outcome.baseline,
	});
	if (manual)
		return outcome.events.length
			? [outcome.events.map((json) => ({ json: json as unknown as IDataObject }))]
			: null;
	if (outcome.events.length === 0) {
		// Nothing to emit: the cursor may move at once (nothing is waiting to be stored).
		if (outcome.nextCursor)
			commitCursor(global, workflowId, nodeKey, outcome.nextCursor, Date.now());
		return null;
	}
	if (outcome.nextCursor) {
		pendingCursors.set(runId, { workflowId, nodeKey, cursor: outcome.nextCursor });
		if (pendingCursors.size > MAX_PENDING) {
			const oldest = pendingCursors.keys().next().value;
			if (oldest !== undefined) pendingCursors.delete(oldest);
		}
	}
	return [outcome.events.map((json) => ({ json: json as unknown as IDataObject }))];
}

/**
 * The reconcile trigger's execute(): the first step of each execution a poll started, so it runs
 * only once n8n stored that execution. Records the change keys in the union and moves the cursor
 * the poll proposed; n8n saves both (as live views) when the execution ends. In a manual run from
 * the editor, it runs a test poll instead (nothing is recorded, the cursor stays).
 */
export async function recordPolled(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const polled = items.filter((item) => {
		const delivery = item.json.delivery as IDataObject | undefined;
		return delivery?.scheme === 'poll' && typeof delivery.changeKey === 'string';
	});
	if (polled.length === 0) {
		if (context.getMode() === 'manual') return (await pollOnce(context, true)) ?? [[]];
		return [items];
	}
	try {
		const workflowId = context.getWorkflow().id ?? 'unsaved';
		const options = readReconcileOptions(context);
		markReconciled(workflowId, options.window);
		const global = context.getWorkflowStaticData('global');
		const keys = polled.map((item) => (item.json.delivery as IDataObject).changeKey as string);
		recordUnion(workflowId, global, keys, options.window);
		const runIds = new Set(polled.map((item) => String((item.json.delivery as IDataObject).id)));
		for (const runId of runIds) {
			const pending = pendingCursors.get(runId);
			if (!pending) continue;
			pendingCursors.delete(runId);
			commitCursor(global, pending.workflowId, pending.nodeKey, pending.cursor, Date.now());
		}
	} catch (error) {
		// Remembering is a convenience for later polls; it must never fail the execution of a change.
		context.logger.warn(
			`ATS Reconcile Trigger could not record polled changes: ${(error as Error).message}`,
		);
	}
	return [items];
}

/** Poll contexts that have polled once: n8n creates one per activation and reuses it for every poll. */
const polledContexts = new WeakSet<object>();

/**
 * n8n's poll(). n8n runs the first poll of an activation at once and fails the activation when it
 * throws, and a failed activation also stops the webhook trigger of the same workflow. So when n8n
 * (re)starts, a vendor that is down or refusing must not take the webhooks down with it: that first
 * poll logs the failure and moves nothing (the next scheduled poll tries again and reports a failure
 * as usual). When a user publishes the workflow, the failure is thrown, so the editor shows it.
 */
export async function pollTrigger(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const activationPoll = !polledContexts.has(context);
	polledContexts.add(context);
	const manual = context.getMode() === 'manual';
	try {
		return await pollOnce(context, manual);
	} catch (error) {
		const mode = context.getActivationMode?.();
		if (!manual && activationPoll && (mode === 'init' || mode === 'leadershipChange')) {
			context.logger.warn(
				`ATS Reconcile Trigger: the first poll after n8n started failed; the workflow stays active and the next poll tries again: ${(error as Error).message}`,
			);
			return null;
		}
		throw error instanceof NodeApiError
			? new NodeApiError(context.getNode(), { message: error.message } as JsonObject, {
					message: error.message,
					description: error.description ?? undefined,
					httpCode: error.httpCode ?? undefined,
				})
			: new NodeOperationError(
					context.getNode(),
					error instanceof NodeOperationError
						? error.message
						: `The poll failed: ${(error as Error).message}`,
				);
	}
}

/** For tests: forget cursors proposed by polls whose execution never ran. */
export function resetPendingCursors(): void {
	pendingCursors.clear();
}

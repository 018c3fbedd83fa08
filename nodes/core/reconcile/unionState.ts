import { processDedupStore, type ProcessDedupStore, type Settlement } from '../dedup/processStore';
import { StaticDedupRing, type CopySource } from '../dedup/staticRing';
import type { CursorState } from './vendors/types';

/**
 * What the webhook triggers and the ATS Reconcile Trigger of one workflow share, kept in the
 * workflow's **global** static data so both kinds of node can reach it
 * (docs/nodes/atsReconcileTrigger.md, "Where the state lives"):
 *
 * - `atsDedup`: the union ring, a StaticDedupRing (nodes/core/dedup/staticRing.ts) scoped to the
 *   workflow, holding the change keys (and, from the webhook side, the delivery keys) of every event
 *   whose execution n8n stored, from either path;
 * - `atsReconcile`: each reconcile node's committed cursor.
 *
 * n8n saves static data as one whole-column overwrite, and two writers hold old copies: a webhook
 * execution saves the copy it loaded at request time, the poller saves its long-lived copy (loaded
 * at activation) when a poll emits. Both fields are therefore written as live views whose
 * non-enumerable toJSON reads this process's mirror when n8n serialises, the technique of
 * staticRing.ts; a cursor merges by "newest commit wins", so neither writer moves the other back.
 */

export const CURSOR_FIELD = 'atsReconcile';
/** Default size of the union ring: about 19 bytes a key (95 KiB at 5,000). */
export const DEFAULT_UNION_WINDOW = 5_000;

export interface StoredCursor extends CursorState {
	/** When this cursor was committed (epoch ms); the newer of two copies wins a merge. */
	committedAt: number;
}

interface CursorFile {
	v: 1;
	cursors: Record<string, StoredCursor>;
}

interface CursorMirror {
	cursors: Map<string, StoredCursor>;
}

/** Workflows of this process that hold a reconcile trigger (set by its polls), with their union window. */
const reconciled = new Map<string, number>();
const cursorMirrors = new Map<string, CursorMirror>();

export function unionScopeOf(workflowId: string): string {
	return `${workflowId}:union`;
}

/** Called by every poll: webhook triggers of this workflow take part in the union from now on. */
export function markReconciled(workflowId: string, window: number): void {
	reconciled.set(workflowId, window);
}

/** The union window when this workflow holds a reconcile trigger in this process, else undefined. */
export function reconciledWindow(workflowId: string): number | undefined {
	return reconciled.get(workflowId);
}

function isCursor(value: unknown): value is StoredCursor {
	const c = value as Partial<StoredCursor> | undefined;
	return (
		!!c &&
		typeof c === 'object' &&
		typeof c.watermark === 'number' &&
		typeof c.committedAt === 'number' &&
		(c.token === undefined || typeof c.token === 'string')
	);
}

function mirrorOf(workflowId: string): CursorMirror {
	let mirror = cursorMirrors.get(workflowId);
	if (!mirror) {
		mirror = { cursors: new Map() };
		cursorMirrors.set(workflowId, mirror);
	}
	return mirror;
}

/** Merge the cursors a copy of static data holds into this process's mirror (newest commit wins). */
function mergeLoaded(global: Record<string, unknown>, mirror: CursorMirror): void {
	const value = global[CURSOR_FIELD] as { toJSON?: () => unknown } | undefined;
	const loaded = (typeof value?.toJSON === 'function' ? value.toJSON() : value) as
		| Partial<CursorFile>
		| undefined;
	if (!loaded || loaded.v !== 1 || !loaded.cursors || typeof loaded.cursors !== 'object') return;
	for (const [node, cursor] of Object.entries(loaded.cursors)) {
		if (!isCursor(cursor)) continue;
		const current = mirror.cursors.get(node);
		if (!current || current.committedAt < cursor.committedAt)
			mirror.cursors.set(node, { ...cursor });
	}
}

function snapshot(mirror: CursorMirror): CursorFile {
	const cursors: Record<string, StoredCursor> = {};
	for (const [node, cursor] of mirror.cursors) cursors[node] = { ...cursor };
	return { v: 1, cursors };
}

/**
 * Put a live view of the cursors into this copy of global static data (after merging what it
 * holds), so whichever save comes last carries the newest cursor of every reconcile node.
 */
export function writeCursorView(global: Record<string, unknown>, workflowId: string): void {
	const mirror = mirrorOf(workflowId);
	mergeLoaded(global, mirror);
	if (mirror.cursors.size === 0) return;
	const view = snapshot(mirror);
	Object.defineProperty(view, 'toJSON', { value: () => snapshot(mirror), enumerable: false });
	global[CURSOR_FIELD] = view;
}

/** The committed cursor of one reconcile node (merged with what this copy holds). */
export function readCursor(
	global: Record<string, unknown>,
	workflowId: string,
	nodeKey: string,
): StoredCursor | undefined {
	const mirror = mirrorOf(workflowId);
	mergeLoaded(global, mirror);
	const cursor = mirror.cursors.get(nodeKey);
	return cursor ? { ...cursor } : undefined;
}

/** Move a node's cursor (never backwards in commit order) and write the view. */
export function commitCursor(
	global: Record<string, unknown>,
	workflowId: string,
	nodeKey: string,
	cursor: CursorState,
	now: number,
): void {
	const mirror = mirrorOf(workflowId);
	mergeLoaded(global, mirror);
	const current = mirror.cursors.get(nodeKey);
	const committedAt = Math.max(now, (current?.committedAt ?? 0) + 1);
	mirror.cursors.set(nodeKey, {
		watermark: Math.max(cursor.watermark, current?.watermark ?? 0),
		...(cursor.token ? { token: cursor.token } : {}),
		committedAt,
	});
	writeCursorView(global, workflowId);
}

/**
 * The union ring of one workflow, plus claims in the process store: a change (or a delivery) in
 * flight on one path makes the other wait or skip it; a key is committed to the ring only once the
 * execution carrying it exists.
 */
export class UnionDedup {
	private readonly ring: StaticDedupRing;
	private readonly claimed = new Set<string>();

	constructor(
		private readonly workflowId: string,
		private readonly global: Record<string, unknown>,
		window: number,
		source: CopySource = 'database',
		private readonly store: ProcessDedupStore = processDedupStore,
	) {
		this.ring = new StaticDedupRing(global, unionScopeOf(workflowId), window, source);
	}

	has(key: string): boolean {
		const scoped = this.scoped(key);
		return this.ring.has(key) || (this.store.has(scoped) && !this.store.isInFlight(scoped));
	}

	/** Claim a key: `claimed`, `seen` (stored by either path), or `in_flight` with the promise to wait for. */
	claim(
		key: string,
		now?: number,
	):
		| { state: 'claimed' }
		| { state: 'seen' }
		| { state: 'in_flight'; settled: Promise<Settlement> } {
		if (this.claimed.has(key)) return { state: 'seen' };
		if (this.ring.has(key)) {
			this.store.remember(this.scoped(key));
			return { state: 'seen' };
		}
		const outcome = this.store.claimOrWait(this.scoped(key), now);
		if (outcome.state === 'claimed') this.claimed.add(key);
		return outcome;
	}

	releaseKey(key: string): void {
		if (!this.claimed.delete(key)) return;
		this.store.release(this.scoped(key));
	}

	/** The executions carrying the claimed keys are stored: remember them in the ring and the store. */
	commit(): void {
		for (const key of this.claimed) {
			this.ring.add(key);
			this.store.commit(this.scoped(key));
		}
		this.claimed.clear();
	}

	release(): void {
		for (const key of this.claimed) this.store.release(this.scoped(key));
		this.claimed.clear();
	}

	get claimedKeys(): string[] {
		return [...this.claimed];
	}

	/** Write live views of the ring and the cursors into this copy (for a save n8n makes anyway). */
	touch(): void {
		this.ring.flush();
		writeCursorView(this.global, this.workflowId);
	}

	private scoped(key: string): string {
		return `${unionScopeOf(this.workflowId)}\u0000${key}`;
	}
}

/**
 * Record keys whose execution n8n stored, from inside that execution (a webhook trigger's or the
 * reconcile trigger's execute()), and refresh the cursor view: n8n saves this copy when the
 * execution ends, and without the view it would carry the cursor of the moment it was loaded.
 */
export function recordUnion(
	workflowId: string,
	global: Record<string, unknown>,
	keys: readonly string[],
	window: number,
	store: ProcessDedupStore = processDedupStore,
): void {
	const ring = new StaticDedupRing(global, unionScopeOf(workflowId), window, 'snapshot');
	for (const key of keys) {
		ring.add(key);
		store.commit(`${unionScopeOf(workflowId)}\u0000${key}`);
	}
	ring.flush();
	writeCursorView(global, workflowId);
}

/** Forget this process's cursor mirrors and registrations (tests that simulate a fresh process). */
export function resetReconcileState(): void {
	reconciled.clear();
	cursorMirrors.clear();
}

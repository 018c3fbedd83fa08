import { KEY_WIDTH } from './hashKey';

/**
 * A bounded ring of hashed keys kept in workflow static data, so a restart does not forget what was
 * delivered. Stored as a plain JSON array of 16-character keys: about 19 bytes a key, so the default
 * window of 1,000 stays near 19 KiB whatever the traffic.
 *
 * n8n gives every request its own copy of static data and saves it at moments of its own, last
 * writer wins (docs/durability.md). So this process keeps a mirror of the ring per trigger, merged
 * with whatever a request loaded (a restart, another process), and every write puts a view of the
 * mirror into static data, so keys committed by concurrent requests are not saved away.
 *
 * Only keys whose executions n8n has stored are added (see Deduplicator), so a ring that outlives a
 * crash never names an event that was lost.
 */
export interface RingData {
	v: 1;
	keys: string[];
	/** Slot the next key overwrites once the ring is full. */
	next: number;
	/** Changes on every write; tells whether a loaded copy is the mirror's latest state. */
	gen: string;
}

export const RING_FIELD = 'atsDedup';

/** This process's view of one trigger's ring: plain arrays, never n8n's proxied static data. */
interface Mirror {
	gen: string;
	keys: string[];
	next: number;
	set: Set<string>;
	/**
	 * Whether this process has merged a copy loaded fresh from the database (webhook requests load
	 * one). Until then the mirror may lack keys the database holds, so it is never written: a save
	 * would put an old ring over a newer one (seen in the kill test: an execution queued before a
	 * crash runs after the restart with the static data of its creation time).
	 */
	anchored: boolean;
	/** The generation counter when this mirror object was created (see writtenBy). */
	born: number;
}

/**
 * Where a request's static data comes from: `database` = loaded fresh for this request (webhook
 * requests), `snapshot` = possibly older (an execution carries the static data of the moment it
 * was created when n8n runs it after a restart, and in queue mode on a worker).
 */
export type CopySource = 'database' | 'snapshot';

const mirrors = new Map<string, Mirror>();
const MAX_MIRRORED_SCOPES = 1_000;
const processToken = Math.random().toString(36).slice(2, 8);
let generation = 0;

function isRing(value: unknown): value is RingData {
	if (!value || typeof value !== 'object') return false;
	const ring = value as Partial<RingData>;
	return (
		ring.v === 1 &&
		Array.isArray(ring.keys) &&
		typeof ring.next === 'number' &&
		typeof ring.gen === 'string'
	);
}

/** Oldest-first copy of the keys, whatever slot the ring was at. */
function chronological(ring: Pick<RingData, 'keys' | 'next'>): string[] {
	const keys = ring.keys.filter((k) => typeof k === 'string' && k.length === KEY_WIDTH);
	if (ring.next <= 0 || ring.next >= keys.length) return keys;
	return keys.slice(ring.next).concat(keys.slice(0, ring.next));
}

export class StaticDedupRing {
	private readonly mirror: Mirror;
	/** Generation of the copy this request loaded, when it equals the mirror's state. */
	private loadedGen: string | undefined;

	constructor(
		private readonly staticData: Record<string, unknown>,
		private readonly scope: string,
		private readonly window: number,
		source: CopySource = 'database',
	) {
		const value = staticData[RING_FIELD] as { toJSON?: () => unknown } | undefined;
		// A copy this process wrote earlier holds a live view: read what it stands for.
		const loaded = typeof value?.toJSON === 'function' ? value.toJSON() : value;
		const stored = isRing(loaded) ? loaded : undefined;
		const cached = mirrors.get(scope);
		if (
			stored &&
			cached &&
			cached.keys.length <= window &&
			((cached.gen === stored.gen && cached.keys.length === stored.keys.length) ||
				writtenBy(cached, stored.gen))
		) {
			// The loaded copy is this mirror's state now, or an earlier state of it (a request that
			// loaded static data saved before other requests committed): the mirror already holds every
			// key of it that is still inside the window, so there is nothing to merge. flush() writes
			// the mirror into the copy when it is behind.
			this.mirror = cached;
			this.loadedGen = stored.gen;
		} else {
			// What was loaded (a restart, another process) plus what this process committed that the
			// loaded copy lacks; the most recent keys that fit the window (the user may resize it).
			const merged = stored ? chronological(stored) : [];
			const known = new Set(merged);
			if (cached) for (const key of chronological(cached)) if (!known.has(key)) merged.push(key);
			const keys = merged.slice(-window);
			const unchanged =
				stored !== undefined &&
				keys.length === stored.keys.length &&
				keys.every((k) => known.has(k));
			const gen = unchanged ? stored.gen : newGeneration();
			// The mirror object stays the same for the scope's lifetime in this process: live views
			// written into earlier requests' copies keep reading it (see writeLiveView).
			this.mirror = cached ?? {
				gen,
				keys: [],
				next: 0,
				set: new Set(),
				anchored: false,
				born: generation,
			};
			Object.assign(this.mirror, { gen, keys, next: keys.length % window, set: new Set(keys) });
			this.loadedGen = unchanged ? gen : undefined;
			remember(scope, this.mirror);
		}
		if (source === 'database') this.mirror.anchored = true;
	}

	has(key: string): boolean {
		return this.mirror.set.has(key);
	}

	add(key: string): void {
		const m = this.mirror;
		if (m.set.has(key)) return;
		let slot: number;
		if (m.keys.length < this.window) {
			slot = m.keys.length;
			m.keys.push(key);
		} else {
			slot = m.next % this.window;
			m.set.delete(m.keys[slot]);
			m.keys[slot] = key;
		}
		m.next = (slot + 1) % this.window;
		m.set.add(key);
		m.gen = newGeneration();
		remember(this.scope, m);
		this.writeLiveView();
	}

	/**
	 * Put this process's ring into the request's static data even when nothing was added (a
	 * delivery that starts nothing is saved by n8n: it carries keys stored since the last save).
	 * Returns whether static data was changed.
	 */
	flush(): boolean {
		if (this.loadedGen === this.mirror.gen || !this.mirror.anchored) return false;
		this.writeLiveView();
		return true;
	}

	/**
	 * n8n saves static data as one JSON column, last writer wins, at moments this node does not
	 * choose (after a delivery that starts nothing, at the end of an execution). The value written
	 * is a view whose toJSON reads the process mirror when n8n serialises it, so whichever save comes
	 * last carries every key stored so far, not the snapshot its request loaded. The mirror only
	 * holds keys whose executions n8n stored, so a save never remembers an event that was lost.
	 */
	private writeLiveView(): void {
		const m = this.mirror;
		if (!m.anchored) return;
		const view: RingData = { v: 1, keys: [...m.keys], next: m.next, gen: m.gen };
		Object.defineProperty(view, 'toJSON', { value: () => snapshot(m), enumerable: false });
		this.staticData[RING_FIELD] = view;
		this.loadedGen = m.gen;
	}

	get size(): number {
		return this.mirror.keys.length;
	}

	/** Read the stored keys without changing static data (for tests and diagnostics). */
	static keysOf(staticData: Record<string, unknown>): string[] {
		const value = staticData[RING_FIELD] as { toJSON?: () => unknown } | undefined;
		const stored = typeof value?.toJSON === 'function' ? value.toJSON() : value;
		return isRing(stored) ? chronological(stored) : [];
	}
}

/**
 * Whether `gen` was written from this very mirror object: generations are `<process>.<counter>`,
 * the counter only grows, and only the scope's mirror writes into the scope's static data. A copy
 * saved from the mirror at an earlier generation holds no key the mirror lacks, except keys the
 * window has pushed out since.
 */
function writtenBy(mirror: Mirror, gen: string): boolean {
	const dot = gen.indexOf('.');
	if (dot < 0 || gen.slice(0, dot) !== processToken) return false;
	const counter = parseInt(gen.slice(dot + 1), 36);
	return Number.isFinite(counter) && counter > mirror.born;
}

function snapshot(m: Mirror): RingData {
	return { v: 1, keys: [...m.keys], next: m.next, gen: m.gen };
}

function newGeneration(): string {
	generation += 1;
	return `${processToken}.${generation.toString(36)}`;
}

function remember(scope: string, mirror: Mirror): void {
	if (mirrors.get(scope) === mirror) return;
	mirrors.delete(scope);
	mirrors.set(scope, mirror);
	if (mirrors.size > MAX_MIRRORED_SCOPES) {
		const oldest = mirrors.keys().next().value;
		if (oldest !== undefined) mirrors.delete(oldest);
	}
}

/** Forget this process's mirrors (tests that simulate a fresh process). */
export function resetRingCache(): void {
	mirrors.clear();
}

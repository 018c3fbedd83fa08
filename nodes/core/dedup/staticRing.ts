import { KEY_WIDTH } from './hashKey';

/**
 * A bounded ring of hashed keys kept in workflow static data, so a restart does not forget what was
 * delivered. Stored as a plain JSON array of 16-character keys: about 19 bytes a key, so the default
 * window of 1,000 stays near 19 KiB whatever the traffic.
 */
export interface RingData {
	v: 1;
	keys: string[];
	/** Slot the next key overwrites once the ring is full. */
	next: number;
	/** Changes on every write; lets a process reuse its lookup set while nobody else wrote. */
	gen: string;
}

export const RING_FIELD = 'atsDedup';

interface CachedSet {
	gen: string;
	set: Set<string>;
}

// Lookup sets per trigger scope, rebuilt only when the stored ring changed under us (restart,
// another process). Keeps per-event cost flat as the window grows.
const lookupCache = new Map<string, CachedSet>();
const MAX_CACHED_SCOPES = 1_000;
const processToken = Math.random().toString(36).slice(2, 8);
let generation = 0;

function isRing(value: unknown): value is RingData {
	if (!value || typeof value !== 'object') return false;
	const ring = value as Partial<RingData>;
	return ring.v === 1 && Array.isArray(ring.keys) && typeof ring.next === 'number' && typeof ring.gen === 'string';
}

/** Oldest-first copy of the keys, whatever slot the ring was at. */
function chronological(ring: RingData): string[] {
	const keys = ring.keys.filter((k) => typeof k === 'string' && k.length === KEY_WIDTH);
	if (ring.next <= 0 || ring.next >= keys.length) return keys;
	return keys.slice(ring.next).concat(keys.slice(0, ring.next));
}

export class StaticDedupRing {
	private readonly ring: RingData;
	private readonly lookup: Set<string>;

	constructor(
		staticData: Record<string, unknown>,
		private readonly scope: string,
		private readonly window: number,
	) {
		const stored = staticData[RING_FIELD];
		if (isRing(stored) && stored.keys.length <= window && (stored.keys.length < window || stored.next < window)) {
			this.ring = stored;
		} else {
			// Missing, corrupt, or the user changed the window: keep the most recent keys that fit.
			const keys = isRing(stored) ? chronological(stored).slice(-window) : [];
			staticData[RING_FIELD] = { v: 1, keys, next: keys.length % window, gen: newGeneration() };
			// Read back: n8n wraps static data in a change-tracking proxy, and writes must go through it.
			this.ring = staticData[RING_FIELD] as RingData;
		}
		const cached = lookupCache.get(scope);
		if (cached && cached.gen === this.ring.gen) {
			this.lookup = cached.set;
		} else {
			this.lookup = new Set(this.ring.keys);
			cacheSet(scope, { gen: this.ring.gen, set: this.lookup });
		}
	}

	has(key: string): boolean {
		return this.lookup.has(key);
	}

	add(key: string): void {
		if (this.lookup.has(key)) return;
		const { keys } = this.ring;
		if (keys.length < this.window) {
			keys.push(key);
			this.ring.next = keys.length % this.window;
		} else {
			const slot = this.ring.next % this.window;
			this.lookup.delete(keys[slot]);
			keys[slot] = key;
			this.ring.next = (slot + 1) % this.window;
		}
		this.lookup.add(key);
		this.ring.gen = newGeneration();
		cacheSet(this.scope, { gen: this.ring.gen, set: this.lookup });
	}

	get size(): number {
		return this.ring.keys.length;
	}

	/** Read the stored keys without changing static data (for tests and diagnostics). */
	static keysOf(staticData: Record<string, unknown>): string[] {
		const stored = staticData[RING_FIELD];
		return isRing(stored) ? chronological(stored) : [];
	}
}

function newGeneration(): string {
	generation += 1;
	return `${processToken}.${generation.toString(36)}`;
}

function cacheSet(scope: string, entry: CachedSet): void {
	lookupCache.delete(scope);
	lookupCache.set(scope, entry);
	if (lookupCache.size > MAX_CACHED_SCOPES) {
		const oldest = lookupCache.keys().next().value;
		if (oldest !== undefined) lookupCache.delete(oldest);
	}
}

/** Forget cached lookup sets (tests that simulate a fresh process). */
export function resetRingCache(): void {
	lookupCache.clear();
}

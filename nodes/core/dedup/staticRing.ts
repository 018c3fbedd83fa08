import { KEY_WIDTH } from './hashKey';

/**
 * A bounded ring of hashed keys kept in workflow static data, so a restart does not forget what was
 * delivered. Stored as a plain JSON array of 16-character keys: about 19 bytes a key, so the default
 * window of 1,000 stays near 19 KiB whatever the traffic.
 *
 * n8n gives every request its own copy of static data and saves it afterwards, last writer wins
 * (reference/n8n.md §4). So this process keeps a mirror of the ring per trigger: a request whose
 * copy is the mirror's latest state changes it in place (O(1)); a request whose copy is stale (a
 * concurrent request saved in between, another process wrote, n8n restarted) writes the mirror
 * merged with what it loaded, so keys committed by concurrent requests are not saved away.
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
}

const mirrors = new Map<string, Mirror>();
const MAX_MIRRORED_SCOPES = 1_000;
const processToken = Math.random().toString(36).slice(2, 8);
let generation = 0;

function isRing(value: unknown): value is RingData {
	if (!value || typeof value !== 'object') return false;
	const ring = value as Partial<RingData>;
	return ring.v === 1 && Array.isArray(ring.keys) && typeof ring.next === 'number' && typeof ring.gen === 'string';
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
	) {
		const stored = isRing(staticData[RING_FIELD]) ? (staticData[RING_FIELD] as RingData) : undefined;
		const cached = mirrors.get(scope);
		if (stored && cached && cached.gen === stored.gen && cached.keys.length === stored.keys.length && cached.keys.length <= window) {
			this.mirror = cached;
			this.loadedGen = stored.gen;
		} else {
			// What was loaded (a restart, another process) plus what this process committed that the
			// loaded copy lacks; the most recent keys that fit the window (the user may resize it).
			const merged = stored ? chronological(stored) : [];
			if (cached) {
				const known = new Set(merged);
				for (const key of chronological(cached)) if (!known.has(key)) merged.push(key);
			}
			const keys = merged.slice(-window);
			this.mirror = { gen: stored?.gen ?? newGeneration(), keys, next: keys.length % window, set: new Set(keys) };
			this.loadedGen = undefined;
			remember(scope, this.mirror);
		}
	}

	has(key: string): boolean {
		return this.mirror.set.has(key);
	}

	add(key: string): void {
		const m = this.mirror;
		if (m.set.has(key)) return;
		const inSync = this.loadedGen !== undefined && this.loadedGen === m.gen;
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

		const stored = this.staticData[RING_FIELD] as RingData | undefined;
		if (inSync && stored) {
			// Writes go through n8n's change-tracking proxy, so static data is marked for saving.
			stored.keys[slot] = key;
			stored.next = m.next;
			stored.gen = m.gen;
		} else {
			this.staticData[RING_FIELD] = { v: 1, keys: [...m.keys], next: m.next, gen: m.gen };
		}
		this.loadedGen = m.gen;
	}

	get size(): number {
		return this.mirror.keys.length;
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

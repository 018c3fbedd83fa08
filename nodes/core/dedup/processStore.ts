/**
 * Dedup memory shared by every request this n8n process serves (docs/durability.md). Workflow
 * static data cannot do this: each request loads and saves its own copy, so concurrent duplicates
 * would all look new. A key is first *claimed* (in flight), then *committed* once n8n has stored the
 * execution that carries it, or *released* when it was not stored (the sender may retry).
 *
 * An in-flight key is not yet a promise to anyone: a copy that arrives while it is in flight waits
 * for the outcome (`settled`) instead of being told "duplicate", because the first copy may still
 * fail to be stored, and a sender that got a 2xx never retries.
 */
export type Settlement = 'stored' | 'failed';

export type ClaimState =
	| { state: 'claimed' }
	| { state: 'seen' }
	| { state: 'in_flight'; settled: Promise<Settlement> };

interface InFlight {
	since: number;
	settled: Promise<Settlement>;
	settle: (outcome: Settlement) => void;
}

/** An in-flight claim older than this is taken over: its request never learnt whether it was stored. */
export const STALE_CLAIM_MS = 5 * 60_000;

export class ProcessDedupStore {
	private readonly inFlight = new Map<string, InFlight>();
	private readonly seen = new Map<string, true>();

	constructor(private readonly capacity = 200_000) {}

	/** Claim a key, or tell the caller it is remembered or in flight (and how to wait for it). */
	claimOrWait(key: string, now = Date.now()): ClaimState {
		if (this.seen.has(key)) return { state: 'seen' };
		const current = this.inFlight.get(key);
		if (current && now - current.since < STALE_CLAIM_MS)
			return { state: 'in_flight', settled: current.settled };
		if (current) current.settle('failed');
		let settle!: (outcome: Settlement) => void;
		const settled = new Promise<Settlement>((resolve) => (settle = resolve));
		this.inFlight.set(key, { since: now, settled, settle });
		return { state: 'claimed' };
	}

	/** True when the key was free and is now claimed by the caller; false when seen or in flight. */
	claim(key: string): boolean {
		return this.claimOrWait(key).state === 'claimed';
	}

	/** The execution carrying this key is stored: remember it and wake the copies that wait. */
	commit(key: string): void {
		const current = this.inFlight.get(key);
		this.inFlight.delete(key);
		this.remember(key);
		current?.settle('stored');
	}

	/** Not stored: free the key so the sender's retry is accepted, and let a waiting copy take it. */
	release(key: string): void {
		const current = this.inFlight.get(key);
		this.inFlight.delete(key);
		current?.settle('failed');
	}

	/** Record a key known from elsewhere (the static ring) so later checks stay in memory. */
	remember(key: string): void {
		this.seen.delete(key);
		this.seen.set(key, true);
		if (this.seen.size > this.capacity) {
			const oldest = this.seen.keys().next().value;
			if (oldest !== undefined) this.seen.delete(oldest);
		}
	}

	has(key: string): boolean {
		return this.inFlight.has(key) || this.seen.has(key);
	}

	isInFlight(key: string): boolean {
		return this.inFlight.has(key);
	}

	get size(): number {
		return this.seen.size;
	}

	clear(): void {
		for (const entry of this.inFlight.values()) entry.settle('failed');
		this.inFlight.clear();
		this.seen.clear();
	}
}

/** The one store of this process; every trigger node module imports the same instance. */
export const processDedupStore = new ProcessDedupStore();

import { hashKey } from './hashKey';
import { processDedupStore, type ProcessDedupStore, type Settlement } from './processStore';
import { StaticDedupRing } from './staticRing';

export interface DedupClaim {
	/** Hashed key as stored. */
	key: string;
	isNew: boolean;
	/** Set when another request holds the key and has not yet learnt whether n8n stored it. */
	pending?: Promise<Settlement>;
}

/**
 * The two layers together for one delivery: the process store catches concurrent duplicates
 * exactly once; the static ring catches duplicates after a restart. `claim` reserves keys;
 * `commit` records them in both layers and must only be called once n8n has stored the execution
 * that carries them (a key remembered for an event that was never stored would turn the sender's
 * retry into a "duplicate" and lose the event); `release` frees them when it was not stored.
 */
export class Deduplicator {
	private readonly ring: StaticDedupRing;
	private readonly claimed: string[] = [];

	constructor(
		private readonly scope: string,
		staticData: Record<string, unknown>,
		window: number,
		private readonly store: ProcessDedupStore = processDedupStore,
	) {
		this.ring = new StaticDedupRing(staticData, scope, window);
	}

	claim(identity: string, now?: number): DedupClaim {
		const key = hashKey(identity);
		// The same event twice in one delivery (a batch) is a duplicate of this delivery's own claim.
		if (this.claimed.includes(key)) return { key, isNew: false };
		const scoped = this.scoped(key);
		if (this.ring.has(key)) {
			this.store.remember(scoped);
			return { key, isNew: false };
		}
		const claim = this.store.claimOrWait(scoped, now);
		if (claim.state === 'seen') return { key, isNew: false };
		if (claim.state === 'in_flight') return { key, isNew: false, pending: claim.settled };
		this.claimed.push(key);
		return { key, isNew: true };
	}

	/** Keys this instance claimed and has neither committed nor released. */
	get claimedKeys(): readonly string[] {
		return this.claimed;
	}

	commit(): void {
		for (const key of this.claimed) {
			this.ring.add(key);
			this.store.commit(this.scoped(key));
		}
		this.claimed.length = 0;
	}

	release(): void {
		for (const key of this.claimed) this.store.release(this.scoped(key));
		this.claimed.length = 0;
	}

	/**
	 * Put the keys this process has stored since this request's copy was loaded into its static
	 * data, so that n8n's save after a delivery that starts nothing carries them.
	 */
	flush(): boolean {
		return this.ring.flush();
	}

	private scoped(key: string): string {
		return scopedKey(this.scope, key);
	}
}

/** A hashed key as the process store holds it: one trigger's scope (workflow and node), then the key. */
export function scopedKey(scope: string, key: string): string {
	return `${scope}\u0000${key}`;
}

/**
 * Record keys whose execution n8n has stored, from inside that execution (the trigger's execute()).
 * The ring write marks static data as changed, so n8n saves it when the execution ends. The
 * execution's static data may be an old snapshot (see CopySource): the ring is written only once
 * this process has merged a fresh copy, until then the keys wait in the process mirror.
 */
export function recordStored(
	scope: string,
	staticData: Record<string, unknown>,
	keys: readonly string[],
	window: number,
	store: ProcessDedupStore = processDedupStore,
): void {
	const ring = new StaticDedupRing(staticData, scope, window, 'snapshot');
	for (const key of keys) {
		ring.add(key);
		store.commit(`${scope}\u0000${key}`);
	}
	ring.flush();
}

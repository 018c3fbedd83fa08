import { hashKey } from './hashKey';
import { processDedupStore, type ProcessDedupStore } from './processStore';
import { StaticDedupRing } from './staticRing';

export interface DedupClaim {
	/** Hashed key as stored. */
	key: string;
	isNew: boolean;
}

/**
 * The two layers together for one delivery: the process store catches concurrent duplicates
 * exactly once; the static ring catches duplicates after a restart. `claim` reserves keys,
 * `commit` records them in both layers, `release` frees them when the delivery is not accepted.
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

	claim(identity: string): DedupClaim {
		const key = hashKey(identity);
		const scoped = `${this.scope}\u0000${key}`;
		if (this.ring.has(key)) {
			this.store.remember(scoped);
			return { key, isNew: false };
		}
		if (!this.store.claim(scoped)) return { key, isNew: false };
		this.claimed.push(key);
		return { key, isNew: true };
	}

	commit(): void {
		for (const key of this.claimed) {
			this.ring.add(key);
			this.store.commit(`${this.scope}\u0000${key}`);
		}
		this.claimed.length = 0;
	}

	release(): void {
		for (const key of this.claimed) this.store.release(`${this.scope}\u0000${key}`);
		this.claimed.length = 0;
	}
}

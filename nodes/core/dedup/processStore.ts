/**
 * Dedup memory shared by every request this n8n process serves (DESIGN.md "Dedup that holds under
 * load"). Workflow static data cannot do this: each request loads and saves its own copy, so
 * concurrent duplicates would all look new. A key is first *claimed* (in flight), then *committed*
 * (remembered in a bounded LRU) or *released* (the delivery failed and may be retried).
 */
export class ProcessDedupStore {
	private readonly inFlight = new Set<string>();
	private readonly seen = new Map<string, true>();

	constructor(private readonly capacity = 200_000) {}

	/** True when the key was free and is now claimed by the caller; false for a duplicate. */
	claim(key: string): boolean {
		if (this.inFlight.has(key) || this.seen.has(key)) return false;
		this.inFlight.add(key);
		return true;
	}

	commit(key: string): void {
		this.inFlight.delete(key);
		this.remember(key);
	}

	release(key: string): void {
		this.inFlight.delete(key);
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

	get size(): number {
		return this.seen.size;
	}

	clear(): void {
		this.inFlight.clear();
		this.seen.clear();
	}
}

/** The one store of this process; every trigger node module imports the same instance. */
export const processDedupStore = new ProcessDedupStore();

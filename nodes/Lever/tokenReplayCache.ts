import { hashKey } from '../core/dedup/hashKey';

/**
 * Lever signs only `token + triggeredAt`, not `data` (docs/nodes/leverTrigger.md). Lever's advice: "cache
 * the token value locally and not honor any subsequent request with the same token". A plain
 * token cache would also refuse Lever's own retries, so this one remembers the token together with
 * a hash of the body: the same token with the same body is a retry (dedup answers it), the same
 * token with another body is a replay with altered data and is refused. In-process and bounded;
 * the replay window on `triggeredAt` covers what a restart forgets.
 */
export class TokenReplayCache {
	private readonly seen = new Map<string, { body: string; at: number }>();

	constructor(private readonly capacity = 20_000) {}

	/** False when `token` was seen with a different body within `maxAgeMs`; records it otherwise. */
	check(token: string, rawBody: Buffer, nowMs: number, maxAgeMs: number): boolean {
		const key = hashKey(token);
		const body = hashKey(rawBody);
		const previous = this.seen.get(key);
		if (previous && (maxAgeMs <= 0 || nowMs - previous.at <= maxAgeMs))
			return previous.body === body;
		this.seen.delete(key);
		this.seen.set(key, { body, at: nowMs });
		while (this.seen.size > this.capacity)
			this.seen.delete(this.seen.keys().next().value as string);
		return true;
	}

	clear(): void {
		this.seen.clear();
	}
}

/** One cache for every Lever Trigger in this n8n process (tokens are unique per delivery). */
export const leverReplayCache = new TokenReplayCache();

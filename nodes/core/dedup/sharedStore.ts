import { randomBytes } from 'node:crypto';

/**
 * The dedup layer shared by every n8n process of one installation (queue mode: several `n8n
 * webhook` processes behind a load balancer), on Redis. It follows the same rule as the in-process
 * store (processStore.ts, docs/queue-mode.md):
 *
 * - a key is first *claimed* with `SET key <token> NX PX <claim>`: atomic, so of two copies that
 *   reach two processes at once exactly one gets it; the claim expires by itself (a process killed
 *   while holding it leaves no key forever);
 * - it is *committed* (`SET key s PX <window>`) once n8n has stored the execution that carries it,
 *   and then remembered for the Dedup Window;
 * - it is *released* (deleted, only if it still holds this request's token) when the execution was
 *   not stored, so the sender's retry is accepted.
 *
 * A copy that finds the key held by another request waits for the outcome (the caller polls `peek`)
 * instead of being told "duplicate" early. This file knows nothing of n8n or of a Redis client: it
 * talks to the few commands below (ioredis has exactly these signatures).
 */
export interface RedisCommands {
	set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<'OK' | null>;
	set(key: string, value: string, px: 'PX', ms: number): Promise<'OK' | null>;
	mget(...keys: string[]): Promise<Array<string | null>>;
	eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** Value of a key whose execution n8n stored. Anything else is a claim token (`h:` + random hex). */
export const STORED = 's';

/** How long a claim holds a key before it expires (a process killed while holding it). */
export const SHARED_CLAIM_MS = 60_000;

export type KeyState = 'free' | 'stored' | 'held';

export type SharedClaim =
	| { state: 'claimed'; token: string }
	| { state: 'busy'; stored: string[]; held: string[] };

/**
 * All-or-nothing claim of several keys (a batch with one key per event), atomic in Redis: when one
 * key is stored or held, none is taken. Returns one state per key: 0 free (now claimed), 1 stored,
 * 2 held by another request.
 */
const CLAIM_ALL = `
local states = {}
local free = true
for i, key in ipairs(KEYS) do
  local value = redis.call('GET', key)
  if not value then states[i] = 0
  elseif value == '${STORED}' then states[i] = 1; free = false
  else states[i] = 2; free = false end
end
if free then
  for i, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'PX', ARGV[2], 'NX') end
end
return states`;

/** Commit: every key becomes "stored" for the window (overwrites a claim, ours or an expired one's). */
const COMMIT_ALL = `
for i, key in ipairs(KEYS) do redis.call('SET', key, '${STORED}', 'PX', ARGV[1]) end
return #KEYS`;

/** Release: delete the keys that still hold this request's token (never another request's claim). */
const RELEASE_MINE = `
local n = 0
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key); n = n + 1 end
end
return n`;

export class SharedDedupStore {
	constructor(
		private readonly redis: RedisCommands,
		/** Namespace of every key, e.g. `n8n-ats-dedup:`; the scope (workflow and node) follows. */
		private readonly prefix: string,
		private readonly claimMs = SHARED_CLAIM_MS,
	) {}

	/** The Redis key of a hashed dedup key in one trigger's scope (workflow id and node id). */
	keyOf(scope: string, key: string): string {
		return `${this.prefix}${scope}:${key}`;
	}

	async claim(keys: readonly string[]): Promise<SharedClaim> {
		const token = `h:${randomBytes(12).toString('hex')}`;
		if (keys.length === 1) {
			// The common case: one event, one round trip.
			if ((await this.redis.set(keys[0], token, 'PX', this.claimMs, 'NX')) === 'OK')
				return { state: 'claimed', token };
			const [state] = await this.peek(keys);
			// Expired between the two commands: claim again (the caller's loop calls back).
			if (state === 'free') return { state: 'busy', stored: [], held: [] };
			return state === 'stored'
				? { state: 'busy', stored: [...keys], held: [] }
				: { state: 'busy', stored: [], held: [...keys] };
		}
		const states = (await this.redis.eval(
			CLAIM_ALL,
			keys.length,
			...keys,
			token,
			this.claimMs,
		)) as number[];
		if (states.every((s) => Number(s) === 0)) return { state: 'claimed', token };
		return {
			state: 'busy',
			stored: keys.filter((_, i) => Number(states[i]) === 1),
			held: keys.filter((_, i) => Number(states[i]) === 2),
		};
	}

	/** n8n stored the execution carrying these keys: remember them for `windowMs`. */
	async commit(keys: readonly string[], windowMs: number): Promise<void> {
		if (keys.length === 0) return;
		if (keys.length === 1) {
			await this.redis.set(keys[0], STORED, 'PX', windowMs);
			return;
		}
		await this.redis.eval(COMMIT_ALL, keys.length, ...keys, windowMs);
	}

	/** Not stored: free the keys this token holds so the sender's retry is accepted. */
	async release(keys: readonly string[], token: string): Promise<void> {
		if (keys.length === 0) return;
		await this.redis.eval(RELEASE_MINE, keys.length, ...keys, token);
	}

	async peek(keys: readonly string[]): Promise<KeyState[]> {
		const values = await this.redis.mget(...keys);
		return values.map((v) => (v === null ? 'free' : v === STORED ? 'stored' : 'held'));
	}
}

import {
	NodeOperationError,
	sleep,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type IWebhookFunctions,
	type Logger,
} from 'n8n-workflow';
import { hashKey } from '../core/dedup/hashKey';
import { processDedupStore } from '../core/dedup/processStore';
import { scopedKey } from '../core/dedup/deduplicator';
import { SharedDedupStore, type RedisCommands } from '../core/dedup/sharedStore';
import type { DedupSettle, PipelineResult } from '../core/pipeline/types';
import { REDIS_CREDENTIAL } from './credentialNames';

/**
 * Glue between the triggers and the shared dedup store on Redis (nodes/core/dedup/sharedStore.ts,
 * docs/queue-mode.md): the option, the credential, the client, and the step the webhook adapter
 * runs after the in-process layer accepted a delivery.
 *
 * The Redis client is ioredis, taken from the running n8n, not shipped with this package (a
 * community package has no runtime dependencies). n8n depends on ioredis for queue mode (5.3.2 in
 * n8n 2.41.1 and 1.123.81), and when it loads community packages it puts its own node_modules on
 * NODE_PATH (`LoadNodesAndCredentials.init` in packages/cli/src/load-nodes-and-credentials.ts of
 * https://github.com/n8n-io/n8n), the same way this package gets zod. The module is loaded the first
 * time a trigger with the option on needs it, so triggers without it never touch it.
 */

/** The subset of ioredis this package uses (ioredis 5 has these signatures). */
interface RedisClient extends RedisCommands {
	status: string;
	connect(): Promise<void>;
	ping(): Promise<string>;
	quit(): Promise<string>;
	disconnect(): void;
	on(event: 'error', listener: (error: Error) => void): unknown;
}
type RedisConstructor = new (options: Record<string, unknown>) => RedisClient;

export interface RedisConnection {
	host: string;
	port: number;
	user: string;
	password: string;
	database: number;
	ssl: boolean;
	disableTlsVerification: boolean;
	keyPrefix: string;
}

/** A copy that finds its event held in another process: 503 + Retry-After (the sender retries). */
const RETRY_AFTER_S = '5';
/** Redis down: the sender is asked to come back later; nothing is accepted without the store. */
const UNAVAILABLE_RETRY_AFTER_S = '10';
/** How often a waiting copy looks at the keys another process holds. */
const POLL_MS = 50;

let ioredis: RedisConstructor | undefined;

/** Why the shared store cannot work in this n8n, for the log line and the credential test. */
export const IOREDIS_MISSING =
	'The Redis client (ioredis) could not be loaded from this n8n. The shared dedup store uses the ioredis that n8n ships for queue mode; turn the option off, or run an n8n that includes it.';

/** ioredis from the running n8n, or undefined when it is not there (an n8n without it). */
export function loadIoredis(): RedisConstructor | undefined {
	if (ioredis) return ioredis;
	let loaded: unknown;
	try {
		// The one module this package takes from its host besides n8n-workflow and zod: ioredis is
		// not on n8n's community-node allow-list (n8n Cloud offers no Redis to connect to), and every
		// self-hosted n8n provides it (see the top of this file and docs/queue-mode.md).
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports
		loaded = require('ioredis');
	} catch {
		return undefined;
	}
	const mod = loaded as { default?: unknown; Redis?: unknown };
	const ctor = typeof loaded === 'function' ? loaded : (mod.Redis ?? mod.default);
	if (typeof ctor !== 'function') return undefined;
	ioredis = ctor as RedisConstructor;
	return ioredis;
}

export function connectionOf(data: ICredentialDataDecryptedObject): RedisConnection {
	return {
		host: String(data.host || 'localhost'),
		port: Number(data.port) || 6379,
		user: String(data.user ?? ''),
		password: String(data.password ?? ''),
		database: Number(data.database) || 0,
		ssl: data.ssl === true,
		disableTlsVerification: data.disableTlsVerification === true,
		keyPrefix: String(data.keyPrefix ?? 'n8n-ats-dedup:'),
	};
}

function newClient(
	Redis: RedisConstructor,
	connection: RedisConnection,
	lazy: boolean,
): RedisClient {
	const client = new Redis({
		host: connection.host,
		port: connection.port,
		username: connection.user || undefined,
		password: connection.password || undefined,
		db: connection.database,
		tls: connection.ssl ? { rejectUnauthorized: !connection.disableTlsVerification } : undefined,
		lazyConnect: lazy,
		// Fail fast while disconnected: a delivery gets 503 at once rather than waiting in a queue.
		enableOfflineQueue: false,
		maxRetriesPerRequest: 1,
		connectTimeout: 3000,
		commandTimeout: 3000,
		retryStrategy: (times: number) => Math.min(times * 200, 2000),
		enableAutoPipelining: true,
		connectionName: 'n8n-nodes-ats-webhooks',
	});
	// Errors are reported per request (one log line per outage, below); this keeps ioredis from
	// printing its own "Unhandled error event" for each reconnect attempt.
	client.on('error', () => undefined);
	return client;
}

interface Pool {
	client: RedisClient;
	connecting?: Promise<void>;
	/** Whether the last command failed; the outage is logged once, on the change. */
	down: boolean;
	label: string;
}

/** One client per Redis connection per n8n process, shared by every trigger. */
const pools = new Map<string, Pool>();

function poolFor(Redis: RedisConstructor, connection: RedisConnection): Pool {
	const id = hashKey(JSON.stringify(connection));
	let pool = pools.get(id);
	if (!pool) {
		pool = {
			client: newClient(Redis, connection, true),
			down: false,
			label: `${connection.host}:${connection.port}/${connection.database}`,
		};
		pools.set(id, pool);
	}
	return pool;
}

async function ready(pool: Pool): Promise<RedisClient> {
	if (pool.client.status === 'wait') {
		pool.connecting ??= pool.client.connect().finally(() => (pool.connecting = undefined));
	}
	if (pool.connecting) await pool.connecting;
	return pool.client;
}

function describe(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.replace(/\s+/g, ' ').slice(0, 200);
}

function markDown(pool: Pool, logger: Logger, error: unknown): void {
	if (pool.down) return;
	pool.down = true;
	logger.error(
		`ATS triggers: the Redis dedup store at ${pool.label} cannot be reached (${describe(error)}); deliveries get 503 + Retry-After until it is back`,
	);
}

function markUp(pool: Pool, logger: Logger): void {
	if (!pool.down) return;
	pool.down = false;
	logger.info(`ATS triggers: the Redis dedup store at ${pool.label} is reachable again`);
}

/** The options that switch the shared store on, from the trigger's Options collection. */
export function sharedDedupOptions(options: IDataObject): { on: boolean; windowMs: number } {
	const hours = Number(options.sharedDedupHours ?? 72);
	return {
		on: options.sharedDedup === true,
		windowMs: Math.round(
			Math.min(720, Math.max(1, Number.isFinite(hours) ? hours : 72)) * 3600_000,
		),
	};
}

export type SharedStep = { kind: 'done'; result: PipelineResult } | { kind: 'again' };

/** The shared store as one webhook request uses it. */
export class SharedDedup {
	private readonly store: SharedDedupStore;

	constructor(
		private readonly pool: Pool,
		keyPrefix: string,
		private readonly windowMs: number,
		private readonly logger: Logger,
	) {
		this.store = new SharedDedupStore(pool.client, keyPrefix);
	}

	/**
	 * After the in-process layer accepted a delivery (its keys are claimed in this process): claim
	 * them in Redis. Claimed: the result goes on, and its commit/release also settle Redis. Stored
	 * elsewhere: this process learns the keys and the caller runs the pipeline again (they are now
	 * duplicates). Held elsewhere: wait (polling) until that request learns its outcome, then again;
	 * 503 + Retry-After at the deadline. Redis unreachable: 503 + Retry-After, nothing accepted.
	 */
	async settle(
		result: PipelineResult,
		claims: DedupSettle,
		scope: string,
		deadline: number,
	): Promise<SharedStep> {
		const local = [...claims.keys];
		const keys = local.map((key) => this.store.keyOf(scope, key));
		let claim;
		try {
			await ready(this.pool);
			claim = await this.store.claim(keys);
			markUp(this.pool, this.logger);
		} catch (error) {
			claims.release();
			markDown(this.pool, this.logger, error);
			return { kind: 'done', result: unavailable };
		}
		if (claim.state === 'claimed') {
			const token = claim.token;
			return {
				kind: 'done',
				result: {
					...result,
					claims: {
						keys: claims.keys,
						commit: () => {
							claims.commit();
							this.store.commit(keys, this.windowMs).then(
								() => markUp(this.pool, this.logger),
								// The execution is stored; the claim expires by itself, and the trigger's
								// execute() marks the keys stored from the worker as well.
								(error) => markDown(this.pool, this.logger, error),
							);
						},
						release: () => {
							claims.release();
							this.store.release(keys, token).then(
								() => undefined,
								// The claim then expires by itself (SHARED_CLAIM_MS); until then copies wait and get 503.
								(error) => markDown(this.pool, this.logger, error),
							);
						},
					},
				},
			};
		}
		claims.release();
		for (const key of claim.stored)
			processDedupStore.remember(scopedKey(scope, local[keys.indexOf(key)]));
		let held = claim.held;
		while (held.length > 0) {
			const left = deadline - Date.now();
			if (left <= 0) return { kind: 'done', result: inFlight };
			await sleep(Math.min(POLL_MS, left));
			try {
				const states = await this.store.peek(held);
				held = held.filter((_, i) => states[i] === 'held');
			} catch (error) {
				markDown(this.pool, this.logger, error);
				return { kind: 'done', result: unavailable };
			}
		}
		return { kind: 'again' };
	}
}

/** The shared store for this request when the trigger's option is on; undefined when it is off. */
export async function openSharedDedup(
	context: IWebhookFunctions,
): Promise<SharedDedup | undefined> {
	const options = (context.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const { on, windowMs } = sharedDedupOptions(options);
	if (!on) return undefined;
	const Redis = loadIoredis();
	if (!Redis) throw new NodeOperationError(context.getNode(), IOREDIS_MISSING);
	const connection = connectionOf(await context.getCredentials(REDIS_CREDENTIAL));
	return new SharedDedup(
		poolFor(Redis, connection),
		connection.keyPrefix,
		windowMs,
		context.logger,
	);
}

/**
 * From the trigger's execute() (it runs only for stored executions, in the worker in queue mode):
 * mark the keys stored in Redis too, in case the webhook process died between n8n storing the
 * execution and its answer (then its claim would expire and a retry would run the event again).
 */
export async function recordStoredShared(
	context: IExecuteFunctions,
	scope: string,
	keys: readonly string[],
): Promise<void> {
	const options = (context.getNodeParameter('options', 0, {}) ?? {}) as IDataObject;
	const { on, windowMs } = sharedDedupOptions(options);
	if (!on || keys.length === 0) return;
	const Redis = loadIoredis();
	if (!Redis) throw new NodeOperationError(context.getNode(), IOREDIS_MISSING);
	const connection = connectionOf(await context.getCredentials(REDIS_CREDENTIAL));
	const pool = poolFor(Redis, connection);
	const store = new SharedDedupStore(pool.client, connection.keyPrefix);
	await ready(pool);
	await store.commit(
		keys.map((key) => store.keyOf(scope, key)),
		windowMs,
	);
}

/** Credential test (a PING with a fresh connection): Redis speaks no HTTP, so it is a node method. */
export async function atsWebhookRedisTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const Redis = loadIoredis();
	if (!Redis) return { status: 'Error', message: IOREDIS_MISSING };
	let client: RedisClient | undefined;
	try {
		client = newClient(Redis, connectionOf(credential.data ?? {}), true);
		await client.connect();
		const pong = await client.ping();
		return pong === 'PONG'
			? { status: 'OK', message: 'Connection successful' }
			: { status: 'Error', message: `Redis answered ${pong.slice(0, 40)} to PING` };
	} catch (error) {
		return { status: 'Error', message: describe(error) };
	} finally {
		client?.disconnect();
	}
}

const unavailable: PipelineResult = {
	outcome: 'not_configured',
	events: [],
	reply: {
		status: 503,
		headers: { 'Retry-After': UNAVAILABLE_RETRY_AFTER_S },
		body: {
			error: 'dedup_store_unavailable',
			reason: 'dedup_store_unavailable',
			message: 'The shared dedup store cannot be reached; nothing was accepted. Retry later.',
		},
	},
};

const inFlight: PipelineResult = {
	outcome: 'in_flight',
	events: [],
	reply: {
		status: 503,
		headers: { 'Retry-After': RETRY_AFTER_S },
		body: {
			error: 'in_flight',
			reason: 'in_flight',
			message: 'A copy of this delivery is being stored right now; retry shortly.',
		},
	},
};

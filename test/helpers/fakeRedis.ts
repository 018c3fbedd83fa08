import type { RedisCommands } from '../../nodes/core/dedup/sharedStore';

/**
 * An in-memory stand-in for the few Redis commands the shared dedup store uses (SET NX PX, SET PX,
 * MGET and the three scripts of nodes/core/dedup/sharedStore.ts, recognised by their text), with a
 * settable clock for expiry and a switch that makes every command fail as an unreachable Redis does.
 * The real Redis is exercised by the queue-mode e2e suite (test/e2e/queue.mjs) and bench/redis.mjs.
 */
export class FakeRedisServer {
	readonly data = new Map<string, { value: string; expires: number }>();
	now = 0;
	down = false;
	commands = 0;

	get(key: string): string | null {
		const entry = this.data.get(key);
		if (!entry) return null;
		if (entry.expires <= this.now) {
			this.data.delete(key);
			return null;
		}
		return entry.value;
	}

	put(key: string, value: string, ms: number): void {
		this.data.set(key, { value, expires: this.now + ms });
	}
}

export class FakeRedisClient implements RedisCommands {
	status = 'ready';

	constructor(readonly server: FakeRedisServer) {}

	private check(): void {
		this.server.commands++;
		if (this.server.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
	}

	async set(key: string, value: string, _px: 'PX', ms: number, nx?: 'NX'): Promise<'OK' | null> {
		this.check();
		if (nx && this.server.get(key) !== null) return null;
		this.server.put(key, value, ms);
		return 'OK';
	}

	async mget(...keys: string[]): Promise<Array<string | null>> {
		this.check();
		return keys.map((key) => this.server.get(key));
	}

	async eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown> {
		this.check();
		const keys = args.slice(0, numKeys).map(String);
		const argv = args.slice(numKeys).map(String);
		if (script.includes('local states')) {
			const states = keys.map((key) => {
				const value = this.server.get(key);
				return value === null ? 0 : value === 's' ? 1 : 2;
			});
			if (states.every((s) => s === 0))
				for (const key of keys) this.server.put(key, argv[0], Number(argv[1]));
			return states;
		}
		if (script.includes("redis.call('DEL'")) {
			let n = 0;
			for (const key of keys)
				if (this.server.get(key) === argv[0]) {
					this.server.data.delete(key);
					n++;
				}
			return n;
		}
		for (const key of keys) this.server.put(key, 's', Number(argv[0]));
		return keys.length;
	}

	async connect(): Promise<void> {
		this.check();
	}

	async ping(): Promise<string> {
		this.check();
		return 'PONG';
	}

	async quit(): Promise<string> {
		return 'OK';
	}

	disconnect(): void {}

	on(): this {
		return this;
	}
}

// Part 5 of `npm run bench` (BENCH_ONLY=redis runs only this part; `node bench/redis.mjs` too): the
// per-request cost of the shared dedup store on Redis (docs/queue-mode.md) beside the in-process
// path. A redis-server from Debian's package on a free loopback port in a temp folder (started and
// stopped here, by its pid), the ioredis of the pinned n8n (the client the package uses at run time),
// and the package's compiled store (dist/nodes/core/dedup). Per accepted event, measured interleaved:
//   in-process: Deduplicator claim + commit (what every trigger does without the option);
//   + Redis:    the same, plus SharedDedupStore claim (SET NX PX) and commit (SET PX): two round trips;
//   duplicate from another process: claim refused + MGET (two round trips), no in-process hit.
// Then the same Redis work with 16 requests in flight (ioredis pipelines them on one connection).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ensureRuntime, freePort, killGroup, spawnGroup } from '../scripts/n8n/lib/runtime.mjs';
import { summarise, table, us } from './stats.mjs';

const require = createRequire(import.meta.url);
const { Deduplicator } = require('../dist/nodes/core/dedup/deduplicator.js');
const { ProcessDedupStore } = require('../dist/nodes/core/dedup/processStore.js');
const { SharedDedupStore } = require('../dist/nodes/core/dedup/sharedStore.js');
const { hashKey } = require('../dist/nodes/core/dedup/hashKey.js');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startRedis() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ats-bench-redis-'));
	const port = await freePort();
	const child = spawnGroup(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ stdio: 'ignore' },
	);
	for (let i = 0; i < 100; i++) {
		const r = spawnSync('redis-cli', ['-p', String(port), 'PING'], { encoding: 'utf8' });
		if (r.stdout?.trim() === 'PONG') break;
		await sleep(100);
	}
	return {
		port,
		stop: async () => {
			killGroup(child.pid, 'SIGTERM');
			await sleep(300);
			killGroup(child.pid, 'SIGKILL');
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

export async function redisBench({ events = 3000, concurrency = 16 } = {}) {
	if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0)
		return {
			skipped: true,
			text: 'skipped: redis-server is not installed (apt-get install redis-server)',
		};
	const runtime = await ensureRuntime();
	const Redis = require(path.join(runtime.n8n.modules, 'ioredis'));
	const ioredisVersion = JSON.parse(
		fs.readFileSync(path.join(runtime.n8n.modules, 'ioredis/package.json'), 'utf8'),
	).version;
	const server = await startRedis();
	// The options nodes/shared/redisDedup.ts uses.
	const options = {
		host: '127.0.0.1',
		port: server.port,
		lazyConnect: true,
		enableOfflineQueue: false,
		maxRetriesPerRequest: 1,
		enableAutoPipelining: true,
	};
	const a = new Redis(options);
	const b = new Redis(options);
	try {
		await a.connect();
		await b.connect();
		const usedBefore = Number(/used_memory:(\d+)/.exec(await a.info('memory'))?.[1] ?? 0);
		const storeA = new SharedDedupStore(a, 'bench:');
		const storeB = new SharedDedupStore(b, 'bench:');
		const local = new ProcessDedupStore();
		const window = 72 * 3600_000;
		const inProcess = [];
		const withRedis = [];
		const duplicate = [];
		// Warm up the connections and the JIT.
		for (let i = 0; i < 200; i++) {
			const k = storeA.keyOf('wf:node', hashKey(`warm-${i}`));
			const c = await storeA.claim([k]);
			if (c.state === 'claimed') await storeA.commit([k], window);
		}
		for (let i = 0; i < events; i++) {
			let t = process.hrtime.bigint();
			let dedup = new Deduplicator('bench-local', {}, 1000, local);
			dedup.claim(`event-l-${i}`);
			dedup.commit();
			inProcess.push(Number(process.hrtime.bigint() - t));

			t = process.hrtime.bigint();
			dedup = new Deduplicator('bench-redis', {}, 1000, local);
			const claim = dedup.claim(`event-r-${i}`);
			const key = storeA.keyOf('wf:node', claim.key);
			const shared = await storeA.claim([key]);
			if (shared.state !== 'claimed') throw new Error('bench event wrongly held in Redis');
			dedup.commit();
			await storeA.commit([key], window);
			withRedis.push(Number(process.hrtime.bigint() - t));

			// The same event reaches the other process: refused by Redis, known as stored.
			t = process.hrtime.bigint();
			const copy = await storeB.claim([key]);
			duplicate.push(Number(process.hrtime.bigint() - t));
			if (copy.state !== 'busy' || copy.stored.length !== 1)
				throw new Error('bench copy not seen as stored');
		}
		// Throughput: `concurrency` accepted events in flight at once, claim + commit each.
		const started = process.hrtime.bigint();
		let next = 0;
		await Promise.all(
			Array.from({ length: concurrency }, async () => {
				while (next < events) {
					const key = storeA.keyOf('wf:node', hashKey(`event-c-${next++}`));
					const c = await storeA.claim([key]);
					if (c.state === 'claimed') await storeA.commit([key], window);
				}
			}),
		);
		const perSec = events / (Number(process.hrtime.bigint() - started) / 1e9);
		const memory = await a.info('memory');
		const keys = Number((await a.dbsize()) ?? 0);
		const usedBytes = Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? 0) - usedBefore;
		const p = summarise(inProcess);
		const r = summarise(withRedis);
		const d = summarise(duplicate);
		const rows = [
			['in process only (claim + commit)', p.n, us(p.p50), us(p.p99), '', ''],
			[
				'in process + Redis (SET NX PX, then SET PX)',
				r.n,
				us(r.p50),
				us(r.p99),
				`+${us(r.p50 - p.p50)}`,
				`${perSec.toFixed(0)}/s at ${concurrency} in flight`,
			],
			['copy on another process (SET NX refused + MGET)', d.n, us(d.p50), us(d.p99), '', ''],
		];
		return {
			results: { inProcess: p, withRedis: r, duplicate: d, perSec, keys, usedBytes },
			text: `${table(['per accepted event', 'events', 'p50 µs', 'p99 µs', 'added p50 µs', 'throughput'], rows)}\n\n${spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.trim().split(' ').slice(0, 3).join(' ')} on loopback, ioredis ${ioredisVersion} (from n8n), one connection per "process"; ${keys.toLocaleString('en')} keys added ${(usedBytes / 2 ** 20).toFixed(2)} MiB to Redis' memory (about ${Math.round(usedBytes / Math.max(1, keys))} bytes per key).`,
		};
	} finally {
		a.disconnect();
		b.disconnect();
		await server.stop();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	console.log(
		'Part 5: the shared dedup store on Redis, per accepted event, beside the in-process path\n',
	);
	const part5 = await redisBench();
	console.log(part5.text);
	process.exit(0);
}

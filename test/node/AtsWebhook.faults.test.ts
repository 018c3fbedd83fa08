import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { INodeExecutionData } from 'n8n-workflow';
import { AtsWebhook } from '../../nodes/AtsWebhook/AtsWebhook.node';
import { executeContext } from '../helpers/httpRequestExecuteContext';
import { headerOf, startReceiver, type Receiver } from '../helpers/receiver';

/**
 * Seed 004 ("nothing lost, no duplicates on retry") against a flaky receiver on 127.0.0.1: random
 * 500s, connection resets, answers slower than the attempt timeout, 429 with Retry-After, and one
 * 410. The receiver behaves as the Standard Webhooks spec asks a consumer to: verify,
 * then use webhook-id / Idempotency-Key as the idempotency key. Bounded: small budgets, seconds.
 */
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const credentials = { atsWebhookSigningSecretApi: { secret } };

function prng(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Ledger {
	arrivals: Map<string, number>;
	bodies: Map<string, Set<string>>;
	/** Key -> candidate ids, recorded once per key (the receiver's dedup). */
	processed: Map<string, string[]>;
	badSignatures: number;
	gone: string[];
}

async function flakyReceiver(
	seed: number,
	goneChunk: number,
	slowMs: number,
): Promise<{ rx: Receiver; ledger: Ledger }> {
	const random = prng(seed);
	const ledger: Ledger = {
		arrivals: new Map(),
		bodies: new Map(),
		processed: new Map(),
		badSignatures: 0,
		gone: [],
	};
	const wh = new Webhook(secret);
	const rx = await startReceiver((request, res) => {
		const key = headerOf(request, 'idempotency-key') ?? '';
		const text = request.rawBody.toString('utf8');
		try {
			wh.verify(text, request.headers as Record<string, string>);
		} catch {
			ledger.badSignatures++;
			res.writeHead(401);
			res.end();
			return;
		}
		ledger.arrivals.set(key, (ledger.arrivals.get(key) ?? 0) + 1);
		if (!ledger.bodies.has(key)) ledger.bodies.set(key, new Set());
		ledger.bodies.get(key)!.add(text);
		const body = JSON.parse(text) as { chunk_index: number; candidates: Array<{ id: string }> };
		const process = () => {
			if (!ledger.processed.has(key))
				ledger.processed.set(
					key,
					body.candidates.map((c) => c.id),
				);
		};
		// Each fault kind happens at least once: the first arrival of chunks 1, 2, 4 and 5.
		const first = ledger.arrivals.get(key) === 1;
		const forced = first
			? ({ 1: 'slow', 2: 'reset', 4: 'throttle', 5: 'error' } as Record<number, string>)[
					body.chunk_index
				]
			: undefined;
		if (body.chunk_index === goneChunk) {
			ledger.gone.push(key);
			res.writeHead(410);
			res.end();
			return;
		}
		const r =
			forced === 'slow'
				? 0.45
				: forced === 'reset'
					? 0.25
					: forced === 'throttle'
						? 0.35
						: forced === 'error'
							? 0.1
							: random();
		if (r < 0.2) {
			res.writeHead(500);
			res.end('{"error":"internal"}');
		} else if (r < 0.3) {
			request.headers.connection = 'close';
			res.socket?.destroy();
		} else if (r < 0.4) {
			res.writeHead(429, { 'Retry-After': '1' });
			res.end();
		} else if (r < 0.5) {
			process();
			setTimeout(() => {
				if (!res.destroyed) {
					res.writeHead(200);
					res.end('{"late":true}');
				}
			}, slowMs).unref();
		} else {
			const duplicate = ledger.processed.has(key);
			process();
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ received: true, duplicate }));
		}
	}, 30_000);
	return { rx, ledger };
}

const node = new AtsWebhook();

async function exportThroughFaults(seed: number, budgetSeconds: number) {
	const goneChunk = 3;
	const { rx, ledger } = await flakyReceiver(seed, goneChunk, 400);
	try {
		const input = Array.from({ length: 1000 }, (_, i) => ({
			id: `cand-${i}`,
			first_name: 'Grace',
			email: `g${i}@example.com`,
		}));
		const { context } = executeContext({
			items: input,
			continueOnFail: true,
			credentials,
			parameters: {
				operation: 'exportCandidates',
				url: rx.url(),
				authentication: 'standardWebhooks',
				maxCandidates: 100,
				options: {
					timeoutMs: 150,
					initialDelayMs: 20,
					maxAttempts: 8,
					retryAfterCapSeconds: 0.1,
					budgetSeconds,
				},
			},
		});
		const started = Date.now();
		const [delivered, failed] = (await node.execute.call(context)) as INodeExecutionData[][];
		const durationMs = Date.now() - started;
		return { input, delivered, failed, ledger, durationMs, goneChunk };
	} finally {
		await rx.close();
	}
}

describe('ATS Webhook under faults (seed 004)', () => {
	it.each([11, 23, 42])(
		'nothing lost, nothing counted twice, inside the time budget (receiver seed %s)',
		async (seed) => {
			const budgetSeconds = 3;
			const { input, delivered, failed, ledger, durationMs, goneChunk } = await exportThroughFaults(
				seed,
				budgetSeconds,
			);

			// Every chunk ends delivered or failed; delivered + failed = input, by candidate id.
			const deliveredIds = delivered.flatMap((d) => d.json.candidateIds as string[]);
			const failedIds = failed.map((f) => f.json.id as string);
			expect(new Set([...deliveredIds, ...failedIds]).size).toBe(input.length);
			expect(deliveredIds.length + failedIds.length).toBe(input.length);
			const deliveredKeys = delivered.map((d) => d.json.idempotencyKey as string);
			const failedKeys = new Set(
				failed.map((f) => (f.json.deliveryError as { idempotencyKey: string }).idempotencyKey),
			);
			expect(deliveredKeys.length + failedKeys.size).toBe(10);

			// The 410 chunk failed at once and was not retried.
			const gone = failed.filter(
				(f) => (f.json.deliveryError as { chunkIndex: number }).chunkIndex === goneChunk,
			);
			expect(gone).toHaveLength(100);
			expect(gone[0].json.deliveryError).toMatchObject({
				reason: 'gone',
				status: 410,
				attempts: 1,
			});
			expect(ledger.gone).toHaveLength(1);

			// The receiver, deduplicating by idempotency key, counts each delivered chunk once.
			for (const key of deliveredKeys) expect(ledger.processed.has(key)).toBe(true);
			const processedIds = [...ledger.processed.values()].flat();
			expect(new Set(processedIds).size).toBe(processedIds.length);
			const totalArrivals = [...ledger.arrivals.values()].reduce((a, b) => a + b, 0);
			expect(totalArrivals).toBeGreaterThan(ledger.arrivals.size); // retries did happen
			// A retry is byte-for-byte the same request, correctly signed each time.
			for (const bodies of ledger.bodies.values()) expect(bodies.size).toBe(1);
			expect(ledger.badSignatures).toBe(0);
			// At-least-once: a chunk the receiver took but whose answer never came back is reported failed (timeout), never silently.
			for (const key of ledger.processed.keys()) {
				if (deliveredKeys.includes(key)) continue;
				const item = failed.find(
					(f) => (f.json.deliveryError as { idempotencyKey: string }).idempotencyKey === key,
				);
				expect(item?.json.deliveryError).toMatchObject({
					reason: expect.stringMatching(/timeout|budget_exhausted/),
				});
			}

			// The forced faults: a slow answer past the timeout (the receiver took it: retried, counted once),
			// a reset, a 429 whose Retry-After was honoured up to the 100 ms cap, a 500.
			type Attempt = { status?: number; error?: string; waitMs?: number };
			const log = (chunk: number): Attempt[] => {
				const ok = delivered.find((d) => d.json.chunkIndex === chunk);
				if (ok) return ok.json.attemptLog as Attempt[];
				return (
					failed.find((f) => (f.json.deliveryError as { chunkIndex: number }).chunkIndex === chunk)
						?.json.deliveryError as { attemptLog: Attempt[] }
				).attemptLog;
			};
			expect(log(1)[0].error).toBe('timeout');
			const slowKey = [...ledger.arrivals.keys()].find((k) => k.endsWith(':1'))!;
			expect(ledger.arrivals.get(slowKey)).toBeGreaterThanOrEqual(2);
			expect(ledger.processed.has(slowKey)).toBe(true);
			expect(log(2)[0].error).toBe('ECONNRESET');
			expect(log(4)[0]).toMatchObject({ status: 429 });
			expect(log(4)[0].waitMs).toBeGreaterThanOrEqual(100);
			expect(log(5)[0].status).toBe(500);

			// The run stays within its time budget (plus scheduling slack).
			expect(durationMs).toBeLessThanOrEqual(budgetSeconds * 1000 + 500);
			process.stdout.write(
				`\n[measure] faults seed ${seed}: ${delivered.length}/10 chunks delivered, ${failedKeys.size} failed, ${totalArrivals} arrivals for ${ledger.arrivals.size} keys, ${durationMs} ms (budget ${budgetSeconds * 1000} ms)\n`,
			);
		},
		15_000,
	);

	it('a receiver that never answers: the attempt timeout is cut to the budget, the rest goes to Failed unsent, on time', async () => {
		const rx = await startReceiver(() => undefined, 10_000);
		try {
			const input = Array.from({ length: 1000 }, (_, i) => ({ id: `cand-${i}` }));
			const { context } = executeContext({
				items: input,
				continueOnFail: true,
				parameters: {
					operation: 'exportCandidates',
					url: rx.url(),
					maxCandidates: 100,
					options: { timeoutMs: 5000, maxAttempts: 5, budgetSeconds: 0.5 },
				},
			});
			const started = Date.now();
			const [delivered, failed] = (await node.execute.call(context)) as INodeExecutionData[][];
			const durationMs = Date.now() - started;
			// Without the budget this would take 10 requests × 5 attempts × 5 s.
			expect(durationMs).toBeGreaterThanOrEqual(450);
			expect(durationMs).toBeLessThan(1500);
			expect(delivered).toEqual([]);
			expect(failed).toHaveLength(1000);
			const byChunk = new Map(
				failed.map((f) => [
					(f.json.deliveryError as { chunkIndex: number }).chunkIndex,
					f.json.deliveryError as { reason: string; attempts: number },
				]),
			);
			expect(byChunk.get(0)).toMatchObject({ reason: 'timeout', attempts: 1 });
			for (let chunk = 1; chunk < 10; chunk++)
				expect(byChunk.get(chunk)).toMatchObject({ reason: 'budget_exhausted', attempts: 0 });
			expect(rx.requests).toHaveLength(1);
		} finally {
			await rx.close();
		}
	});

	it('a cancelled execution aborts the attempt in flight and starts no other', async () => {
		const controller = new AbortController();
		// The receiver never answers; the execution is cancelled once the first request has arrived.
		const rx = await startReceiver(() => controller.abort(), 10_000);
		try {
			const { context } = executeContext({
				items: [{ id: 'a' }, { id: 'b' }],
				continueOnFail: true,
				cancelSignal: controller.signal,
				parameters: {
					operation: 'exportCandidates',
					url: rx.url(),
					maxCandidates: 1,
					options: { timeoutMs: 5000, budgetSeconds: 10 },
				},
			});
			const started = Date.now();
			const [delivered, failed] = (await node.execute.call(context)) as INodeExecutionData[][];
			expect(Date.now() - started).toBeLessThan(1500);
			expect(delivered).toEqual([]);
			expect(failed.map((f) => (f.json.deliveryError as { reason: string }).reason)).toEqual([
				'cancelled',
				'cancelled',
			]);
			expect(rx.requests).toHaveLength(1);
		} finally {
			await rx.close();
		}
	});
});

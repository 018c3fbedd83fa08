// Parts 1 and 2 of `npm run bench`: the pipeline's own cost per event, and the dedup window, in
// process (no n8n). Everything is measured side by side in one run, interleaved per iteration, so
// machine noise hits both sides alike.
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { candidatePayload } from './payload.mjs';
import { summarise, table, us } from './stats.mjs';

const require = createRequire(import.meta.url);
const { runPipeline } = require('../dist/nodes/core/pipeline/runPipeline.js');
const { genericSource } = require('../dist/nodes/AtsWebhookTrigger/genericSource.js');
const {
	standardWebhookHeaders,
	decodeStandardSecret,
} = require('../dist/nodes/core/signature/index.js');
const { Deduplicator } = require('../dist/nodes/core/dedup/deduplicator.js');
const { ProcessDedupStore } = require('../dist/nodes/core/dedup/processStore.js');

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const settings = {
	auth: { scheme: 'standardWebhooks', secrets: [SECRET], toleranceSeconds: 300 },
	events: [],
	dedup: { enabled: true, window: 1000 },
	privacy: false,
	maxBodyBytes: 16 * 1024 * 1024,
	responseCode: 0,
	batchAsOneItem: false,
	emitTestEvents: false,
	eventPath: '',
	eventIdPath: '',
	batchPath: '',
};

export function pipelineBench({ sizes = [1024, 100 * 1024, 1024 * 1024], budgetMs = 15_000 } = {}) {
	const rows = [];
	const results = [];
	const key = decodeStandardSecret(SECRET);
	for (const size of sizes) {
		const iterations = size <= 2048 ? 20_000 : size <= 200 * 1024 ? 2_000 : 200;
		const now = Date.now();
		const body = candidatePayload(size);
		// Each delivery is a new event (new webhook-id), so dedup records it rather than short-circuiting.
		const requests = Array.from({ length: iterations }, (_, i) => ({
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				...standardWebhookHeaders([SECRET], `msg_${size}_${i}`, Math.floor(now / 1000), body),
			},
			rawBody: body,
			query: {},
			now,
		}));
		const state = { scope: `bench-${size}`, staticData: {} };
		const pipeline = [];
		const floor = [];
		const started = Date.now();
		for (let i = 0; i < iterations; i++) {
			const req = requests[i];
			let t = process.hrtime.bigint();
			const result = runPipeline(genericSource, req, settings, state);
			pipeline.push(Number(process.hrtime.bigint() - t));
			if (result.outcome !== 'accepted')
				throw new Error(`bench delivery not accepted: ${result.outcome}`);
			// The floor: what any correct receiver must do with the same bytes.
			t = process.hrtime.bigint();
			createHmac('sha256', key)
				.update(`${req.headers['webhook-id']}.${req.headers['webhook-timestamp']}.`)
				.update(body)
				.digest('base64');
			JSON.parse(body.toString('utf8'));
			floor.push(Number(process.hrtime.bigint() - t));
			if (Date.now() - started > budgetMs) break;
		}
		const p = summarise(pipeline);
		const f = summarise(floor);
		results.push({ size: body.length, pipeline: p, floor: f, ratio: p.p50 / f.p50 });
		rows.push([
			`${(body.length / 1024).toFixed(0)} KiB`,
			p.n,
			us(p.p50),
			us(p.p99),
			us(f.p50),
			us(f.p99),
			(p.p50 / f.p50).toFixed(2) + 'x',
		]);
	}
	return {
		results,
		text: table(
			[
				'payload',
				'events',
				'pipeline p50 µs',
				'pipeline p99 µs',
				'floor p50 µs',
				'floor p99 µs',
				'ratio p50',
			],
			rows,
		),
	};
}

export function dedupBench({ windows = [100, 1000, 10_000], events = 2000 } = {}) {
	const rows = [];
	const results = [];
	for (const window of windows) {
		const store = new ProcessDedupStore();
		let staticData = {};
		// Fill the ring first so every measured event also evicts the oldest key.
		const filler = new Deduplicator(`w${window}`, staticData, window, store);
		for (let i = 0; i < window; i++) filler.claim(`fill-${i}`);
		filler.commit();
		// Two ways side by side: the same static data object (our code path alone), and a fresh copy per
		// event as n8n loads it from its database per request (the copy is made outside the timing,
		// but touching a freshly parsed array costs cache misses that grow with its size).
		const inMemory = [];
		const reloaded = [];
		for (let i = 0; i < events; i++) {
			let t = process.hrtime.bigint();
			let dedup = new Deduplicator(`w${window}`, staticData, window, store);
			let claim = dedup.claim(`event-a-${i}`);
			dedup.commit();
			inMemory.push(Number(process.hrtime.bigint() - t));
			if (!claim.isNew) throw new Error('bench event wrongly seen as duplicate');
			staticData = JSON.parse(JSON.stringify(staticData));
			t = process.hrtime.bigint();
			dedup = new Deduplicator(`w${window}`, staticData, window, store);
			claim = dedup.claim(`event-b-${i}`);
			dedup.commit();
			reloaded.push(Number(process.hrtime.bigint() - t));
			if (!claim.isNew) throw new Error('bench event wrongly seen as duplicate');
		}
		const bytes = Buffer.byteLength(JSON.stringify(staticData));
		const a = summarise(inMemory);
		const b = summarise(reloaded);
		results.push({ window, bytes, p50: a.p50, p99: a.p99, reloadedP50: b.p50, reloadedP99: b.p99 });
		rows.push([
			window.toLocaleString('en'),
			`${bytes.toLocaleString('en')} B (${(bytes / 1024).toFixed(1)} KiB)`,
			us(a.p50),
			us(a.p99),
			us(b.p50),
			us(b.p99),
		]);
	}
	return {
		results,
		text: table(
			[
				'window (keys)',
				'static data size',
				'same object p50 µs',
				'p99 µs',
				'fresh copy p50 µs',
				'p99 µs',
			],
			rows,
		),
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	console.log(
		'Part 1: pipeline cost per event (verify + parse + split + dedup + normalise) vs floor (HMAC-SHA256 + JSON.parse)\n',
	);
	console.log(pipelineBench().text);
	console.log('\nPart 2: dedup window\n');
	console.log(dedupBench().text);
}

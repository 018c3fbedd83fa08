#!/usr/bin/env node
// node bench/reconcile-memory.mjs  (after npm run build)
//
// One poll of the ATS Reconcile Trigger's engine (dist/nodes/core/reconcile/poll.js) over N changed
// records, against a fake Ashby application.list (POST, limit ≤ 100, cursor → nextCursor,
// moreDataAvailable; https://developers.ashbyhq.com/docs/pagination-and-incremental-sync) served
// by a CHILD process, so the figures are the poller's own. Reports the peak RSS and heap of this
// process during the poll (sampled every 5 ms) next to the baseline before it.
//
// Cases: 10,000 changed records, one poll emitting all 10,000 (Max Events per Poll 10,000); and
// 50,000 changed records with the default Max Events per Poll (5,000), to show that a poll's
// memory follows what it emits, not how many records changed (pages are read and dropped).
// Not part of `npm run bench` (bench/run.mjs is left as it is).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createRequire } from 'node:module';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

if (process.argv[2] === '--serve') {
	// The fake Ashby API, in its own process.
	const http = await import('node:http');
	const count = Number(process.argv[3]);
	const base = Date.now();
	const record = (i) => ({
		id: `app-${i}`,
		createdAt: new Date(base - 86_400_000).toISOString(),
		updatedAt: new Date(base - (i % 3600) * 1000).toISOString(),
		status: 'Active',
		candidate: {
			id: `cand-${i}`,
			name: `First${i} Last${i}`,
			primaryEmailAddress: { value: `c${i}@example.com` },
		},
		currentInterviewStage: { id: 'stage-1', title: 'Technical interview' },
		job: { id: 'job-1', title: 'Senior Designer', status: 'Open' },
		source: { id: 'src-1', title: 'LinkedIn' },
		customFields: [{ id: 'cf-1', title: 'Notes', value: 'x'.repeat(200) }],
	});
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', () => {
			const body = JSON.parse(raw || '{}');
			const limit = Math.min(100, body.limit ?? 100);
			const offset = body.cursor ? Number(body.cursor) : 0;
			const results = [];
			for (let i = offset; i < Math.min(count, offset + limit); i++) results.push(record(i));
			const more = offset + limit < count;
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					success: true,
					results,
					moreDataAvailable: more,
					...(more ? { nextCursor: String(offset + limit) } : { syncToken: 'sync-1' }),
				}),
			);
		});
	});
	server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else {
	const { runPoll } = require(
		path.join(HERE, '..', 'dist', 'nodes', 'core', 'reconcile', 'poll.js'),
	);
	const { RECONCILE_ADAPTERS } = require(
		path.join(HERE, '..', 'dist', 'nodes', 'core', 'reconcile', 'vendors', 'index.js'),
	);

	async function once(count, maxEvents) {
		const child = fork(fileURLToPath(import.meta.url), ['--serve', String(count)]);
		const port = await new Promise((resolve) => child.once('message', resolve));
		globalThis.gc?.();
		const before = process.memoryUsage();
		let peakRss = before.rss;
		let peakHeap = before.heapUsed;
		const sampler = setInterval(() => {
			const m = process.memoryUsage();
			if (m.rss > peakRss) peakRss = m.rss;
			if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
		}, 5);
		const started = Date.now();
		const out = await runPoll(
			RECONCILE_ADAPTERS.ashby,
			{ watermark: Date.now() - 7_200_000 },
			{
				baseUrl: `http://127.0.0.1:${port}`,
				overlapMs: 300_000,
				pageSize: 100,
				maxEvents,
				budgetMs: 600_000,
				firstRun: 'baseline',
				maxAttempts: 5,
			},
			{
				send: async (request) => {
					const r = await fetch(request.url, {
						method: request.method,
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(request.body),
					});
					return { status: r.status, headers: Object.fromEntries(r.headers), body: await r.json() };
				},
				sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
				now: () => Date.now(),
				claim: () => 'new',
			},
			'bench',
		);
		const ms = Date.now() - started;
		const m = process.memoryUsage();
		peakRss = Math.max(peakRss, m.rss);
		peakHeap = Math.max(peakHeap, m.heapUsed);
		clearInterval(sampler);
		child.kill();
		const mib = (n) => Math.round((n / 1048576) * 10) / 10;
		const row = {
			changedRecords: count,
			maxEventsPerPoll: maxEvents,
			emitted: out.events.length,
			pages: out.stats.pages,
			ms,
			rssBeforeMiB: mib(before.rss),
			peakRssMiB: mib(peakRss),
			peakRssGrowthMiB: mib(peakRss - before.rss),
			peakHeapMiB: mib(peakHeap),
			emittedJsonMiB: mib(Buffer.byteLength(JSON.stringify(out.events))),
		};
		console.log(JSON.stringify(row));
		out.events.length = 0;
		return row;
	}

	if (process.argv[2] === '--case') {
		await once(Number(process.argv[3]), Number(process.argv[4]));
		process.exit(0);
	}
	// Each case in a fresh process, so one case's heap does not stand in the next one's RSS.
	console.log(`node ${process.version}, ${new Date().toISOString()}`);
	for (const [count, max] of [
		[10_000, 10_000],
		[50_000, 5_000],
		[10_000, 1_000],
	]) {
		const child = fork(fileURLToPath(import.meta.url), ['--case', String(count), String(max)], {
			execArgv: ['--expose-gc'],
		});
		await new Promise((resolve) => child.once('exit', resolve));
	}
}

// `npm run bench:profile`: where the time of one request goes, in a real n8n (the pinned version),
// split into n8n's share and ours. n8n runs with V8's sampling profiler (`--cpu-prof`, one sample
// every 250 µs of the main thread); requests are sent one at a time, phase by phase, so every
// sample belongs to one phase (the profile's clock and process.hrtime are both CLOCK_MONOTONIC).
// A sample is "ours" when a frame of this package is on its stack (our code and what it calls in
// n8n, such as getCredentials); the rest of the busy time is n8n's (HTTP, routing, loading the
// workflow, storing and running the execution). Wall time per request is measured by the sender;
// the difference between wall and busy time is waiting (SQLite runs in libuv's thread pool, the
// expression isolate, the event loop). Bounded: fixed request counts, every wait has a timeout.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VERSIONS, stopN8n } from '../scripts/n8n/lib/runtime.mjs';
import { INGEST, ingestPath } from './n8n-workflows.mjs';
import {
	FIXTURE,
	SECRET,
	greenhouseSignature,
	installBenchCleanup,
	interrupted,
	maxExecutionId,
	settle,
	setup,
	teardown,
	restartN8n,
} from './n8n.mjs';
import { percentile, table } from './stats.mjs';

const INTERVAL_US = 250;
const PACKAGE_DIR = '/n8n-nodes-ats-webhooks/';

/** The phases, each `count` requests one after the other (after `warmup` unmeasured ones). */
function phases(raw) {
	const base = { 'content-type': 'application/json', 'user-agent': 'Greenhouse' };
	const good = { ...base, signature: greenhouseSignature(raw, SECRET) };
	const dupId = `profile-dup-${randomUUID()}`;
	return [
		{
			key: 'accepted',
			label: 'Greenhouse Trigger: accepted (new event id)',
			request: () => ({
				path: ingestPath('ours'),
				headers: { ...good, 'greenhouse-event-id': randomUUID() },
			}),
			status: 200,
			workflow: INGEST.ours.id,
			executions: true,
		},
		{
			key: 'builtin',
			label: "n8n's Webhook node (respond on receipt), same body",
			request: () => ({
				path: ingestPath('builtin'),
				headers: { ...good, 'greenhouse-event-id': randomUUID() },
			}),
			status: 200,
			workflow: INGEST.builtin.id,
			executions: true,
		},
		{
			key: 'duplicate',
			label: 'Greenhouse Trigger: duplicate (one event id for all)',
			request: () => ({
				path: ingestPath('ours'),
				headers: { ...good, 'greenhouse-event-id': dupId },
			}),
			status: 200,
			workflow: INGEST.ours.id,
			executions: false,
			prime: true,
		},
		{
			key: 'badsig',
			label: 'Greenhouse Trigger: bad signature',
			request: () => ({
				path: ingestPath('ours'),
				headers: {
					...base,
					signature: greenhouseSignature(raw, 'not the secret'),
					'greenhouse-event-id': randomUUID(),
				},
			}),
			status: 401,
			workflow: INGEST.ours.id,
			executions: false,
		},
	];
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function send(ctx, req, raw) {
	const t0 = process.hrtime.bigint();
	const res = await fetch(ctx.instance.baseUrl + req.path, {
		method: 'POST',
		headers: req.headers,
		body: raw,
		signal: AbortSignal.timeout(30_000),
	});
	const text = await res.text();
	return { status: res.status, text, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

async function runPhase(ctx, phase, raw, { count, warmup }) {
	if (phase.prime) await send(ctx, phase.request(), raw); // the first delivery of the id is accepted
	for (let i = 0; i < warmup; i++) await send(ctx, phase.request(), raw);
	await settle(ctx.instance, phase.workflow, 0, 0, { timeoutMs: 60_000 }).catch(() => {});
	const before = await maxExecutionId(ctx.instance);
	const startUs = nowUs();
	const wall = [];
	const wrong = {};
	for (let i = 0; i < count; i++) {
		const r = await send(ctx, phase.request(), raw);
		wall.push(r.ms);
		if (r.status !== phase.status) wrong[r.status] = (wrong[r.status] ?? 0) + 1;
	}
	// Executions run after the answer: the phase ends when n8n has finished them.
	const ex = await settle(ctx.instance, phase.workflow, before, phase.executions ? count : 0, {
		timeoutMs: 120_000,
	});
	const endUs = nowUs();
	return { startUs, endUs, wall, wrong, executions: ex.n };
}

/** Every sample of a .cpuprofile with its time (µs, monotonic) and its stack's categories. */
function readSamples(file) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const info = new Map();
	const describe = (id) => {
		if (info.has(id)) return info.get(id);
		const node = byId.get(id);
		const up = parent.has(id) ? describe(parent.get(id)) : { ours: false };
		const url = node.callFrame.url ?? '';
		const d = {
			ours: up.ours || url.includes(PACKAGE_DIR),
			self: selfCategory(node.callFrame),
			fn: `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(url)}:${node.callFrame.lineNumber + 1}`,
		};
		info.set(id, d);
		return d;
	};
	let t = profile.startTime;
	const samples = [];
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i];
		samples.push({ t, ...describe(profile.samples[i]) });
	}
	return { samples, startTime: profile.startTime, endTime: profile.endTime };
}

function selfCategory({ functionName, url }) {
	if (functionName === '(idle)') return 'idle';
	if (functionName === '(garbage collector)') return 'gc';
	if (functionName === '(program)') return 'program';
	if (url.includes(PACKAGE_DIR)) return 'ours';
	if (url.startsWith('node:') || !url) return 'node';
	return 'n8n';
}

function shortUrl(url) {
	const i = url.lastIndexOf('node_modules/');
	return i >= 0 ? url.slice(i + 13) : url.replace(/^file:\/\//, '');
}

function summarisePhase(samples, run, count) {
	const inPhase = samples.filter((s) => s.t >= run.startUs && s.t <= run.endUs);
	const busy = inPhase.filter((s) => s.self !== 'idle');
	const ms = (n) => (n * INTERVAL_US) / 1000 / count;
	const ours = busy.filter((s) => s.ours);
	const top = new Map();
	for (const s of ours) top.set(s.fn, (top.get(s.fn) ?? 0) + 1);
	const topN8n = new Map();
	for (const s of busy.filter((x) => !x.ours && x.self === 'n8n'))
		topN8n.set(s.fn, (topN8n.get(s.fn) ?? 0) + 1);
	const sorted = Float64Array.from(run.wall).sort();
	return {
		wallP50: percentile(sorted, 50),
		wallMean: run.wall.reduce((a, b) => a + b, 0) / run.wall.length,
		phaseMsPerRequest: (run.endUs - run.startUs) / 1000 / count,
		busy: ms(busy.length),
		ours: ms(ours.length),
		oursSelf: ms(ours.filter((s) => s.self === 'ours').length),
		n8n: ms(busy.length - ours.length),
		gc: ms(busy.filter((s) => s.self === 'gc').length),
		samples: inPhase.length,
		topOurs: [...top.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8),
		topN8n: [...topN8n.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8),
		executions: run.executions,
		wrong: run.wrong,
	};
}

/** The n8n settings profiled, each in its own n8n process (see CONFIGURATIONS in bench/n8n.mjs). */
const PROFILE_CONFIGS = [
	{ key: 'defaults', tag: "n8n's defaults", env: {} },
	{
		key: 'lazy',
		tag: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	},
];

export async function profileBench({
	count = Number(process.env.PROFILE_REQUESTS ?? 300),
	warmup = 100,
	log = console.log,
} = {}) {
	const profDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ats-profile-'));
	let ctx;
	try {
		ctx = await setup({
			log,
			extraEnv: {
				NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profDir} --cpu-prof-interval=${INTERVAL_US}`,
			},
		});
		const raw = fs.readFileSync(FIXTURE);
		const texts = [];
		const all = {};
		for (const config of PROFILE_CONFIGS) {
			// Only the profile of this start is read: earlier processes wrote their own before.
			for (const f of fs.readdirSync(profDir)) fs.rmSync(path.join(profDir, f));
			Object.assign(ctx.instance.env, config.env);
			await restartN8n(ctx);
			const pid = ctx.instance.child.pid;
			const runs = [];
			for (const phase of phases(raw)) {
				const run = await runPhase(ctx, phase, raw, { count, warmup });
				runs.push({ phase, run });
				log(
					`  ${config.key} ${phase.key}: ${count} requests, ${run.executions} executions, p50 ${percentile(Float64Array.from(run.wall).sort(), 50).toFixed(1)} ms`,
				);
			}
			await stopN8n(ctx.instance, { graceMs: 20_000 }); // SIGTERM: n8n exits, V8 writes the profile
			for (const name of Object.keys(config.env)) delete ctx.instance.env[name];
			const file = fs
				.readdirSync(profDir)
				.find((f) => f.includes(`.${pid}.`) && f.endsWith('.cpuprofile'));
			if (!file) throw new Error(`n8n (pid ${pid}) wrote no CPU profile into ${profDir}`);
			const { samples } = readSamples(path.join(profDir, file));
			const results = runs.map(({ phase, run }) => ({
				key: phase.key,
				label: phase.label,
				...summarisePhase(samples, run, count),
			}));
			all[config.key] = results;
			texts.push(`${config.tag}:`, '', render(results, count), '');
		}
		return { results: all, text: texts.join('\n') };
	} finally {
		if (ctx) await teardown(ctx);
		if (!process.env.BENCH_KEEP) fs.rmSync(profDir, { recursive: true, force: true });
		else console.log(`kept ${profDir}`);
	}
}

function render(results, count) {
	const f = (x) => x.toFixed(2);
	const rows = results.map((r) => [
		r.label,
		f(r.wallP50),
		f(r.phaseMsPerRequest),
		f(r.busy),
		`${f(r.ours)} (${f(r.oursSelf)} in our code)`,
		f(r.n8n),
		f(r.gc),
		`${r.executions}${Object.keys(r.wrong).length ? `; unexpected statuses ${JSON.stringify(r.wrong)}` : ''}`,
	]);
	const tops = results.flatMap((r) => [
		`${r.key}, ours (ms per request, inclusive of what our code calls):`,
		...r.topOurs.map(([fn, n]) => `    ${((n * INTERVAL_US) / 1000 / count).toFixed(3)}  ${fn}`),
		`${r.key}, n8n's busiest functions (self time, ms per request):`,
		...r.topN8n.map(([fn, n]) => `    ${((n * INTERVAL_US) / 1000 / count).toFixed(3)}  ${fn}`),
	]);
	return [
		table(
			[
				`one request at a time, ${count} per row (n8n ${VERSIONS.n8n})`,
				'answer p50 ms',
				'phase ms/request (incl. its execution)',
				'CPU busy ms/request',
				'ours ms/request',
				"n8n's ms/request",
				'of which GC',
				'executions',
			],
			rows,
		),
		'',
		`Main-thread CPU samples every ${INTERVAL_US} µs (V8 --cpu-prof), per request; "ours" = a frame of this package on the stack. The phase time includes the execution each accepted request starts (run after the answer).`,
		'',
		...tops,
	].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	installBenchCleanup();
	try {
		const { text } = await profileBench();
		console.log(`\n${text}`);
	} catch (error) {
		if (!interrupted()) {
			console.error(error);
			process.exitCode = 1;
		}
	}
	if (!interrupted()) process.exit();
}

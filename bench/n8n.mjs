// Parts 3 and 4 of `npm run bench`, in one real n8n (the pinned version of scripts/n8n/versions.json,
// installed in .cache/ by the e2e harness), our package installed the way n8n installs a community
// package. Everything is on loopback and bounded: fixed durations, a timeout on every wait, every
// process ended at the end and on SIGINT.
//
// Part 3: ingest. Our Greenhouse Trigger alone (type version 2, and the same node saved as version
//   1) vs n8n's Webhook node alone (POST, answers on receipt), same body, same 10 connections, same
//   duration, alternated per round; then our trigger's duplicates (one Greenhouse-Event-ID), bad
//   signatures and filtered deliveries. Each under n8n's defaults, with lazy isolate acquisition and
//   with two isolates (CONFIGURATIONS), n8n restarted for each. Load: autocannon in this process;
//   latencies are taken per response (autocannon's own histogram rounds to whole ms). n8n's
//   execution_entity tells how many executions each run stored and started.
// Part 4: export. Webhook (answers when the last node is done) → Code (10,000 candidates) → our ATS
//   Webhook node vs Aggregate + HTTP Request, each sending ONE request to a receiver in this
//   process. Each measured run gets a fresh n8n process (restart), a 20-candidate warm-up of the
//   same workflow, then the 10,000: wall time is the webhook's answer time, memory is the RSS of
//   n8n's whole process group (main + task runner) read from /proc every 20 ms, minus the baseline
//   after the warm-up.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
	ROOT,
	VERSIONS,
	ensureRuntime,
	freePort,
	importCredentials,
	importWorkflows,
	installCleanup,
	installPackageInto,
	makeInstance,
	packPackage,
	publishWorkflows,
	sqlite,
	startN8n,
	stopN8n,
	tailFile,
	waitForWebhooks,
} from '../scripts/n8n/lib/runtime.mjs';
import {
	EXPORT,
	INGEST,
	SIGNING_CREDENTIAL,
	HEADER_AUTH_CREDENTIAL,
	HEADER_AUTH_NAME,
	exportPath,
	exportWorkflows,
	ingestPath,
	ingestWorkflows,
} from './n8n-workflows.mjs';
import { percentile, table } from './stats.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
	const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (!v.length) return NaN;
	return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const mib = (bytes) => bytes / 2 ** 20;

export const SECRET = `bench-greenhouse-${randomBytes(12).toString('hex')}`;
export const FIXTURE = path.join(ROOT, 'test/fixtures/greenhouse/candidate_stage_change.json');

export const DEFAULTS = {
	connections: 10,
	durationSec: 8,
	warmupSec: 3,
	ingestRounds: 2,
	exportRounds: 3,
	candidates: 10_000,
	diagnosticRounds: 1,
	diagnosticSec: 6,
	diagnosticWarmupSec: 2,
};

// ---------------------------------------------------------------------------------------------
// Setup and teardown
// ---------------------------------------------------------------------------------------------
let current = null; // what the SIGINT handler must end
let interruptedBy = null;

/** Set once SIGINT/SIGTERM/SIGHUP arrived: the run is being torn down, later errors are its echo. */
export const interrupted = () => interruptedBy;

export function installBenchCleanup() {
	installCleanup(async (signal) => {
		interruptedBy = signal;
		console.log(`\n${signal}: stopping n8n and every process the bench started`);
		if (current) await teardown(current);
	});
}

/** A loopback receiver: answers 200 at once, keeps each body for a check after the run. */
function startReceiver() {
	const received = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
			received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks) });
		});
	});
	server.keepAliveTimeout = 5000;
	return new Promise((resolve, reject) => {
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () =>
			resolve({ server, received, url: `http://127.0.0.1:${server.address().port}/candidates` }),
		);
	});
}

export async function setup({ log = console.log, extraEnv = {} } = {}) {
	const t0 = Date.now();
	const runtime = await ensureRuntime();
	const tarball = await packPackage();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'ats-bench-'));
	const ctx = { userFolder, instance: null, receiver: null, cannon: null };
	current = ctx;
	await installPackageInto(userFolder, tarball, runtime.node);
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	const port = await freePort();
	let brokerPort = await freePort();
	while (brokerPort === port) brokerPort = await freePort();
	// The defaults of n8n for execution saving and pruning apply to both sides alike (makeInstance
	// states save-on-success/error "all", which are n8n's defaults).
	ctx.instance = makeInstance({
		runtime,
		userFolder,
		port,
		brokerPort,
		encryptionKey: randomBytes(24).toString('hex'),
		extraEnv,
	});
	ctx.receiver = await startReceiver();

	await importCredentials(ctx.instance, [
		{ ...SIGNING_CREDENTIAL, data: { secret: SECRET, previousSecret: '' } },
		{ ...HEADER_AUTH_CREDENTIAL, data: { name: HEADER_AUTH_NAME, value: SECRET } },
	]);
	const workflows = [...ingestWorkflows(), ...exportWorkflows(ctx.receiver.url)];
	await importWorkflows(ctx.instance, workflows);
	await publishWorkflows(
		ctx.instance,
		workflows.map((w) => w.id),
	);
	await startN8n(ctx.instance);
	await waitForWebhooks(ctx.instance, allUrls(ctx));
	ctx.setupMs = Date.now() - t0;
	log(
		`n8n ${VERSIONS.n8n} (Node ${VERSIONS.node}) ready on ${ctx.instance.baseUrl} after ${(ctx.setupMs / 1000).toFixed(0)} s of setup (pack, install, import, publish, start)`,
	);
	return ctx;
}

const allUrls = (ctx) =>
	[
		ingestPath('ours'),
		ingestPath('oursV1'),
		ingestPath('filtered'),
		ingestPath('noDedup'),
		ingestPath('builtin'),
		ingestPath('builtinAuth'),
		exportPath('ours'),
		exportPath('builtin'),
	].map((p) => ctx.instance.baseUrl + p);

export async function teardown(ctx) {
	if (!ctx || ctx.closed) return;
	ctx.closed = true;
	try {
		ctx.cannon?.stop();
	} catch {
		/* already stopped */
	}
	if (ctx.instance) await stopN8n(ctx.instance, { graceMs: 10_000 }).catch(() => {});
	if (ctx.receiver) {
		ctx.receiver.server.closeAllConnections?.();
		await new Promise((resolve) => ctx.receiver.server.close(resolve));
	}
	if (ctx.userFolder && !process.env.BENCH_KEEP)
		fs.rmSync(ctx.userFolder, { recursive: true, force: true });
	else if (ctx.userFolder) console.log(`kept ${ctx.userFolder}`);
	if (current === ctx) current = null;
}

export async function restartN8n(ctx) {
	await stopN8n(ctx.instance, { graceMs: 10_000 });
	await startN8n(ctx.instance);
	await waitForWebhooks(ctx.instance, allUrls(ctx), { timeoutMs: 120_000 });
}

// ---------------------------------------------------------------------------------------------
// Executions recorded by n8n
// ---------------------------------------------------------------------------------------------
export async function maxExecutionId(instance) {
	const [row] = await sqlite(instance, 'select coalesce(max(id), 0) as m from execution_entity');
	return Number(row.m);
}

async function executionStats(instance, workflowId, afterId) {
	const [row] = await sqlite(
		instance,
		`select count(*) as n,
			coalesce(sum(case when status = 'success' then 1 else 0 end), 0) as ok,
			coalesce(sum(case when status in ('new', 'running', 'waiting') then 1 else 0 end), 0) as pending
		 from execution_entity where workflowId = ? and id > ?`,
		[workflowId, afterId],
	);
	return { n: Number(row.n), ok: Number(row.ok), pending: Number(row.pending) };
}

/**
 * Executions run after the answer, so wait until the count reaches `expected` and none is still
 * running, or the count stops moving (then a shortfall shows in the table). Bounded by timeoutMs.
 */
export async function settle(
	instance,
	workflowId,
	afterId,
	expected,
	{ timeoutMs = 120_000 } = {},
) {
	const started = Date.now();
	let last = null;
	let stableSince = Date.now();
	if (expected === 0) await sleep(1500); // would-be executions appear just after the answer
	for (;;) {
		const s = await executionStats(instance, workflowId, afterId);
		if (s.n >= expected && s.pending === 0) {
			await sleep(500);
			const again = await executionStats(instance, workflowId, afterId);
			return { ...again, waitedMs: Date.now() - started };
		}
		if (!last || last.n !== s.n || last.pending !== s.pending) stableSince = Date.now();
		last = s;
		if (Date.now() - stableSince > 15_000 || Date.now() - started > timeoutMs)
			return { ...s, waitedMs: Date.now() - started, timedOut: true };
		await sleep(400);
	}
}

// ---------------------------------------------------------------------------------------------
// Part 3
// ---------------------------------------------------------------------------------------------
export const greenhouseSignature = (raw, secret) =>
	`sha256 ${createHmac('sha256', secret).update(raw).digest('hex')}`;

/** One autocannon run; every response's latency (ms, fractional) is collected here. */
export function loadRun(ctx, { path: urlPath, headers, body, eventIds, connections, durationSec }) {
	const latencies = [];
	const statuses = {};
	const prefix = randomUUID();
	let n = 0;
	const request = { method: 'POST', path: urlPath, headers, body };
	// Greenhouse signs the body only, so one signature is valid for every id: only the header changes.
	if (eventIds === 'unique')
		request.setupRequest = (req) => ({
			...req,
			headers: { ...req.headers, 'greenhouse-event-id': `${prefix}-${n++}` },
		});
	return new Promise((resolve, reject) => {
		const started = process.hrtime.bigint();
		const instance = autocannon(
			{
				url: ctx.instance.baseUrl,
				connections,
				duration: durationSec,
				timeout: 30,
				requests: [request],
			},
			(error, result) => {
				ctx.cannon = null;
				if (error) return reject(error);
				const seconds = Number(process.hrtime.bigint() - started) / 1e9;
				const sorted = Float64Array.from(latencies).sort();
				resolve({
					responses: latencies.length,
					rate: latencies.length / seconds,
					p50: percentile(sorted, 50),
					p99: percentile(sorted, 99),
					statuses,
					errors: result.errors,
					timeouts: result.timeouts,
					seconds,
				});
			},
		);
		ctx.cannon = instance;
		instance.on('response', (_client, statusCode, _bytes, responseTime) => {
			latencies.push(responseTime);
			statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
		});
	});
}

async function postOnce(ctx, urlPath, headers, body) {
	const res = await fetch(ctx.instance.baseUrl + urlPath, {
		method: 'POST',
		headers,
		body,
		signal: AbortSignal.timeout(30_000),
	});
	return { status: res.status, text: await res.text() };
}

const SCENARIOS = [
	{
		key: 'accepted',
		label: 'Greenhouse Trigger: accepted (new event id, valid signature)',
		wf: INGEST.ours.id,
		path: ingestPath('ours'),
		sign: 'good',
		eventIds: 'unique',
		expectStatus: 200,
		startsExecutions: true,
	},
	{
		key: 'acceptedV1',
		label: 'the same, node saved as type version 1',
		wf: INGEST.oursV1.id,
		path: ingestPath('oursV1'),
		sign: 'good',
		eventIds: 'unique',
		expectStatus: 200,
		startsExecutions: true,
	},
	{
		key: 'noDedup',
		label: 'the same with Deduplicate Deliveries off (no dedup bookkeeping)',
		wf: INGEST.noDedup.id,
		path: ingestPath('noDedup'),
		sign: 'good',
		eventIds: 'unique',
		expectStatus: 200,
		startsExecutions: true,
	},
	{
		key: 'builtin',
		label: "n8n's Webhook node (POST, respond on receipt), same body and headers",
		wf: INGEST.builtin.id,
		path: ingestPath('builtin'),
		sign: 'good',
		eventIds: 'unique',
		expectStatus: 200,
		startsExecutions: true,
	},
	{
		key: 'builtinAuth',
		label: "n8n's Webhook node with Header Auth (a secret checked, like ours)",
		wf: INGEST.builtinAuth.id,
		path: ingestPath('builtinAuth'),
		sign: 'good',
		eventIds: 'unique',
		expectStatus: 200,
		startsExecutions: true,
	},
	{
		key: 'duplicate',
		label: 'Greenhouse Trigger: duplicate (one Greenhouse-Event-ID for all)',
		wf: INGEST.ours.id,
		path: ingestPath('ours'),
		sign: 'good',
		eventIds: 'fixed',
		expectStatus: 200,
		startsExecutions: false,
	},
	{
		key: 'badsig',
		label: 'Greenhouse Trigger: bad signature (wrong secret)',
		wf: INGEST.ours.id,
		path: ingestPath('ours'),
		sign: 'bad',
		eventIds: 'unique',
		expectStatus: 401,
		startsExecutions: false,
	},
	{
		key: 'filtered',
		label: 'Greenhouse Trigger: filtered (Events = hire_candidate, a stage change)',
		wf: INGEST.filtered.id,
		path: ingestPath('filtered'),
		sign: 'good',
		eventIds: 'unique',
		expectStatus: 200,
		startsExecutions: false,
	},
];

/** Deliveries that start nothing: the rows read against the accepted rate. */
const CHEAP = ['duplicate', 'badsig', 'filtered'];

/**
 * The n8n settings part 3 runs under, each in a freshly restarted n8n. n8n 2.41's expression
 * engine ('vm', isolated-vm) by default takes an isolate for the whole webhook phase of every start
 * node that is not its own Webhook node (live-webhooks.ts webhookPhaseNeedsIsolate), one isolate
 * per process; LAZY_ACQUIRE takes one only when an expression is evaluated (docs/performance.md).
 */
export const CONFIGURATIONS = [
	{ key: 'defaults', tag: "n8n's defaults", env: {} },
	{
		key: 'lazy',
		tag: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	},
	{
		key: 'pool2',
		tag: 'N8N_EXPRESSION_ENGINE_POOL_SIZE=2',
		env: { N8N_EXPRESSION_ENGINE_POOL_SIZE: '2' },
		diagnostic: true,
	},
];
const CONFIG_ENV = [
	...new Set(CONFIGURATIONS.flatMap((c) => Object.keys(c.env))),
	'N8N_EXPRESSION_ENGINE',
];

/** Restart n8n with one configuration's settings (and none of another's). */
async function configure(ctx, env) {
	for (const name of CONFIG_ENV) delete ctx.instance.env[name];
	Object.assign(ctx.instance.env, env);
	await restartN8n(ctx);
}

async function executionCount(instance, workflowId, afterId) {
	const [row] = await sqlite(
		instance,
		'select count(*) as n from execution_entity where workflowId = ? and id > ?',
		[workflowId, afterId],
	);
	return Number(row.n);
}

/**
 * Rounds of every scenario in turn, after a warm-up of the accepting sides. Returns per-scenario
 * runs and medians over the rounds. Stored/s: executions n8n recorded by the end of the load,
 * per second of load (both our trigger and the Webhook node answer once the execution exists).
 */
async function ingestRounds(
	ctx,
	{ rounds, durationSec, warmupSec, connections, tag, log, anomalies },
) {
	const raw = fs.readFileSync(FIXTURE);
	// The Header Auth token rides on every request; only the Webhook node with Header Auth reads it.
	const base = {
		'content-type': 'application/json',
		'user-agent': 'Greenhouse',
		[HEADER_AUTH_NAME]: SECRET,
	};
	const signatures = {
		good: greenhouseSignature(raw, SECRET),
		bad: greenhouseSignature(raw, 'not the secret key'),
	};

	for (const s of SCENARIOS.filter((x) => x.startsExecutions)) {
		const before = await maxExecutionId(ctx.instance);
		const r = await loadRun(ctx, {
			path: s.path,
			headers: { ...base, signature: signatures.good },
			body: raw,
			eventIds: 'unique',
			connections,
			durationSec: warmupSec,
		});
		await settle(ctx.instance, s.wf, before, r.statuses[200] ?? 0);
	}

	const runs = Object.fromEntries(SCENARIOS.map((s) => [s.key, []]));
	for (let round = 0; round < rounds; round++) {
		for (const s of SCENARIOS) {
			let headers = { ...base, signature: signatures[s.sign] };
			if (s.eventIds === 'fixed') {
				// The first delivery of this id is accepted (one execution); every later one is a duplicate.
				headers = { ...headers, 'greenhouse-event-id': `bench-dup-${randomUUID()}` };
				const before = await maxExecutionId(ctx.instance);
				const first = await postOnce(ctx, s.path, headers, raw);
				const again = await postOnce(ctx, s.path, headers, raw);
				if (first.status !== 200 || !/"duplicate"/.test(again.text))
					anomalies.push(
						`${tag} duplicate set-up: first ${first.status} ${first.text.slice(0, 80)}, second ${again.status} ${again.text.slice(0, 80)}`,
					);
				const ex = await settle(ctx.instance, s.wf, before, 1);
				if (ex.n !== 1)
					anomalies.push(
						`${tag} duplicate set-up: ${ex.n} executions for one delivery and its retry (expected 1)`,
					);
			}
			const before = await maxExecutionId(ctx.instance);
			const r = await loadRun(ctx, {
				path: s.path,
				headers,
				body: raw,
				eventIds: s.eventIds,
				connections,
				durationSec,
			});
			r.stored = (await executionCount(ctx.instance, s.wf, before)) / r.seconds;
			const answered = r.statuses[s.expectStatus] ?? 0;
			// Requests still in flight when the load stops may have started an execution without their
			// answer being counted: at most one per connection.
			const ex = await settle(ctx.instance, s.wf, before, s.startsExecutions ? answered : 0);
			Object.assign(r, { executions: ex.n, executionsOk: ex.ok, settleMs: ex.waitedMs });
			const wrong = Object.keys(r.statuses).filter((code) => Number(code) !== s.expectStatus);
			if (wrong.length || r.errors || r.timeouts)
				anomalies.push(
					`${tag} ${s.key} round ${round + 1}: statuses ${JSON.stringify(r.statuses)}, ${r.errors} socket errors, ${r.timeouts} timeouts`,
				);
			const okCount = s.startsExecutions
				? ex.n >= answered && ex.n <= answered + connections
				: ex.n === 0;
			if (!okCount || ex.ok !== ex.n)
				anomalies.push(
					`${tag} ${s.key} round ${round + 1}: ${ex.n} executions (${ex.ok} successful) for ${answered} answered${ex.timedOut ? '; the count did not settle' : ''}`,
				);
			runs[s.key].push(r);
			log(
				`  ${tag} round ${round + 1} ${s.key.padEnd(10)} ${f1(r.rate)} answers/s, ${f1(r.stored)} stored/s, p50 ${f1(r.p50)} ms, p99 ${f1(r.p99)} ms, ${JSON.stringify(r.statuses)} → ${ex.n} executions (settled in ${(ex.waitedMs / 1000).toFixed(1)} s)`,
			);
		}
	}
	const m = {};
	for (const s of SCENARIOS) {
		const rs = runs[s.key];
		m[s.key] = {
			rate: median(rs.map((r) => r.rate)),
			stored: median(rs.map((r) => r.stored)),
			p50: median(rs.map((r) => r.p50)),
			p99: median(rs.map((r) => r.p99)),
			answered: rs.reduce((a, r) => a + r.responses, 0),
			executions: rs.reduce((a, r) => a + r.executions, 0),
			rounds: rs.map((r) => r.rate),
		};
	}
	const ratios = {
		storedVsBuiltin: m.accepted.stored / m.builtin.stored,
		storedVsBuiltinAuth: m.accepted.stored / m.builtinAuth.stored,
		throughputVsBuiltin: m.accepted.rate / m.builtin.rate,
		p50VsBuiltin: m.accepted.p50 / m.builtin.p50,
		v1Stored: m.acceptedV1.stored / m.accepted.stored,
		noDedupStored: m.noDedup.stored / m.accepted.stored,
	};
	for (const key of CHEAP) {
		ratios[`${key}Rate`] = m[key].rate / m.accepted.rate;
		ratios[`${key}P50`] = m.accepted.p50 / m[key].p50;
	}
	return { runs, medians: m, ratios };
}

function ingestTable({ medians: m, ratios }, { withRounds = true } = {}) {
	const cheapCell = (key) =>
		`${f2(ratios[`${key}Rate`])}x accepted answers/s; p50 ${f2(ratios[`${key}P50`])}x shorter`;
	const ratioCell = {
		accepted: `${f2(ratios.storedVsBuiltin)}x built-in stored/s; p50 ${f2(ratios.p50VsBuiltin)}x built-in`,
		acceptedV1: `${f2(ratios.v1Stored)}x version 2's stored/s`,
		noDedup: `${f2(ratios.noDedupStored)}x the stored/s with dedup on`,
		builtin: 'reference',
		builtinAuth: `ours: ${f2(ratios.storedVsBuiltinAuth)}x its stored/s`,
		duplicate: cheapCell('duplicate'),
		badsig: cheapCell('badsig'),
		filtered: cheapCell('filtered'),
	};
	const rows = SCENARIOS.map((s) => [
		s.label,
		f1(m[s.key].rate),
		s.startsExecutions ? f1(m[s.key].stored) : '-',
		...(withRounds ? [m[s.key].rounds.map((x) => x.toFixed(1)).join(' / ')] : []),
		f1(m[s.key].p50),
		f1(m[s.key].p99),
		`${m[s.key].answered} → ${m[s.key].executions}`,
		ratioCell[s.key],
	]);
	return table(
		[
			'POST, same 4.7 KB Greenhouse body, 10 connections',
			'answers/s',
			'stored/s',
			...(withRounds ? ['answers/s per round'] : []),
			'p50 ms',
			'p99 ms',
			'answered → executions',
			'ratio',
		],
		rows,
	);
}

/** The dedup rings in a workflow's static data: how many keys each holds. */
function ringSizes(staticData) {
	const sizes = [];
	const walk = (v) => {
		if (!v || typeof v !== 'object') return;
		if (v.atsDedup && Array.isArray(v.atsDedup.keys)) sizes.push(v.atsDedup.keys.length);
		for (const child of Object.values(v)) walk(child);
	};
	walk(typeof staticData === 'string' ? JSON.parse(staticData) : staticData);
	return sizes;
}

/** Part 3: every configuration in turn (n8n restarted for each), then n8n back at its defaults. */
export async function ingestBench(ctx, opts = {}) {
	const o = { ...DEFAULTS, ...opts };
	const log = opts.log ?? console.log;
	const anomalies = [];
	const logStart = fs.existsSync(ctx.instance.logFile) ? fs.statSync(ctx.instance.logFile).size : 0;

	const byConfig = {};
	try {
		for (const config of CONFIGURATIONS) {
			await configure(ctx, config.env);
			byConfig[config.key] = await ingestRounds(ctx, {
				rounds: config.diagnostic ? o.diagnosticRounds : o.ingestRounds,
				durationSec: config.diagnostic ? o.diagnosticSec : o.durationSec,
				warmupSec: config.diagnostic ? o.diagnosticWarmupSec : o.warmupSec,
				connections: o.connections,
				tag: config.key,
				log,
				anomalies,
			});
		}
	} finally {
		await configure(ctx, {});
	}

	// What our trigger stored: the dedup ring (bounded by the window) against the events it accepted.
	const [{ staticData } = {}] = await sqlite(
		ctx.instance,
		'select staticData from workflow_entity where id = ?',
		[INGEST.ours.id],
	);
	const staticBytes = staticData
		? Buffer.byteLength(typeof staticData === 'string' ? staticData : JSON.stringify(staticData))
		: 0;
	const ring = staticData ? ringSizes(staticData) : [];
	const [{ n: acceptedEvents } = {}] = await sqlite(
		ctx.instance,
		'select count(*) as n from execution_entity where workflowId = ?',
		[INGEST.ours.id],
	);
	if (ring.length && ring[0] < Math.min(1000, acceptedEvents)) {
		anomalies.push(
			`the dedup ring in static data holds ${ring[0]} keys after ${acceptedEvents} accepted events (window 1,000): after a restart only those ${ring[0]} ids would still be recognised as duplicates`,
		);
	}
	const log3 = fs.readFileSync(ctx.instance.logFile, 'utf8').slice(logStart);
	const errorLines = log3
		.split('\n')
		.filter(
			(l) => /error/i.test(l) && !/ENOTFOUND|EAI_AGAIN|api\.n8n\.io|getaddrinfo|^\s+at /.test(l),
		);
	const errorKinds = {};
	for (const l of errorLines) {
		const kind = l
			.replace(INGEST.ours.webhookId, '<Greenhouse Trigger>')
			.replace(INGEST.builtin.webhookId, '<Webhook node>')
			.replace(/\d+/g, 'N')
			.slice(0, 160);
		errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
	}

	const summary = table(
		[
			'configuration (n8n restarted for each)',
			'accepted stored/s vs Webhook node',
			'vs Webhook node with Header Auth',
			'duplicates',
			'bad signatures',
			'filtered',
			'type version 1 vs 2 (stored/s)',
		],
		CONFIGURATIONS.map((c) => {
			const r = byConfig[c.key].ratios;
			return [
				c.tag,
				`${f2(r.storedVsBuiltin)}x`,
				`${f2(r.storedVsBuiltinAuth)}x`,
				`${f2(r.duplicateRate)}x accepted`,
				`${f2(r.badsigRate)}x accepted`,
				`${f2(r.filteredRate)}x accepted`,
				`${f2(r.v1Stored)}x`,
			];
		}),
	);
	const text = [
		...CONFIGURATIONS.flatMap((c) => {
			const rounds = c.diagnostic ? o.diagnosticRounds : o.ingestRounds;
			const secs = c.diagnostic ? o.diagnosticSec : o.durationSec;
			return [
				`${c.tag}: ${rounds} round${rounds > 1 ? 's' : ''} of ${secs} s per row, medians`,
				'',
				ingestTable(byConfig[c.key], { withRounds: rounds > 1 }),
				'',
			];
		}),
		'Side by side (ratios of the same run):',
		'',
		summary,
		'',
		`${o.connections} connections (autocannon in the bench process), rows alternated in each round, after ${o.warmupSec} s of warm-up per accepting side; latencies per response. n8n ${VERSIONS.n8n} (SQLite, regular mode, executions saved). Stored/s: executions n8n recorded by the end of the load, per second of load.`,
		`Our trigger's static data after the run: ${staticBytes.toLocaleString('en')} B; dedup ring: ${ring.join(', ') || 'none'} key(s) after ${Number(acceptedEvents).toLocaleString('en')} accepted events (each one execution; window 1,000).`,
		`n8n log lines with "error" during part 3: ${errorLines.length}${
			errorLines.length
				? ` (${Object.entries(errorKinds)
						.map(([k, n]) => `${n} × ${k}`)
						.join('; ')})`
				: ''
		}.`,
		...(anomalies.length
			? ['Anomalies:', ...anomalies.map((a) => `  - ${a}`)]
			: [
					'Every response had the expected status; executions matched the accepted answers, all successful; duplicates, bad signatures and filtered deliveries started none.',
				]),
	].join('\n');
	return {
		text,
		byConfig,
		medians: byConfig.defaults.medians,
		ratios: byConfig.defaults.ratios,
		anomalies,
		staticBytes,
		ring,
		errorKinds,
	};
}

// ---------------------------------------------------------------------------------------------
// Part 4
// ---------------------------------------------------------------------------------------------
const PAGE = (() => {
	const r = spawnSync('getconf', ['PAGESIZE'], { encoding: 'utf8' });
	return Number(r.stdout) > 0 ? Number(r.stdout) : 4096;
})();

function groupPids(pgid) {
	const pids = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
			if (Number(fields[2]) === pgid) pids.push(entry);
		} catch {
			/* exited */
		}
	}
	return pids;
}

function groupRss(pids) {
	let total = 0;
	for (const pid of pids) {
		try {
			total += Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE;
		} catch {
			/* exited */
		}
	}
	return total;
}

/** Samples the RSS of n8n's process group every `everyMs` until stopped; the member list is refreshed every 200 ms. */
function rssSampler(pgid, everyMs = 20) {
	let pids = groupPids(pgid);
	let lastScan = Date.now();
	const samples = [];
	const timer = setInterval(() => {
		if (Date.now() - lastScan > 200) {
			pids = groupPids(pgid);
			lastScan = Date.now();
		}
		samples.push(groupRss(pids));
	}, everyMs);
	samples.push(groupRss(pids));
	return {
		stop() {
			clearInterval(timer);
			samples.push(groupRss(groupPids(pgid)));
			return {
				peak: Math.max(...samples),
				median: median(samples),
				count: samples.length,
				processes: pids.length,
			};
		},
	};
}

async function exportRun(ctx, key, n) {
	const started = process.hrtime.bigint();
	const res = await fetch(`${ctx.instance.baseUrl}${exportPath(key)}?n=${n}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
		signal: AbortSignal.timeout(180_000),
	});
	await res.arrayBuffer();
	return { status: res.status, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

function countCandidates(body) {
	const parsed = JSON.parse(body.toString('utf8'));
	if (Array.isArray(parsed)) return parsed.length;
	return Array.isArray(parsed?.candidates) ? parsed.candidates.length : -1;
}

export async function exportBench(ctx, opts = {}) {
	const { exportRounds: rounds, candidates } = { ...DEFAULTS, ...opts };
	const log = opts.log ?? console.log;
	const anomalies = [];
	const runs = { ours: [], builtin: [] };
	const labels = {
		ours: 'Code → ATS Webhook (Export Candidates, one signed request)',
		builtin: 'Code → Aggregate → HTTP Request (POST JSON body)',
	};
	for (let round = 0; round < rounds; round++) {
		for (const key of round % 2 === 0 ? ['ours', 'builtin'] : ['builtin', 'ours']) {
			await restartN8n(ctx);
			const wfId = EXPORT[key].id;
			const before = await maxExecutionId(ctx.instance);
			// Warm-up in this process: the same workflow with 20 candidates (loads the nodes, starts the task runner).
			const warm = await exportRun(ctx, key, 20);
			if (warm.status !== 200) anomalies.push(`${key} warm-up answered ${warm.status}`);
			await sleep(1500);
			const pgid = ctx.instance.child.pid;
			const idle = rssSampler(pgid);
			await sleep(1000);
			const baseline = idle.stop().median;
			ctx.receiver.received.length = 0;
			const sampler = rssSampler(pgid);
			const r = await exportRun(ctx, key, candidates);
			const mem = sampler.stop();
			const ex = await settle(ctx.instance, wfId, before, 2, { timeoutMs: 60_000 });
			const got = ctx.receiver.received.map((x) => ({
				bytes: x.body.length,
				candidates: countCandidates(x.body),
				signed: Boolean(x.headers['webhook-signature']),
			}));
			ctx.receiver.received.length = 0;
			const run = {
				ms: r.ms,
				status: r.status,
				baseline,
				peak: mem.peak,
				delta: mem.peak - baseline,
				samples: mem.count,
				processes: mem.processes,
				requests: got.length,
				candidates: got.reduce((a, g) => a + g.candidates, 0),
				bytes: got.reduce((a, g) => a + g.bytes, 0),
				signed: got.every((g) => g.signed),
				executions: ex,
			};
			if (r.status !== 200)
				anomalies.push(`${key} round ${round + 1}: the webhook answered ${r.status}`);
			if (got.length !== 1 || run.candidates !== candidates)
				anomalies.push(
					`${key} round ${round + 1}: the receiver got ${got.length} request(s) with ${run.candidates} candidates (expected 1 with ${candidates})`,
				);
			if (ex.n !== 2 || ex.ok !== 2)
				anomalies.push(
					`${key} round ${round + 1}: ${ex.n} executions, ${ex.ok} successful (expected 2: warm-up and run)`,
				);
			runs[key].push(run);
			log(
				`  round ${round + 1} ${key.padEnd(7)} ${r.ms.toFixed(0)} ms, peak ${mib(mem.peak).toFixed(0)} MiB (baseline ${mib(baseline).toFixed(0)}, +${mib(run.delta).toFixed(0)} MiB, ${mem.count} samples over ${mem.processes} processes), receiver: ${got.length} request, ${run.candidates} candidates, ${(run.bytes / 2 ** 20).toFixed(2)} MiB`,
			);
		}
	}
	const m = {};
	for (const key of ['ours', 'builtin']) {
		const rs = runs[key];
		m[key] = {
			ms: median(rs.map((r) => r.ms)),
			delta: median(rs.map((r) => r.delta)),
			peak: median(rs.map((r) => r.peak)),
			baseline: median(rs.map((r) => r.baseline)),
			bytes: median(rs.map((r) => r.bytes)),
			perRound: rs.map((r) => `${r.ms.toFixed(0)} ms / +${mib(r.delta).toFixed(0)} MiB`),
			checked: rs.every((r) => r.requests === 1 && r.candidates === candidates),
		};
	}
	const ratios = { time: m.ours.ms / m.builtin.ms, memory: m.ours.delta / m.builtin.delta };
	const rows = ['ours', 'builtin'].map((key) => [
		labels[key],
		m[key].ms.toFixed(0),
		f1(mib(m[key].delta)),
		`${f1(mib(m[key].peak))} (${f1(mib(m[key].baseline))})`,
		m[key].perRound.join('; '),
		`${m[key].checked ? `1 × ${candidates.toLocaleString('en')}` : 'NOT 1 request of all'}, ${(m[key].bytes / 2 ** 20).toFixed(2)} MiB`,
		key === 'ours'
			? `time ${f2(ratios.time)}x, memory ${f2(ratios.memory)}x the built-in pair`
			: '1 (reference)',
	]);
	const text = [
		table(
			[
				'export of 10,000 candidates, one request to a loopback receiver',
				'wall ms (median)',
				'peak RSS above baseline MiB',
				'peak RSS MiB (baseline)',
				'per run: wall / memory',
				'receiver got',
				'ratio',
			],
			rows,
		),
		'',
		`${rounds} runs per side, alternated, each in a freshly started n8n after a 20-candidate warm-up of the same workflow. Wall: POST to the workflow's Webhook (answers when the last node is done) until its answer. Memory: RSS summed over n8n's process group (main + JS task runner) from /proc every 20 ms during the run, minus the median RSS of the second before it.`,
		...(anomalies.length
			? ['Anomalies:', ...anomalies.map((a) => `  - ${a}`)]
			: [
					'Every run: HTTP 200, 2 successful executions (warm-up + run), the receiver got exactly one request with all candidates.',
				]),
	].join('\n');
	return { text, medians: m, ratios, anomalies, runs };
}

// `node bench/n8n.mjs`: parts 3 and 4 alone (after `npm run build`). BENCH_DURATION, BENCH_ROUNDS,
// BENCH_EXPORT_ROUNDS and BENCH_PARTS=3|4 shorten a run while working on it.
if (import.meta.url === `file://${process.argv[1]}`) {
	installBenchCleanup();
	const opts = {};
	if (process.env.BENCH_DURATION) opts.durationSec = Number(process.env.BENCH_DURATION);
	if (process.env.BENCH_WARMUP) opts.warmupSec = Number(process.env.BENCH_WARMUP);
	if (process.env.BENCH_ROUNDS) opts.ingestRounds = Number(process.env.BENCH_ROUNDS);
	if (process.env.BENCH_EXPORT_ROUNDS) opts.exportRounds = Number(process.env.BENCH_EXPORT_ROUNDS);
	const parts = (process.env.BENCH_PARTS ?? '3,4').split(',');
	let ctx;
	try {
		ctx = await setup();
		if (parts.includes('3')) console.log(`\nPart 3\n\n${(await ingestBench(ctx, opts)).text}`);
		if (parts.includes('4')) console.log(`\nPart 4\n\n${(await exportBench(ctx, opts)).text}`);
	} catch (error) {
		if (!interrupted()) {
			console.error(error);
			process.exitCode = 1;
		}
	} finally {
		await teardown(ctx);
	}
	if (!interrupted()) process.exit();
}

// Part 3b of `npm run bench`: what durable acknowledgement costs (docs/durability.md).
//
// Since the durable-acknowledgement change, an accepted delivery gets its 2xx only after n8n has
// stored the execution; before it, the node answered itself before anything was stored. This part
// measures both in one run, side by side: the current package in the bench's n8n, and the package
// built from the last commit before the change (BENCH_BASELINE_REF) in a second n8n of the same
// version on the same machine. Rounds alternate between the two (and n8n's Webhook node, in the
// current instance, as the reference). Per row: answers/s, stored executions/s (executions n8n
// recorded during the load, per second of load), p50/p99 answer latency.
// Skipped (with a line saying why) outside a git checkout or when the ref is missing.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	ROOT,
	freePort,
	importCredentials,
	importWorkflows,
	installPackageInto,
	makeInstance,
	publishWorkflows,
	startN8n,
	stopN8n,
	waitForWebhooks,
} from '../scripts/n8n/lib/runtime.mjs';
import { INGEST, SIGNING_CREDENTIAL, ingestPath, ingestWorkflows } from './n8n-workflows.mjs';
import { table } from './stats.mjs';

/** The last commit whose triggers answered accepted deliveries themselves, before storing. */
export const DEFAULT_BASELINE_REF = 'ba53256';

const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const median = (values) => {
	const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (!v.length) return NaN;
	return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

function sh(cmd, args, options = {}) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, ...options });
	if (r.status !== 0)
		throw new Error(
			`${cmd} ${args.join(' ')} failed: ${(r.stderr || r.stdout || '').slice(0, 500)}`,
		);
	return r.stdout;
}

/**
 * The package at `ref`, packed: its sources from git, compiled with this checkout's TypeScript and
 * types (node_modules linked), icons and codex files copied as its build did. Returns the tarball.
 */
export function baselineTarball(ref) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ats-baseline-'));
	const archive = spawnSync('git', ['-C', ROOT, 'archive', '--format=tar', ref], {
		maxBuffer: 256 * 2 ** 20,
	});
	if (archive.status !== 0)
		throw new Error(`git archive ${ref}: ${archive.stderr.toString().slice(0, 300)}`);
	sh('tar', ['-x', '-C', dir], { input: archive.stdout });
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	sh(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: dir });
	for (const top of ['nodes', 'credentials']) {
		for (const file of fs.readdirSync(path.join(dir, top), { recursive: true })) {
			if (!/\.(svg|png|json)$/.test(file)) continue;
			const to = path.join(dir, 'dist', top, file);
			fs.mkdirSync(path.dirname(to), { recursive: true });
			fs.copyFileSync(path.join(dir, top, file), to);
		}
	}
	fs.rmSync(path.join(dir, 'node_modules'));
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ats-baseline-pack-'));
	const info = JSON.parse(
		sh('npm', ['pack', '--json', '--pack-destination', out, '--loglevel=error'], { cwd: dir }),
	);
	fs.rmSync(dir, { recursive: true, force: true });
	return path.join(out, info[0].filename);
}

async function measure(sides, tools, { rounds, durationSec, connections, log, tag }) {
	const runs = Object.fromEntries(sides.map((s) => [s.key, []]));
	for (const s of sides)
		await tools.loadRun(s.ctx, {
			path: s.path,
			headers: tools.headers,
			body: tools.body,
			eventIds: 'unique',
			connections,
			durationSec: 2,
		});
	for (let round = 0; round < rounds; round++) {
		for (const s of sides) {
			const before = await tools.maxExecutionId(s.ctx.instance);
			const r = await tools.loadRun(s.ctx, {
				path: s.path,
				headers: tools.headers,
				body: tools.body,
				eventIds: 'unique',
				connections,
				durationSec,
			});
			// Executions n8n recorded while the load ran, counted once it settled.
			const ex = await tools.settle(s.ctx.instance, s.wf, before, r.statuses[200] ?? 0);
			runs[s.key].push({
				...r,
				stored: ex.n / r.seconds,
				executions: ex.n,
				answered: r.statuses[200] ?? 0,
			});
			log(
				`  ${tag.split(' (')[0]} round ${round + 1} ${s.key.padEnd(8)} ${f1(r.rate)} answers/s, ${f1(ex.n / r.seconds)} stored/s, p50 ${f1(r.p50)} ms, p99 ${f1(r.p99)} ms`,
			);
		}
	}
	return Object.fromEntries(
		sides.map((s) => [
			s.key,
			{
				rate: median(runs[s.key].map((r) => r.rate)),
				stored: median(runs[s.key].map((r) => r.stored)),
				p50: median(runs[s.key].map((r) => r.p50)),
				p99: median(runs[s.key].map((r) => r.p99)),
				answered: runs[s.key].reduce((a, r) => a + r.answered, 0),
				executions: runs[s.key].reduce((a, r) => a + r.executions, 0),
			},
		]),
	);
}

function resultTable(sides, m) {
	const rows = sides.map((s) => [
		s.label,
		f1(m[s.key].rate),
		f1(m[s.key].stored),
		f1(m[s.key].p50),
		f1(m[s.key].p99),
		`${m[s.key].answered} → ${m[s.key].executions}`,
		s.key === 'durable'
			? 'this package'
			: `durable: ${f2(m.durable.stored / m[s.key].stored)}x stored/s, p50 ${f2(m.durable.p50 / m[s.key].p50)}x`,
	]);
	return table(
		[
			'accepted deliveries, same 4.7 KB Greenhouse body, 10 connections',
			'answers/s',
			'stored/s',
			'p50 ms',
			'p99 ms',
			'answered → executions',
			'ratio',
		],
		rows,
	);
}

/** Stop and start an instance so it runs with its current env; wait for both part-3 webhooks. */
async function restart(instance) {
	await stopN8n(instance, { graceMs: 10_000 });
	await startN8n(instance);
	const key = instance.baseline ? 'ours' : 'oursV1';
	await waitForWebhooks(instance, [
		instance.baseUrl + ingestPath(key),
		instance.baseUrl + ingestPath('builtin'),
	]);
}

/** A second n8n with the baseline package and the part-3 workflows. */
async function baselineInstance(ctx, tarball, secret) {
	const runtime = ctx.instance.runtime;
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'ats-bench-baseline-'));
	await installPackageInto(userFolder, tarball, runtime.node);
	const port = await freePort();
	let brokerPort = await freePort();
	while (brokerPort === port || brokerPort === ctx.instance.brokerPort)
		brokerPort = await freePort();
	const instance = makeInstance({
		runtime,
		userFolder,
		port,
		brokerPort,
		encryptionKey: randomBytes(24).toString('hex'),
	});
	instance.baseline = true;
	await importCredentials(instance, [
		{ ...SIGNING_CREDENTIAL, data: { secret, previousSecret: '' } },
	]);
	const workflows = ingestWorkflows({ baseline: true });
	await importWorkflows(instance, workflows);
	await publishWorkflows(
		instance,
		workflows.map((w) => w.id),
	);
	await startN8n(instance);
	await waitForWebhooks(instance, [instance.baseUrl + ingestPath('ours')]);
	return { instance, userFolder };
}

/**
 * `tools` are part 3's helpers (loadRun, settle, maxExecutionId, headers) so both parts load n8n
 * the same way. Returns { text, rows } or { text } when skipped.
 */
export async function durabilityBench(
	ctx,
	tools,
	{
		rounds = 3,
		durationSec = 8,
		connections = 10,
		ref = process.env.BENCH_BASELINE_REF ?? DEFAULT_BASELINE_REF,
		log = console.log,
	} = {},
) {
	const inGit = spawnSync('git', ['-C', ROOT, 'cat-file', '-e', `${ref}^{commit}`]).status === 0;
	if (!inGit)
		return {
			text: `Skipped: ${ref} is not a commit of this checkout (set BENCH_BASELINE_REF to the commit before durable acknowledgement).`,
		};
	let baseline;
	try {
		log(`  building the package at ${ref} (answers before storing) for a second n8n`);
		const tarball = baselineTarball(ref);
		baseline = await baselineInstance(ctx, tarball, tools.secret);
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
		const main = { instance: ctx.instance };
		const sides = [
			{
				key: 'durable',
				// Type version 1 on both sides: the baseline package has no version 2 (part 3 compares them).
				label: 'Greenhouse Trigger v1, durable (2xx after n8n stored the execution)',
				ctx: main,
				wf: INGEST.oursV1.id,
				path: ingestPath('oursV1'),
			},
			{
				key: 'early',
				label: `Greenhouse Trigger v1 at ${ref} (2xx before anything is stored)`,
				ctx: { instance: baseline.instance },
				wf: INGEST.ours.id,
				path: ingestPath('ours'),
			},
			{
				key: 'builtin',
				label: "n8n's Webhook node (respond on receipt), reference",
				ctx: main,
				wf: INGEST.builtin.id,
				path: ingestPath('builtin'),
			},
		];
		// Both n8n processes restarted with the same settings before each configuration, so neither
		// carries a setting an earlier part left behind.
		const configurations = [
			{ tag: "n8n's defaults (expression engine 'vm', one isolate per process)", env: {}, rounds },
			{
				tag: 'N8N_EXPRESSION_ENGINE=legacy (no isolate: what the answer timing costs by itself)',
				env: { N8N_EXPRESSION_ENGINE: 'legacy' },
				rounds: 1,
			},
		];
		const texts = [];
		let defaults;
		for (const config of configurations) {
			for (const instance of [ctx.instance, baseline.instance]) {
				delete instance.env.N8N_EXPRESSION_ENGINE;
				Object.assign(instance.env, config.env);
				await restart(instance);
			}
			const m = await measure(sides, tools, {
				rounds: config.rounds,
				durationSec,
				connections,
				log,
				tag: config.tag,
			});
			defaults ??= m;
			texts.push(
				`${config.tag}, ${config.rounds} round${config.rounds > 1 ? 's' : ''} of ${durationSec} s per row, alternated; medians:`,
				'',
				resultTable(sides, m),
				'',
			);
		}
		delete ctx.instance.env.N8N_EXPRESSION_ENGINE;
		await restart(ctx.instance);
		texts.push(
			'Two n8n processes of the same version on this machine (the idle one waits). Stored/s: executions n8n recorded during the load, per second of load.',
			"With n8n's defaults, n8n holds the process's one expression isolate for the whole webhook phase of any start node that is not its own Webhook node (live-webhooks.ts, webhookPhaseNeedsIsolate), and the phase now ends only after the execution is stored, so accepted deliveries to our triggers take turns at storing; see docs/durability.md.",
		);
		return { text: texts.join('\n'), medians: defaults };
	} finally {
		if (baseline) {
			await stopN8n(baseline.instance, { graceMs: 10_000 }).catch(() => {});
			fs.rmSync(baseline.userFolder, { recursive: true, force: true });
		}
	}
}

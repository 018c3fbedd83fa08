#!/usr/bin/env node
// npm run test:e2e [-- --no-build] [--keep] [--source generic] [--grep text] [--n8n 1.123.81]
//
// Boots the pinned real n8n (scripts/n8n/versions.json) in a temporary user folder on free
// loopback ports, installs this package the way n8n installs a community package (npm pack +
// untar into .n8n/nodes/node_modules), imports the workflows and credentials of every suite in
// test/e2e/sources/*.mjs, publishes them, then drives them over HTTP and checks both the HTTP
// answers and the executions n8n recorded in SQLite. Then it restarts n8n on the same folder and
// runs the 'afterRestart' rows. Ends with "N passed, N failed"; exit 1 on any failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
	buildPackage,
	ensureRuntime,
	freePort,
	importCredentials,
	importWorkflows,
	installCleanup,
	installPackageInto,
	makeInstance,
	packPackage,
	publishWorkflows,
	run,
	selectN8n,
	startN8n,
	stopN8n,
	tailFile,
	VERSIONS,
	waitForWebhooks,
} from '../../scripts/n8n/lib/runtime.mjs';
import { AssertionError, E2eContext, check, checkMatch, triggerWorkflow } from './harness.mjs';
import * as kill from './kill.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
	options: {
		'no-build': { type: 'boolean', default: false },
		// The kill test (test/e2e/kill.mjs) runs last; --no-kill skips it, --source kill runs only it.
		'no-kill': { type: 'boolean', default: false },
		keep: { type: 'boolean', default: false },
		source: { type: 'string', multiple: true },
		grep: { type: 'string' },
		// Counted from the start, a first install of n8n into .cache/ included (about 5 min); the whole
		// suite with the kill test needs about 17 min on a cold cache, more on a busy machine (CI gives
		// this step 45 min).
		'timeout-min': { type: 'string', default: process.env.E2E_TIMEOUT_MIN ?? '35' },
		n8n: { type: 'string' },
	},
});
selectN8n(args.n8n);

const started = Date.now();
const results = [];
const knownIssues = [];
let instance;
let userFolder;
let finishing = false;

function elapsed(since = started) {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function record(name, ok, detail = '', ms = 0) {
	results.push({ name, ok, detail });
	const time = ms ? ` (${ms} ms)` : '';
	const note = ok && detail ? ` [${detail}]` : '';
	console.log(
		`${ok ? 'ok  ' : 'FAIL'} ${name}${note}${time}${ok ? '' : `\n       ${detail.split('\n').join('\n       ')}`}`,
	);
}

async function finish(code) {
	if (finishing) return;
	finishing = true;
	if (instance) {
		await stopN8n(instance).catch(() => {});
		if (results.some((r) => !r.ok))
			console.log(
				`\n--- last lines of the n8n log (${instance.logFile}) ---\n${tailFile(instance.logFile, 25)}\n---`,
			);
	}
	if (userFolder && !args.keep) fs.rmSync(userFolder, { recursive: true, force: true });
	else if (userFolder) console.log(`kept the user folder: ${userFolder}`);
	const passed = results.filter((r) => r.ok).length;
	const failed = results.length - passed;
	console.log(`\ne2e against n8n ${VERSIONS.n8n} took ${elapsed()}`);
	if (knownIssues.length) {
		console.log(`${knownIssues.length} known issue(s), run but not counted:`);
		for (const k of knownIssues) console.log(`  - ${k.name}: ${k.detail} (${k.issue})`);
	}
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(code ?? (failed > 0 || passed === 0 ? 1 : 0));
}

installCleanup(async (signal) => {
	record(`interrupted by ${signal}`, false);
	await finish(1);
});
const watchdog = setTimeout(
	() => {
		record(`watchdog: the e2e run exceeded ${args['timeout-min']} min`, false);
		finish(1);
	},
	Number(args['timeout-min']) * 60_000,
);
watchdog.unref();

/** Load every suite: test/e2e/sources/<source>.mjs exporting credentials, workflows, cases. */
async function loadSuites() {
	const dir = path.join(HERE, 'sources');
	const files = fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.mjs'))
		.sort();
	const suites = [];
	for (const file of files) {
		const source = file.replace(/\.mjs$/, '');
		if (args.source && !args.source.includes(source)) continue;
		const mod = await import(pathToFileURL(path.join(dir, file)).href);
		const credentials = mod.credentials ?? [];
		const workflows = {};
		for (const [key, spec] of Object.entries(mod.workflows ?? {})) {
			workflows[key] = triggerWorkflow({
				name: `e2e ${source} ${key}`,
				...spec,
				allCredentials: credentials,
			});
		}
		let cases = mod.cases ?? [];
		if (args.grep) cases = cases.filter((c) => c.name.includes(args.grep));
		suites.push({ source, credentials, workflows, cases });
	}
	const ids = suites.flatMap((s) => Object.values(s.workflows).map((w) => w.id));
	const dupIds = ids.filter((id, i) => ids.indexOf(id) !== i);
	if (dupIds.length) throw new Error(`workflow ids used twice across suites: ${dupIds.join(', ')}`);
	const credIds = suites.flatMap((s) => s.credentials.map((c) => c.id));
	if (new Set(credIds).size !== credIds.length)
		throw new Error('credential ids used twice across suites');
	return suites;
}

/** One table row: send (or replay) a request, check the answer and the executions. */
async function runRow(t, row) {
	if (row.run) return row.run(t);
	// `send` may be a function, evaluated now (for timestamps relative to the moment of sending).
	const req = row.replay
		? t.memo.get(row.replay)
		: t.request(row.workflow, typeof row.send === 'function' ? row.send() : row.send);
	if (!req)
		throw new AssertionError(`nothing remembered under "${row.replay}" (did its case run?)`);
	if (row.remember) t.memo.set(row.remember, req);
	const res = await t.send(req);
	const want = row.expect;
	const statuses = Array.isArray(want.status) ? want.status : [want.status];
	check(
		statuses.includes(res.status),
		`HTTP ${res.status} (expected ${statuses.join(' or ')}): ${res.text.slice(0, 300)}`,
	);
	if (statuses.length > 1) t.note = `HTTP ${res.status}: ${res.text.slice(0, 80)}`;
	if (want.json) checkMatch(res.json, want.json, `response body ${res.text.slice(0, 200)}`);
	check(typeof want.executions === 'number', 'the row must say how many executions it expects');
	const execs = await t.newExecutions(row.workflow, want.executions);
	for (const exec of execs)
		check(
			exec.status === 'success',
			`execution #${exec.id} ended ${exec.status}: ${JSON.stringify(exec.error ?? {}).slice(0, 300)}`,
		);
	if (want.items !== undefined && execs.length) {
		const items = execs[0].items;
		if (typeof want.items === 'number')
			check(
				items.length === want.items,
				`execution #${execs[0].id}: ${items.length} items, expected ${want.items}`,
			);
		else if (typeof want.items === 'function') want.items(items);
		else {
			check(
				items.length === want.items.length,
				`execution #${execs[0].id}: ${items.length} items, expected ${want.items.length}`,
			);
			checkMatch(items, want.items, `output of execution #${execs[0].id}`);
		}
	}
}

async function runPhase(contexts, phase) {
	for (const { suite, t } of contexts) {
		for (const row of suite.cases.filter((c) => (c.phase ?? 'main') === phase)) {
			const name = `[${suite.source}] ${row.name}`;
			const caseStart = Date.now();
			try {
				await Promise.race([
					runRow(t, row),
					new Promise((_, reject) =>
						setTimeout(() => reject(new Error('case timed out after 90 s')), 90_000).unref(),
					),
				]);
				if (row.knownIssue)
					console.log(`NOTE ${name}: passes now; remove its knownIssue mark (${row.knownIssue})`);
				record(name, true, t.note ?? '', Date.now() - caseStart);
			} catch (error) {
				const detail =
					error instanceof AssertionError ? error.message : (error.stack ?? String(error));
				if (row.knownIssue && error instanceof AssertionError) {
					knownIssues.push({ name, detail, issue: row.knownIssue });
					console.log(
						`KNOWN ${name} (${Date.now() - caseStart} ms)\n       ${detail}\n       known issue, not counted: ${row.knownIssue}`,
					);
				} else record(name, false, detail, Date.now() - caseStart);
			}
			t.note = undefined;
		}
	}
}

/**
 * No runtime dependencies: the installed package has no `dependencies` and no node_modules of its
 * own, so `require('zod')` in dist must resolve to the zod n8n ships (n8n-workflow depends on it).
 * n8n makes its own modules visible to community packages by prepending its module.paths to
 * NODE_PATH (packages/cli/src/load-nodes-and-credentials.ts); this check does the same with n8n's
 * folder, loads the package's candidate validation and the canonical event schema from dist, and
 * validates with them. The suites then run every node inside n8n itself, where the triggers check
 * each canonical event and the ATS Webhook node each candidate with that zod.
 */
async function checkHostZod(packageDir, runtime) {
	const installed = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const deps = Object.keys(installed.dependencies ?? {});
	record('packed package.json has no runtime dependencies', deps.length === 0, deps.join(', '));
	const ownModules = path.join(packageDir, 'node_modules');
	const own = fs.existsSync(ownModules)
		? fs.readdirSync(ownModules).filter((name) => !name.startsWith('.'))
		: [];
	record('installed package has no node_modules of its own', own.length === 0, own.join(', '));
	const script = `
		const zodFile = require.resolve('zod');
		const zodVersion = require(require('path').join(zodFile.slice(0, zodFile.lastIndexOf('node_modules') + 12), 'zod', 'package.json')).version;
		const c = require('./dist/nodes/core/delivery/candidates.js');
		const schema = c.candidateSchema({ required: ['email'], emailFields: ['email'] });
		const good = c.checkCandidate(schema, { email: 'ada@example.com' });
		const bad = c.checkCandidate(schema, { email: 'not-an-address' });
		const missing = c.checkCandidate(schema, {});
		const ev = require('./dist/nodes/core/event/schema.js');
		console.log(JSON.stringify({ zodFile, zodVersion, good, bad, missing, eventSchema: typeof ev.canonicalEventSchema.safeParse }));
	`;
	const nodePath = [];
	for (let dir = path.join(runtime.n8n.modules, 'n8n', 'dist'); ; dir = path.dirname(dir)) {
		if (path.basename(dir) !== 'node_modules') nodePath.push(path.join(dir, 'node_modules'));
		if (path.dirname(dir) === dir) break;
	}
	const result = await run(runtime.node.bin, ['-e', script], {
		cwd: packageDir,
		env: { ...process.env, NODE_PATH: nodePath.join(path.delimiter) },
		timeoutMs: 60_000,
	});
	let out;
	try {
		out = JSON.parse(result.stdout.trim().split('\n').pop());
	} catch {
		record(
			'dist validates with the zod of the n8n host',
			false,
			`${result.stdout}\n${result.stderr}`.trim().slice(0, 800),
		);
		return;
	}
	const fromHost = out.zodFile.startsWith(runtime.n8n.modules + path.sep);
	const ok =
		fromHost &&
		out.good.ok === true &&
		out.bad.reason === 'invalid_email' &&
		out.missing.reason === 'missing_fields' &&
		out.eventSchema === 'function';
	record(
		`dist validates with the zod of the n8n host (zod ${out.zodVersion} from n8n's node_modules)`,
		ok,
		ok ? '' : JSON.stringify(out),
	);
}

async function main() {
	const suites = await loadSuites();
	const withKill = !args['no-kill'] && !args.grep && (!args.source || args.source.includes('kill'));
	if (!suites.some((s) => s.cases.length) && !withKill) throw new Error('no e2e cases selected');
	const runtime = await ensureRuntime();
	if (!args['no-build']) await buildPackage();
	const tarball = await packPackage();

	userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'ats-e2e-'));
	const packageDir = await installPackageInto(userFolder, tarball, runtime.node);
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	await checkHostZod(packageDir, runtime);
	const port = await freePort();
	let brokerPort = await freePort();
	while (brokerPort === port) brokerPort = await freePort();
	instance = makeInstance({
		runtime,
		userFolder,
		port,
		brokerPort,
		encryptionKey: randomBytes(24).toString('hex'),
	});
	console.log(
		`n8n ${VERSIONS.n8n} in ${userFolder} on ${instance.baseUrl} (task broker ${brokerPort})`,
	);

	await importCredentials(instance, [
		...suites.flatMap((s) => s.credentials),
		...(withKill ? kill.credentials : []),
	]);
	const workflows = [
		...suites.flatMap((s) => Object.values(s.workflows)),
		...(withKill ? Object.values(kill.workflows()) : []),
	];
	await importWorkflows(instance, workflows);
	await publishWorkflows(
		instance,
		workflows.map((w) => w.id),
	);
	const contexts = suites.map((suite) => ({
		suite,
		t: new E2eContext({ instance, workflows: suite.workflows, credentials: suite.credentials }),
	}));
	const urls = [
		...contexts.flatMap(({ t, suite }) => Object.keys(suite.workflows).map((k) => t.url(k))),
		...(withKill ? kill.urls(instance) : []),
	];

	const bootStart = Date.now();
	await startN8n(instance);
	await waitForWebhooks(instance, urls);
	record(
		`n8n ${VERSIONS.n8n} started, loaded the packed package and registered ${urls.length} production webhooks`,
		true,
		'',
		Date.now() - bootStart,
	);

	await runPhase(contexts, 'main');

	if (suites.some((s) => s.cases.some((c) => c.phase === 'afterRestart'))) {
		const restartStart = Date.now();
		await stopN8n(instance);
		await startN8n(instance);
		await waitForWebhooks(instance, urls);
		record(
			'n8n stopped and started again on the same user folder',
			true,
			'',
			Date.now() - restartStart,
		);
		await runPhase(contexts, 'afterRestart');
	}

	for (const { suite, t } of contexts) {
		const problems = await t.reconcile();
		record(
			`[${suite.source}] executions recorded per workflow match the cases (nothing extra started)`,
			problems.length === 0,
			problems.join('\n'),
		);
	}

	if (withKill) await kill.runKillTest({ instance, record });
}

main().then(
	() => finish(),
	(error) => {
		record('e2e setup', false, error.stack ?? String(error));
		return finish(1);
	},
);

// Real n8n for this package: a pinned Node 24 and n8n in .cache/, our package installed the way
// n8n installs a community package, workflows imported and published, n8n started and stopped.
// Used by start.mjs, the e2e suite and the screenshot script. Plain Node (>= 20) ESM, no deps.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCRIPTS = path.join(ROOT, 'scripts/n8n');
export const CACHE = process.env.ATS_N8N_CACHE_DIR
	? path.resolve(process.env.ATS_N8N_CACHE_DIR)
	: path.join(ROOT, '.cache');
export const VERSIONS = readJson(path.join(SCRIPTS, 'versions.json'));

/**
 * Use another n8n than the pin (`npm run test:e2e -- --n8n 1.123.81`): the version must be listed
 * under `compat` in versions.json with the npm overrides it needs there. It runs on the same Node
 * 24 binary (n8n 1.123 allows Node <= 24.x; its isolated-vm 6 does not build on Node 20).
 */
export function selectN8n(version) {
	if (!version || version === VERSIONS.n8n) return;
	const compat = VERSIONS.compat?.[version];
	if (!compat) {
		throw new Error(
			`n8n ${version} is not in scripts/n8n/versions.json "compat" (listed: ${Object.keys(VERSIONS.compat ?? {}).join(', ') || 'none'})`,
		);
	}
	VERSIONS.n8n = version;
	VERSIONS.overrides = compat.overrides ?? {};
}

/** n8n 1.x: workflows are activated (no publishing), `update:workflow --active=true`. */
export function isN8nV1() {
	return VERSIONS.n8n.startsWith('1.');
}
export const PACKAGE_NAME = readJson(path.join(ROOT, 'package.json')).name;

export function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function log(message) {
	process.stdout.write(`[n8n-env] ${message}\n`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Child processes: every child gets its own process group so that it and everything it spawns
// (n8n's task runner, npm's node-gyp) can be ended together. All live groups are remembered and
// ended on exit, on SIGINT/SIGTERM/SIGHUP and on an uncaught error.
// ---------------------------------------------------------------------------------------------
const liveGroups = new Set();
let cleanupInstalled = false;

export function killGroup(pid, signal = 'SIGTERM') {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function groupAlive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

export function installCleanup(onSignal) {
	if (cleanupInstalled) return;
	cleanupInstalled = true;
	process.on('exit', () => {
		for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(signal, async () => {
			if (onSignal) {
				try {
					await onSignal(signal);
				} catch {
					/* fall through to the hard stop */
				}
			}
			for (const pid of liveGroups) killGroup(pid, 'SIGTERM');
			await sleep(300);
			for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
			process.exit(signal === 'SIGINT' ? 130 : 143);
		});
	}
}

/** Spawn in a new process group. Returns the ChildProcess; its group is killed on our exit. */
export function spawnGroup(cmd, args, options = {}) {
	installCleanup();
	const child = spawn(cmd, args, { ...options, detached: true });
	if (child.pid) {
		liveGroups.add(child.pid);
		child.on('exit', () => {
			// The leader is gone; end stragglers of its group too (a runner, a gyp compiler).
			if (child.pid && groupAlive(child.pid)) killGroup(child.pid, 'SIGKILL');
			liveGroups.delete(child.pid);
		});
	}
	return child;
}

/**
 * Run a command to completion in its own process group. On timeout the whole group is killed and
 * `timedOut` is true. Output is collected (and echoed when `echo` is set).
 */
export function run(
	cmd,
	args,
	{ cwd = ROOT, env = process.env, timeoutMs = 10 * 60_000, echo = false, input } = {},
) {
	return new Promise((resolve, reject) => {
		const child = spawnGroup(cmd, args, {
			cwd,
			env,
			stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.on('data', (d) => {
			stdout += d;
			if (echo) process.stdout.write(d);
		});
		child.stderr.on('data', (d) => {
			stderr += d;
			if (echo) process.stderr.write(d);
		});
		if (input !== undefined) child.stdin.end(input);
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid, 'SIGTERM');
			setTimeout(() => killGroup(child.pid, 'SIGKILL'), 3000).unref();
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr, timedOut });
		});
	});
}

async function mustRun(what, cmd, args, options) {
	const started = Date.now();
	const result = await run(cmd, args, options);
	if (result.code !== 0) {
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
		throw new Error(
			`${what} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${tail}`,
		);
	}
	log(`${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return result;
}

/**
 * Environment for child npm processes: without the npm_config_* that an outer `npm run` exports
 * (this project's .npmrc sets ignore-scripts, which would stop `npm rebuild sqlite3`), keeping
 * the cache and registry settings.
 */
export function cleanNpmEnv(extra = {}) {
	const keep = new Set([
		'npm_config_cache',
		'npm_config_registry',
		'npm_config_userconfig',
		'npm_config_globalconfig',
		'npm_config_cafile',
	]);
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		const lower = key.toLowerCase();
		if (
			(lower.startsWith('npm_config_') && !keep.has(lower)) ||
			lower.startsWith('npm_package_') ||
			lower.startsWith('npm_lifecycle_')
		)
			continue;
		env[key] = value;
	}
	return { ...env, ...extra };
}

// ---------------------------------------------------------------------------------------------
// A lock so that two runs (npm start and the e2e, say) do not install into one folder at once.
// ---------------------------------------------------------------------------------------------
async function withLock(name, fn) {
	fs.mkdirSync(CACHE, { recursive: true });
	const lockDir = path.join(CACHE, `.${name}.lock`);
	const deadline = Date.now() + 45 * 60_000;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner = NaN;
			try {
				owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {
				/* being written */
			}
			let alive = false;
			if (Number.isInteger(owner) && owner > 0) {
				try {
					process.kill(owner, 0);
					alive = true;
				} catch {
					alive = false;
				}
			}
			if (Number.isInteger(owner) && !alive) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline)
				throw new Error(`Timed out waiting for ${lockDir} (held by pid ${owner})`);
			if (!announced)
				log(`waiting for another run to finish installing (${lockDir}, pid ${owner})`);
			announced = true;
			await sleep(2000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// Node 24 from the npm registry
// ---------------------------------------------------------------------------------------------
export function nodePaths() {
	const platformPackage = `node-${process.platform}-${process.arch}`;
	const dir = path.join(CACHE, `node-${VERSIONS.node}`);
	const home = path.join(dir, 'node_modules', platformPackage);
	return {
		platformPackage,
		dir,
		home,
		bin: path.join(home, 'bin', 'node'),
		binDir: path.join(home, 'bin'),
	};
}

function nodeWorks(bin) {
	if (!fs.existsSync(bin)) return false;
	const result = spawnSync(bin, ['-v'], { encoding: 'utf8' });
	return result.status === 0 && result.stdout.trim() === `v${VERSIONS.node}`;
}

export async function ensureNode() {
	const paths = nodePaths();
	if (nodeWorks(paths.bin)) return paths;
	return withLock('node', async () => {
		if (nodeWorks(paths.bin)) return paths;
		log(
			`installing Node ${VERSIONS.node} (npm package ${paths.platformPackage}, the binary node@${VERSIONS.node.split('.')[0]} installs) into ${path.relative(ROOT, paths.dir)}`,
		);
		fs.rmSync(paths.dir, { recursive: true, force: true });
		fs.mkdirSync(paths.dir, { recursive: true });
		fs.writeFileSync(
			path.join(paths.dir, 'package.json'),
			JSON.stringify(
				{
					name: 'ats-webhooks-node-runtime',
					private: true,
					dependencies: { [paths.platformPackage]: VERSIONS.node },
				},
				null,
				2,
			),
		);
		await mustRun(
			'npm install node',
			'npm',
			[
				'install',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--package-lock=false',
				'--loglevel=error',
			],
			{
				cwd: paths.dir,
				env: cleanNpmEnv(),
				timeoutMs: 15 * 60_000,
			},
		);
		if (!nodeWorks(paths.bin))
			throw new Error(`Node ${VERSIONS.node} did not install at ${paths.bin}`);
		return paths;
	});
}

/** PATH and headers so that npm, node-gyp and n8n's children use Node 24. */
export function nodeEnv(node, extra = {}) {
	return cleanNpmEnv({
		PATH: `${node.binDir}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: node.home,
		...extra,
	});
}

// ---------------------------------------------------------------------------------------------
// n8n, in its own folder with its own package.json (never the project's node_modules)
// ---------------------------------------------------------------------------------------------
export function n8nPaths() {
	const dir = path.join(CACHE, `n8n-${VERSIONS.n8n}`);
	return {
		dir,
		bin: path.join(dir, 'node_modules/n8n/bin/n8n'),
		marker: path.join(dir, '.ats-ready.json'),
		modules: path.join(dir, 'node_modules'),
	};
}

function n8nReady(paths) {
	try {
		const marker = readJson(paths.marker);
		return (
			marker.n8n === VERSIONS.n8n &&
			marker.node === VERSIONS.node &&
			JSON.stringify(marker.overrides) === JSON.stringify(VERSIONS.overrides) &&
			fs.existsSync(paths.bin)
		);
	} catch {
		return false;
	}
}

export async function ensureN8n(node) {
	const paths = n8nPaths();
	if (n8nReady(paths)) return paths;
	return withLock('n8n', async () => {
		if (n8nReady(paths)) return paths;
		fs.mkdirSync(paths.dir, { recursive: true });
		fs.writeFileSync(
			path.join(paths.dir, 'package.json'),
			JSON.stringify(
				{
					name: 'ats-webhooks-n8n-runtime',
					private: true,
					dependencies: { n8n: VERSIONS.n8n },
					overrides: VERSIONS.overrides ?? {},
				},
				null,
				2,
			),
		);
		const env = nodeEnv(node);
		log(
			`installing n8n ${VERSIONS.n8n} into ${path.relative(ROOT, paths.dir)} (a few minutes on a cold npm cache)`,
		);
		await mustRun(
			'npm install n8n',
			'npm',
			[
				'install',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
				'--foreground-scripts=false',
			],
			{ cwd: paths.dir, env, timeoutMs: 40 * 60_000 },
		);
		log('building sqlite3 for Node 24 (npm rebuild sqlite3)');
		await mustRun(
			'npm rebuild sqlite3',
			'npm',
			['rebuild', 'sqlite3', '--ignore-scripts=false', '--loglevel=error'],
			{
				cwd: paths.dir,
				env,
				timeoutMs: 30 * 60_000,
			},
		);
		const check = await run(
			node.bin,
			['-e', "require('sqlite3'); require('flatted'); console.log('ok')"],
			{ cwd: paths.dir, env, timeoutMs: 60_000 },
		);
		if (check.stdout.trim() !== 'ok')
			throw new Error(`sqlite3 does not load under Node ${VERSIONS.node}:\n${check.stderr}`);
		fs.writeFileSync(
			paths.marker,
			JSON.stringify(
				{
					n8n: VERSIONS.n8n,
					node: VERSIONS.node,
					overrides: VERSIONS.overrides,
					at: new Date().toISOString(),
				},
				null,
				2,
			),
		);
		return paths;
	});
}

/** Node 24 + n8n, installed once into .cache/ and reused. */
export async function ensureRuntime() {
	const node = await ensureNode();
	const n8n = await ensureN8n(node);
	return { node, n8n };
}

// ---------------------------------------------------------------------------------------------
// Our package, installed like n8n's community package installer does
// ---------------------------------------------------------------------------------------------
export async function buildPackage() {
	await mustRun('npm run build', 'npm', ['run', 'build'], { cwd: ROOT, timeoutMs: 10 * 60_000 });
}

export function assertBuilt() {
	const pkg = readJson(path.join(ROOT, 'package.json'));
	const missing = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])].filter(
		(f) => !fs.existsSync(path.join(ROOT, f)),
	);
	if (missing.length)
		throw new Error(`Build output missing (run npm run build): ${missing.join(', ')}`);
	return pkg;
}

/** `npm pack` into a temp folder; returns the .tgz path. */
export async function packPackage() {
	assertBuilt();
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'ats-pack-'));
	const result = await mustRun(
		'npm pack',
		'npm',
		['pack', '--json', '--pack-destination', dest, '--loglevel=error'],
		{ cwd: ROOT, timeoutMs: 5 * 60_000 },
	);
	const info = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
	return path.join(dest, info[0].filename);
}

/**
 * What `CommunityPackagesService.downloadPackage` does (n8n 2.41): untar into
 * <userFolder>/.n8n/nodes/node_modules/<name>, drop dev/peer/optional dependencies from its
 * package.json, `npm install` its runtime dependencies there (this package has none: zod comes from n8n), and record it in
 * <userFolder>/.n8n/nodes/package.json. The node types are then `<package-name>.<node>`.
 */
export async function installPackageInto(userFolder, tarball, node) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	await mustRun(
		'untar package',
		'tar',
		['-xzf', tarball, '-C', packageDir, '--strip-components=1'],
		{ timeoutMs: 60_000 },
	);
	const pkgFile = path.join(packageDir, 'package.json');
	// eslint-disable-next-line no-unused-vars
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = readJson(pkgFile);
	fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
	await mustRun(
		`npm install ${PACKAGE_NAME}'s dependencies`,
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--prefer-offline',
			'--loglevel=error',
		],
		{ cwd: packageDir, env: nodeEnv(node), timeoutMs: 10 * 60_000 },
	);
	const nodesPkgFile = path.join(nodesDir, 'package.json');
	let nodesPkg = { name: 'installed-nodes', private: true, dependencies: {} };
	try {
		nodesPkg = readJson(nodesPkgFile);
	} catch {
		/* first install */
	}
	nodesPkg.dependencies = { ...(nodesPkg.dependencies ?? {}), [PACKAGE_NAME]: pkg.version };
	fs.writeFileSync(nodesPkgFile, JSON.stringify(nodesPkg, null, 2));
	for (const dep of Object.keys(pkg.dependencies ?? {})) {
		if (!fs.existsSync(path.join(packageDir, 'node_modules', dep, 'package.json'))) {
			throw new Error(`${dep} is not resolvable in ${packageDir}`);
		}
	}
	return packageDir;
}

// ---------------------------------------------------------------------------------------------
// n8n CLI and server
// ---------------------------------------------------------------------------------------------
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

export function portFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.on('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * One n8n instance: a user folder, ports, fixed encryption key. `extraEnv` adds settings
 * (the owner login for the screenshot, say).
 */
export function makeInstance({
	runtime,
	userFolder,
	port,
	brokerPort,
	encryptionKey,
	extraEnv = {},
}) {
	const baseUrl = `http://127.0.0.1:${port}`;
	const env = nodeEnv(runtime.node, {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: `${baseUrl}/`,
		N8N_EDITOR_BASE_URL: `${baseUrl}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		NODE_ENV: 'production',
		...extraEnv,
	});
	return {
		runtime,
		userFolder,
		port,
		brokerPort,
		baseUrl,
		env,
		dbFile: path.join(userFolder, '.n8n', 'database.sqlite'),
		child: null,
		logFile: path.join(userFolder, 'n8n.log'),
	};
}

/** `n8n <args>` as a CLI command, with a timeout (publish:workflow sometimes hangs after writing). */
export async function n8nCli(instance, args, { timeoutMs = 180_000, allowTimeout = false } = {}) {
	const started = Date.now();
	const result = await run(instance.runtime.node.bin, [instance.runtime.n8n.bin, ...args], {
		cwd: instance.userFolder,
		env: instance.env,
		timeoutMs,
	});
	const secs = ((Date.now() - started) / 1000).toFixed(1);
	fs.appendFileSync(
		instance.logFile,
		`\n$ n8n ${args.join(' ')} (${secs} s, exit ${result.code}${result.timedOut ? ', timed out' : ''})\n${result.stdout}${result.stderr}`,
	);
	if (
		(result.code !== 0 && !(result.timedOut && allowTimeout)) ||
		/An error occurred|Error updating database|UserError/.test(result.stdout + result.stderr)
	) {
		const text = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
		throw new Error(
			`n8n ${args.join(' ')} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${text}`,
		);
	}
	log(
		`n8n ${args.join(' ')}: ${secs} s${result.timedOut ? ' (killed after its work was done)' : ''}`,
	);
	return result;
}

/** Import every workflow JSON of `files` (each with a fixed `id` and trigger `webhookId`s). */
export async function importWorkflows(instance, files) {
	const dir = fs.mkdtempSync(path.join(instance.userFolder, 'import-wf-'));
	for (const [i, file] of files.entries()) {
		const wf = typeof file === 'string' ? readJson(file) : file;
		fs.writeFileSync(path.join(dir, `${String(i).padStart(3, '0')}.json`), JSON.stringify(wf));
	}
	await n8nCli(instance, ['import:workflow', '--separate', `--input=${dir}`]);
	fs.rmSync(dir, { recursive: true, force: true });
}

/** Import credentials: an array of {id, name, type, data:{...}}; n8n encrypts `data` with N8N_ENCRYPTION_KEY. */
export async function importCredentials(instance, credentials) {
	if (!credentials.length) return;
	const file = path.join(instance.userFolder, 'import-credentials.json');
	fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
	try {
		await n8nCli(instance, ['import:credentials', `--input=${file}`]);
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/**
 * Publish each workflow with `n8n publish:workflow` (before `n8n start`). The command has been
 * seen to hang after writing; it is killed after a timeout and the DB tells whether it worked.
 */
export async function publishWorkflows(instance, ids, { concurrency = 2 } = {}) {
	if (isN8nV1()) return activateWorkflowsV1(instance, ids);
	// Two CLI processes at a time (each boots n8n, CPU-bound); anything that did not publish is
	// retried one at a time, and the database has the last word.
	const queue = [...ids];
	const failed = [];
	await Promise.all(
		Array.from({ length: Math.min(concurrency, ids.length) }, async () => {
			while (queue.length) {
				const id = queue.shift();
				try {
					await n8nCli(instance, ['publish:workflow', `--id=${id}`], {
						timeoutMs: 90_000,
						allowTimeout: true,
					});
				} catch (error) {
					failed.push({ id, error });
				}
			}
		}),
	);
	for (const { id } of failed) {
		if (!(await isPublished(instance, id)))
			await n8nCli(instance, ['publish:workflow', `--id=${id}`], {
				timeoutMs: 90_000,
				allowTimeout: true,
			});
	}
	const rows = await sqlite(
		instance,
		`select id, active, activeVersionId, versionId from workflow_entity where id in (${ids.map(() => '?').join(',')})`,
		ids,
	);
	const unpublished = ids.filter((id) => {
		const row = rows.find((r) => r.id === id);
		return !row || !row.activeVersionId || row.activeVersionId !== row.versionId;
	});
	if (unpublished.length) throw new Error(`workflows not published: ${unpublished.join(', ')}`);
}

/** n8n 1.x has no publish:workflow; `update:workflow --active=true` (before `n8n start`) activates. */
async function activateWorkflowsV1(instance, ids) {
	for (const id of ids) {
		await n8nCli(instance, ['update:workflow', `--id=${id}`, '--active=true'], {
			timeoutMs: 90_000,
			allowTimeout: true,
		});
	}
	const rows = await sqlite(
		instance,
		`select id, active from workflow_entity where id in (${ids.map(() => '?').join(',')})`,
		ids,
	);
	const inactive = ids.filter((id) => !rows.find((r) => r.id === id && Number(r.active) === 1));
	if (inactive.length) throw new Error(`workflows not active: ${inactive.join(', ')}`);
}

async function isPublished(instance, id) {
	const [row] = await sqlite(
		instance,
		'select activeVersionId, versionId from workflow_entity where id = ?',
		[id],
	);
	return Boolean(row && row.activeVersionId && row.activeVersionId === row.versionId);
}

/** Start `n8n start`; resolves when /healthz/readiness answers 200. Output goes to instance.logFile. */
export async function startN8n(instance, { timeoutMs = 180_000, echo = false } = {}) {
	if (!(await portFree(instance.port)))
		throw new Error(`Port ${instance.port} on 127.0.0.1 is already in use`);
	if (!(await portFree(instance.brokerPort)))
		throw new Error(`Port ${instance.brokerPort} on 127.0.0.1 is already in use`);
	const out = fs.openSync(instance.logFile, 'a');
	fs.writeSync(
		out,
		`\n===== n8n start ${new Date().toISOString()} (port ${instance.port}) =====\n`,
	);
	const child = spawnGroup(instance.runtime.node.bin, [instance.runtime.n8n.bin, 'start'], {
		cwd: instance.userFolder,
		env: instance.env,
		stdio: ['ignore', echo ? 'inherit' : out, echo ? 'inherit' : out],
	});
	fs.closeSync(out);
	instance.child = child;
	let exited = null;
	child.on('exit', (code, signal) => {
		exited = { code, signal };
	});
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (exited)
			throw new Error(
				`n8n exited during start-up (${JSON.stringify(exited)}); see ${instance.logFile}:\n${tailFile(instance.logFile, 30)}`,
			);
		try {
			const res = await fetch(`${instance.baseUrl}/healthz/readiness`, {
				signal: AbortSignal.timeout(2000),
			});
			if (res.status === 200) {
				log(
					`n8n is ready on ${instance.baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
				);
				return child;
			}
		} catch {
			/* not listening yet */
		}
		await sleep(500);
	}
	await stopN8n(instance);
	throw new Error(
		`n8n did not become ready in ${timeoutMs / 1000} s; see ${instance.logFile}:\n${tailFile(instance.logFile, 30)}`,
	);
}

/** SIGTERM the n8n process group, wait for a graceful exit, then SIGKILL what is left. */
export async function stopN8n(instance, { graceMs = 20_000 } = {}) {
	const child = instance.child;
	if (!child || !child.pid) return;
	instance.child = null;
	if (child.exitCode === null && child.signalCode === null) {
		const exited = new Promise((resolve) => child.once('exit', resolve));
		killGroup(child.pid, 'SIGTERM');
		await Promise.race([exited, sleep(graceMs)]);
	}
	// Task runners and anything else n8n started live in the same group.
	if (groupAlive(child.pid)) {
		killGroup(child.pid, 'SIGKILL');
		await sleep(200);
	}
}

export function tailFile(file, lines) {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

// ---------------------------------------------------------------------------------------------
// SQLite, read with the sqlite3 module of the n8n install (built for Node 24)
// ---------------------------------------------------------------------------------------------
const QUERY_SCRIPT = path.join(SCRIPTS, 'lib', 'sqlite-query.cjs');

/** Rows of one SQL statement against the instance's database. `flatted` parses these columns. */
export async function sqlite(instance, sql, params = [], { flatted = [] } = {}) {
	const result = await run(instance.runtime.node.bin, [QUERY_SCRIPT], {
		cwd: instance.runtime.n8n.dir,
		env: { ...instance.env, ATS_N8N_MODULES: instance.runtime.n8n.modules },
		input: JSON.stringify({ db: instance.dbFile, sql, params, flatted }),
		timeoutMs: 60_000,
	});
	if (result.code !== 0) throw new Error(`sqlite query failed: ${sql}\n${result.stderr}`);
	return JSON.parse(result.stdout);
}

/** A bcrypt hash made with n8n's own bcryptjs, for N8N_INSTANCE_OWNER_PASSWORD_HASH. */
export async function bcryptHash(runtime, password) {
	const script = `const b=require(require.resolve('bcryptjs',{paths:[process.env.M+'/n8n',process.env.M]}));process.stdout.write(b.hashSync(process.argv[1],10))`;
	const result = await run(runtime.node.bin, ['-e', script, password], {
		cwd: runtime.n8n.dir,
		env: { ...process.env, M: runtime.n8n.modules },
		timeoutMs: 60_000,
	});
	if (result.code !== 0) throw new Error(`bcrypt failed: ${result.stderr}`);
	return result.stdout.trim();
}

/**
 * n8n answers /healthz/readiness before it has registered the production webhooks of published
 * workflows. A CORS preflight lists a path's registered methods without running the node, so
 * poll it until every URL accepts `method`.
 */
export async function waitForWebhooks(
	instance,
	urls,
	{ method = 'POST', timeoutMs = 180_000 } = {},
) {
	const started = Date.now();
	const pending = new Set(urls);
	while (pending.size && Date.now() - started < timeoutMs) {
		for (const url of [...pending]) {
			try {
				const res = await fetch(url, {
					method: 'OPTIONS',
					headers: { origin: instance.baseUrl, 'access-control-request-method': method },
					signal: AbortSignal.timeout(3000),
				});
				const allowed = (res.headers.get('access-control-allow-methods') ?? '').split(/\s*,\s*/);
				if (allowed.includes(method)) pending.delete(url);
			} catch {
				/* retry */
			}
		}
		if (pending.size) await sleep(300);
	}
	if (pending.size)
		throw new Error(
			`webhooks not registered after ${timeoutMs / 1000} s: ${[...pending].join(', ')}; see ${instance.logFile}`,
		);
}

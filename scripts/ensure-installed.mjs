#!/usr/bin/env node
// Runs first in `npm test` and `npm start` (not as pretest/prestart: .npmrc sets ignore-scripts,
// and then npm skips pre- and post-scripts). On a fresh clone, or after package-lock.json changed,
// it runs `npm ci`, so that `npm test` and `npm start` work with nothing run before them. A no-op
// (a few milliseconds) when every devDependency is installed at the locked version.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

function missing() {
	const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
	if (!fs.existsSync(installed)) return 'node_modules is absent';
	const lock = readJson(path.join(ROOT, 'package-lock.json')).packages ?? {};
	const pkg = readJson(path.join(ROOT, 'package.json'));
	for (const name of Object.keys(pkg.devDependencies ?? {})) {
		const file = path.join(ROOT, 'node_modules', name, 'package.json');
		if (!fs.existsSync(file)) return `${name} is not installed`;
		const wanted = lock[`node_modules/${name}`]?.version;
		if (wanted && readJson(file).version !== wanted)
			return `${name} is not at the locked version ${wanted}`;
	}
	return '';
}

const reason = missing();
if (reason) {
	console.log(`[ensure-installed] ${reason}: running npm ci`);
	const npm = process.env.npm_execpath
		? [process.execPath, [process.env.npm_execpath]]
		: [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
	const result = spawnSync(npm[0], [...npm[1], 'ci', '--no-audit', '--no-fund'], {
		cwd: ROOT,
		stdio: 'inherit',
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}

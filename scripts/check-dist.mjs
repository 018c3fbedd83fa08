#!/usr/bin/env node
// Runs after `n8n-node build` (npm run build). Checks that dist holds everything n8n loads: every
// file in package.json's `n8n` block, each node's codex (<Node>.node.json) and every icon a node or
// credential names (`file:` icons, light and dark). Also removes images that `n8n-node build`
// copies from outside nodes/ and credentials/ (its static-file glob is `**/*.{png,svg}`, which
// takes docs/images too), so that only package files are published.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

for (const entry of fs.readdirSync(DIST)) {
	if (!['nodes', 'credentials'].includes(entry))
		fs.rmSync(path.join(DIST, entry), { recursive: true, force: true });
}

const problems = [];
const files = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
for (const file of files) {
	const full = path.join(ROOT, file);
	if (!fs.existsSync(full)) {
		problems.push(`${file} is missing`);
		continue;
	}
	if (file.endsWith('.node.js')) {
		const codex = full.replace(/\.js$/, '.json');
		if (!fs.existsSync(codex)) problems.push(`${path.relative(ROOT, codex)} (codex) is missing`);
	}
	const source = fs.readFileSync(full, 'utf8');
	for (const [, icon] of source.matchAll(/['"]file:([^'"]+)['"]/g)) {
		const iconFile = path.join(path.dirname(full), icon);
		if (!fs.existsSync(iconFile))
			problems.push(`${path.relative(ROOT, iconFile)} (icon of ${file}) is missing`);
	}
}
if (problems.length) {
	console.error(`dist is incomplete:\n  ${problems.join('\n  ')}`);
	process.exit(1);
}
console.log(`dist ok: ${files.length} files from the n8n block, with their codex and icons`);

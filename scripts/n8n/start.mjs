#!/usr/bin/env node
// npm start: build this package, install the pinned n8n (and a Node 24 to run it) into .cache/,
// install the package the way n8n installs a community package, import and publish the demo
// workflows, and run n8n on http://127.0.0.1:5678 until Ctrl-C.
import { parseArgs } from 'node:util';
import { DEMO_OWNER, prepareDemo, productionUrl } from './lib/demos.mjs';
import {
	freePort,
	installCleanup,
	log,
	portFree,
	startN8n,
	stopN8n,
	tailFile,
	VERSIONS,
	waitForWebhooks,
} from './lib/runtime.mjs';
import { sources } from './sources.mjs';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: process.env.N8N_PORT ?? '5678' },
		'no-build': { type: 'boolean', default: false },
		verbose: { type: 'boolean', short: 'v', default: false },
	},
});
const port = Number(values.port);

let instance;
let stopping = false;
installCleanup(async () => {
	if (stopping) return;
	stopping = true;
	console.log('\nstopping n8n …');
	if (instance) await stopN8n(instance);
});

try {
	if (!(await portFree(port))) {
		throw new Error(
			`port ${port} on 127.0.0.1 is in use (another n8n?). Stop it or run: npm start -- --port 5690`,
		);
	}
	const brokerPort = (await portFree(5679)) ? 5679 : await freePort();
	const prepared = await prepareDemo({ port, brokerPort, build: !values['no-build'] });
	instance = prepared.instance;
	log(`starting n8n ${VERSIONS.n8n} (log: ${instance.logFile})`);
	await startN8n(instance, { echo: values.verbose });
	let unregistered = '';
	try {
		await waitForWebhooks(
			instance,
			prepared.demos.flatMap((d) => d.triggers.map((t) => productionUrl(instance.baseUrl, t))),
		);
	} catch (error) {
		unregistered = error.message;
	}

	const lines = [
		'',
		`n8n ${VERSIONS.n8n} is running with n8n-nodes-ats-webhooks installed as a community package.`,
		'',
		`  Editor:   ${instance.baseUrl}/`,
		`  Login:    ${DEMO_OWNER.email} / ${DEMO_OWNER.password}   (local demo owner)`,
		'',
		'  Demo workflows (published) and their production URLs:',
	];
	const pad = Math.max(...prepared.demos.map((d) => d.source.length)) + 1;
	for (const demo of prepared.demos) {
		lines.push(`    ${demo.source.padEnd(pad)} ${demo.workflow.name}`);
		for (const trigger of demo.triggers) {
			const url = productionUrl(instance.baseUrl, trigger);
			const label = demo.triggers.length > 1 ? `  (${trigger.name})` : '';
			lines.push(
				`    ${''.padEnd(pad)} ${url}${label}${unregistered.includes(url) ? '   (NOT registered: see the n8n log)' : ''}`,
			);
		}
		lines.push(`    ${''.padEnd(pad)} ${instance.baseUrl}/workflow/${demo.workflow.id}`);
	}
	lines.push('', '  Send a correctly signed sample event (in another terminal):');
	for (const demo of prepared.demos) {
		if (sources[demo.source]) lines.push(`    npm run send -- ${demo.source}`);
	}
	lines.push(
		'',
		`  Executions: ${instance.baseUrl}/home/executions     n8n log: ${instance.logFile}`,
		'  Ctrl-C stops n8n.',
		'',
	);
	console.log(lines.join('\n'));

	instance.child.on('exit', (code, signal) => {
		if (stopping) return;
		console.error(
			`n8n exited (${code ?? signal}); last log lines:\n${tailFile(instance.logFile, 30)}`,
		);
		process.exit(1);
	});
} catch (error) {
	console.error(`npm start failed: ${error.message}`);
	if (instance) await stopN8n(instance);
	process.exit(1);
}

#!/usr/bin/env node
// npm run screenshot [-- --source generic] [--out docs/images/demo-workflow.png]
//                    [--node-out docs/images/demo-trigger-node.png] [--no-build]
// Boots the demo n8n in a throw-away user folder on free loopback ports, sends one signed sample
// event, logs in as the demo owner and saves a screenshot of the demo workflow in the editor
// (headless Debian chromium driven by playwright-core). Needs: apt-get install chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import {
	DEMO_OWNER,
	prepareDemo,
	productionUrl,
	credentialOf,
	demoCredentials,
} from './lib/demos.mjs';
import {
	freePort,
	installCleanup,
	log,
	portFree,
	ROOT,
	startN8n,
	stopN8n,
	tailFile,
	waitForWebhooks,
} from './lib/runtime.mjs';
import { authHeaders } from './lib/signing.mjs';
import { sources } from './sources.mjs';

const { values } = parseArgs({
	options: {
		source: { type: 'string', default: 'generic' },
		out: { type: 'string', default: 'docs/images/demo-workflow.png' },
		'node-out': { type: 'string', default: 'docs/images/demo-trigger-node.png' },
		'no-build': { type: 'boolean', default: false },
		chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
		width: { type: 'string', default: '1440' },
		height: { type: 'string', default: '900' },
	},
});
if (!fs.existsSync(values.chromium)) {
	console.error(
		`${values.chromium} not found: apt-get install -y chromium (or pass --chromium PATH)`,
	);
	process.exit(2);
}

let instance;
let browser;
const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'ats-screenshot-'));
async function cleanup() {
	if (browser) await browser.close().catch(() => {});
	if (instance) await stopN8n(instance);
	fs.rmSync(userFolder, { recursive: true, force: true });
}
installCleanup(cleanup);

try {
	// 5678 when free, so the URLs in the picture are the ones `npm start` prints.
	const port = (await portFree(5678)) ? 5678 : await freePort();
	let brokerPort = await freePort();
	while (brokerPort === port) brokerPort = await freePort();
	const prepared = await prepareDemo({ port, brokerPort, build: !values['no-build'], userFolder });
	instance = prepared.instance;
	const demo = prepared.demos.find((d) => d.source === values.source);
	if (!demo) throw new Error(`no demo workflow "${values.source}" in scripts/n8n/demo-workflows`);
	await startN8n(instance);
	const url = productionUrl(instance.baseUrl, demo.trigger);
	await waitForWebhooks(
		instance,
		prepared.demos.flatMap((d) => d.triggers.map((t) => productionUrl(instance.baseUrl, t))),
	);

	// One real delivery, so the workflow has an execution to look at.
	const source = sources[demo.source];
	if (source) {
		const id = `evt_screenshot_${Date.now()}`;
		const body = JSON.stringify(source.sample({ id, now: Date.now() }));
		const headers = {
			'content-type': 'application/json',
			...(source.headers ?? {}),
			...authHeaders({
				parameters: demo.trigger.parameters,
				credential: credentialOf(demo.trigger, demoCredentials()),
				body,
				overrides: { id },
			}),
		};
		const res = await fetch(url, { method: 'POST', headers, body });
		log(`sample event: HTTP ${res.status} ${await res.text()}`);
	}

	browser = await chromium.launch({
		executablePath: values.chromium,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const context = await browser.newContext({
		viewport: { width: Number(values.width), height: Number(values.height) },
		deviceScaleFactor: 1,
	});
	const login = await context.request.post(`${instance.baseUrl}/rest/login`, {
		data: { emailOrLdapLoginId: DEMO_OWNER.email, password: DEMO_OWNER.password },
	});
	if (!login.ok()) throw new Error(`login failed: HTTP ${login.status()} ${await login.text()}`);
	const page = await context.newPage();
	await page.goto(`${instance.baseUrl}/workflow/${demo.workflow.id}`, {
		waitUntil: 'domcontentloaded',
		timeout: 60_000,
	});
	// The canvas is ready when our trigger node is drawn.
	await page
		.getByText(demo.trigger.name, { exact: true })
		.first()
		.waitFor({ state: 'visible', timeout: 60_000 });
	// Close pop-ups n8n may show on a first visit, then let the canvas settle.
	await page.keyboard.press('Escape').catch(() => {});
	await page.waitForTimeout(1500);
	// Fit the workflow to the view (keyboard shortcut "1" = zoom to fit).
	await page
		.locator('body')
		.click({ position: { x: 5, y: Number(values.height) / 2 } })
		.catch(() => {});
	await page.keyboard.press('1').catch(() => {});
	await page.waitForTimeout(1000);
	const out = path.resolve(ROOT, values.out);
	fs.mkdirSync(path.dirname(out), { recursive: true });
	await page.screenshot({ path: out });
	log(`saved ${path.relative(ROOT, out)}`);
	if (values['node-out']) {
		// The trigger's settings panel: production URL, authentication, options.
		try {
			await page.keyboard.press('Escape');
			const node = page.locator('.vue-flow__node', { hasText: demo.trigger.name }).first();
			const box = await node.boundingBox();
			if (!box) throw new Error('trigger node not found on the canvas');
			await page.mouse.dblclick(box.x + box.width / 2, box.y + Math.min(box.height / 2, 40));
			await page
				.locator('[data-test-id="ndv"]')
				.first()
				.waitFor({ state: 'visible', timeout: 20_000 });
			// Show the production URL rather than the test URL, when n8n offers the switch.
			await page
				.getByText('Webhook URLs', { exact: false })
				.first()
				.click({ timeout: 3000 })
				.catch(() => {});
			await page
				.getByText('Production URL', { exact: true })
				.first()
				.click({ timeout: 3000 })
				.catch(() => {});
			await page.waitForTimeout(1500);
			const nodeOut = path.resolve(ROOT, values['node-out']);
			await page.screenshot({ path: nodeOut });
			log(`saved ${path.relative(ROOT, nodeOut)}`);
		} catch (error) {
			log(
				`could not open the trigger's panel for a second screenshot: ${error.message.split('\n')[0]}`,
			);
		}
	}
	await cleanup();
	browser = undefined;
	instance = undefined;
	process.exit(0);
} catch (error) {
	console.error(`screenshot failed: ${error.stack ?? error}`);
	if (instance) console.error(tailFile(instance.logFile, 20));
	await cleanup();
	process.exit(1);
}

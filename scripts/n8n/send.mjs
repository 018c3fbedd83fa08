#!/usr/bin/env node
// npm run send -- <source> [--url URL] [--secret S] [--id EVENT_ID] [--times N]
// Sends a correctly signed sample event of <source> to its demo workflow (npm start).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { authHeaders, signatureCore } from './lib/signing.mjs';
import { credentialOf, demoCredentials, listDemos, productionUrl } from './lib/demos.mjs';
import { sources } from './sources.mjs';

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		url: { type: 'string' },
		secret: { type: 'string' },
		id: { type: 'string' },
		times: { type: 'string', default: '1' },
		base: { type: 'string', default: 'http://127.0.0.1:5678' },
		help: { type: 'boolean', short: 'h' },
	},
});

const demos = listDemos();
const usage = `usage: npm run send -- <source> [--url URL] [--secret SECRET] [--id EVENT_ID] [--times N]
sources: ${demos.map((d) => d.source).join(', ')}
  --url     where to send (default: the demo workflow's production URL on ${values.base})
  --secret  the signing secret / token / password to use instead of the demo credential's
  --id      the event id (default: a new one; reuse one to see duplicate handling)
  --times   send the same delivery N times (retries: the 2nd and later get "duplicate")`;

if (values.help || positionals.length !== 1) {
	console.log(usage);
	process.exit(values.help ? 0 : 2);
}
const name = positionals[0];
const demo = demos.find((d) => d.source === name);
const source = sources[name];
if (!demo || !source) {
	console.error(
		`unknown source "${name}"${demo ? ' (no row in scripts/n8n/sources.mjs)' : ''}\n${usage}`,
	);
	process.exit(2);
}

const now = Date.now();
const id = values.id ?? `evt_${randomUUID()}`;
const sample = source.sample({ id, now });
const body = typeof sample === 'string' ? sample : JSON.stringify(sample);
const credential = { ...credentialOf(demo.trigger, demoCredentials()) };
if (values.secret)
	Object.assign(credential, {
		secret: values.secret,
		token: values.secret,
		password: values.secret,
	});

const url = values.url ?? productionUrl(values.base, demo.trigger);
const signed = source.sign
	? source.sign({ body, trigger: demo.trigger, credential, core: signatureCore(), id, now })
	: authHeaders({ parameters: demo.trigger.parameters, credential, body, overrides: { id } });
const headers = { 'content-type': 'application/json', ...(source.headers ?? {}), ...signed };

console.log(`POST ${url}`);
for (const [k, v] of Object.entries(headers)) console.log(`  ${k}: ${v}`);
console.log(`  body: ${body.length > 400 ? `${body.slice(0, 400)}…` : body}`);
let failed = false;
for (let i = 0; i < Math.max(1, Number(values.times) || 1); i++) {
	try {
		const res = await fetch(url, {
			method: 'POST',
			headers,
			body,
			signal: AbortSignal.timeout(30_000),
		});
		const text = await res.text();
		console.log(`-> ${res.status} ${text}`);
		if (res.status >= 300) failed = true;
	} catch (error) {
		console.error(
			`-> request failed: ${error.cause?.code ?? error.message} (is n8n running? npm start)`,
		);
		failed = true;
		break;
	}
}
process.exit(failed ? 1 : 0);

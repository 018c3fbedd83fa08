// Headers that authenticate a delivery to one of our triggers, computed with the package's own
// compiled core (dist/nodes/core/signature), so one code path signs (here) and verifies (in n8n).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './runtime.mjs';

const require = createRequire(import.meta.url);
let core;

/** The compiled signature module; fails with a clear message before `npm run build`. */
export function signatureCore() {
	if (core) return core;
	const file = path.join(ROOT, 'dist/nodes/core/signature/index.js');
	if (!fs.existsSync(file))
		throw new Error(`${path.relative(ROOT, file)} is missing: run npm run build first`);
	core = require(file);
	return core;
}

/**
 * Headers for the shared `authentication` setting of our triggers (none | headerToken |
 * basicAuth | hmac | standardWebhooks), read from the trigger node's parameters, and the
 * credential's data. `overrides` lets tests forge a case: {timestamp, id, secret, ...}.
 */
export function authHeaders({ parameters = {}, credential = {}, body, overrides = {} }) {
	const c = signatureCore();
	const scheme = overrides.scheme ?? parameters.authentication ?? 'none';
	const nowSeconds = Math.floor(Date.now() / 1000);
	const timestamp = String(overrides.timestamp ?? nowSeconds);
	switch (scheme) {
		case 'none':
			return {};
		case 'headerToken':
			return { [credential.headerName || 'x-webhook-token']: overrides.token ?? credential.token };
		case 'basicAuth':
			return {
				authorization: c.basicAuthHeader(
					overrides.user ?? credential.user,
					overrides.password ?? credential.password,
				),
			};
		case 'hmac': {
			const signedContent = parameters.hmacSignedContent || 'body';
			const headers = {
				[(parameters.hmacHeader || 'x-signature').toLowerCase()]: c.signGenericHmac({
					secret: overrides.secret ?? credential.secret,
					algorithm: parameters.hmacAlgorithm || 'sha256',
					encoding: parameters.hmacEncoding || 'hex',
					prefix: parameters.hmacPrefix ?? '',
					signedContent,
					body,
					timestamp,
				}),
			};
			if (signedContent === 'timestampDotBody')
				headers[(parameters.hmacTimestampHeader || 'x-timestamp').toLowerCase()] = timestamp;
			return headers;
		}
		case 'standardWebhooks': {
			const id = overrides.id ?? `msg_${randomUUID()}`;
			return c.standardWebhookHeaders(
				[overrides.secret ?? credential.secret],
				id,
				Number(timestamp),
				body,
			);
		}
		default:
			throw new Error(`Unknown authentication "${scheme}"`);
	}
}

// Lint config for `n8n-node lint` (eslint 9 flat config from @n8n/node-cli 0.48.3).
//
// configWithoutCloudSupport instead of the default `config`: the SSRF guard of the ATS Webhook
// node (nodes/core/delivery/address.ts) resolves the receiver's host name with `node:dns/promises`
// and classifies the addresses with `node:net` before anything is sent, so that a workflow cannot
// be pointed at 127.0.0.1, the cloud metadata address or a private network (CONTRIBUTING.md,
// "Design decisions"). Those imports are not on n8n Cloud's allow-list; this package is for
// self-hosted n8n. configWithoutCloudSupport differs from `config` only in dropping the
// no-restricted-imports and no-restricted-globals rules, so both are put back below for every
// other file: only address.ts may import node:dns/promises and node:net.
// `n8n.strict` is false in package.json because strict mode requires this file to be the
// unchanged default.
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	// Not part of the package: tests, dev scripts, the benchmark and the n8n cache. n8n's scanner
	// lints only package.json and {nodes,credentials}/**; tests and scripts legitimately use fs,
	// process and timers, which the node rules forbid. They are type-checked by `npm run typecheck`.
	{
		ignores: [
			'dist/**',
			'test/**',
			'scripts/**',
			'bench/**',
			'.cache/**',
			'docs/**',
			'**/*.js',
			'**/*.mjs',
		],
	},
	...configWithoutCloudSupport,
	{
		// The cloud rules, back on for all package code except the SSRF guard.
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		ignores: ['nodes/core/delivery/address.ts'],
		rules: {
			'@n8n/community-nodes/no-restricted-imports': 'error',
			'@n8n/community-nodes/no-restricted-globals': 'error',
		},
	},
	{
		// These three credentials hold secrets that a sender uses to sign or authenticate requests
		// TO this package's triggers (and that the ATS Webhook node uses towards the user's own
		// receiver). There is no vendor endpoint that could check them, so a `test` request would
		// prove nothing. What can be checked is checked where they are used: the trigger answers
		// 401 with a reason, the ATS Webhook node fails with a NodeOperationError naming the field.
		files: [
			'credentials/AtsWebhookSigningSecretApi.credentials.ts',
			'credentials/AtsWebhookHeaderTokenApi.credentials.ts',
			'credentials/AtsWebhookBasicAuthApi.credentials.ts',
		],
		rules: { '@n8n/community-nodes/credential-test-required': 'off' },
	},
	// One inline exception, not a rule switched off here: nodes/shared/redisDedup.ts has one
	// `require('ioredis')` with `eslint-disable-next-line @n8n/community-nodes/no-restricted-imports`.
	// The shared dedup store (queue mode, docs/queue-mode.md) uses the ioredis that n8n ships and puts
	// on NODE_PATH for community packages; it is not on the allow-list because n8n Cloud offers no
	// Redis. The package still has no runtime dependencies.
	{
		// AttemptError is the transport's internal signal to the retry loop (deliver.ts `describe()`
		// reads its outcome); it never leaves deliver(). The node boundary (runNode.ts) reports
		// failures as NodeOperationError or as items on the Failed output.
		files: ['nodes/AtsWebhook/transport.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// The Standard Webhooks verifier rethrows anything that is not a SignatureError (a bug, not
		// a bad request); the webhook adapter turns any throw into a 5xx so the sender retries.
		// The file belongs to the HMAC refactor in progress (issue 12) and is not changed here.
		files: ['nodes/core/signature/standardWebhooks.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// Warnings left on purpose (icon-prefer-themed-variants, 10 nodes): each icon is an opaque
		// coloured tile with a white mark, so it carries its own background and keeps its contrast
		// on n8n's light and dark canvas. Only the Lever tile was dark grey (low contrast on the
		// dark canvas); it has a lighter dark variant. The rest stay warnings until someone draws
		// dark variants.
		files: ['nodes/**/*.node.ts'],
		rules: { '@n8n/community-nodes/icon-prefer-themed-variants': 'warn' },
	},
];

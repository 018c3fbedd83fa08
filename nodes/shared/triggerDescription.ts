import type {
	INodeCredentialDescription,
	INodeProperties,
	IWebhookDescription,
} from 'n8n-workflow';
import {
	BASIC_AUTH_CREDENTIAL,
	HEADER_TOKEN_CREDENTIAL,
	REDIS_CREDENTIAL,
	SIGNING_SECRET_CREDENTIAL,
} from './credentialNames';

/**
 * Node UI pieces every trigger shares: the webhook registration, the authentication choice for
 * senders that do not sign, and the options collection (dedup, privacy, limits). Vendor nodes
 * compose these so the same setting has the same name and meaning everywhere.
 */

/**
 * Type versions of every webhook trigger. Version 2 behaves exactly like version 1 for the user; it
 * exists for speed: on every request to a start node of typeVersion 1, n8n evaluates the expression
 * `$parameter["options"]["binaryData"]` (webhook-helpers.ts parseRequestBody), and an expression
 * takes an isolate of n8n's expression engine, which is then replaced (docs/running-fast.md).
 * Workflows saved with version 1 keep working as they are; new nodes are version 2.
 */
export const TRIGGER_VERSIONS = [1, 2];
export const TRIGGER_DEFAULT_VERSION = 2;

/**
 * POST for deliveries; GET registered as well so a browser or vendor URL check gets a clear answer.
 * For a delivery that starts an execution, n8n answers after storing it (docs/durability.md) and,
 * because `responseData` is empty, with the reply body webhook() returns as `webhookResponse`. Its
 * status is n8n's default 200, turned into the node's accepted status (202 for SmartRecruiters, or
 * the Response Code option) as n8n writes the answer (nodes/shared/webhookAdapter.ts). No
 * expressions here: n8n evaluates these fields on every request, duplicates included, and an
 * expression needs the expression isolate.
 */
export const triggerWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: 'webhook',
	},
	{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
];

/**
 * Shown (and required) when the Options collection has Deduplicate Across n8n Processes on. Triggers
 * with a credential list of their own write the entry out (`{ name: 'atsWebhookRedisApi', required:
 * true, testedBy: 'atsWebhookRedisTest', displayOptions: sharedDedupCredentialDisplay }`): n8n-node
 * lint's credential-test-required reads `testedBy` from node files, and its older rules cannot read a
 * spread element in a credentials array. The others get `sharedDedupCredential` through
 * authCredentials or registration.ts. Every trigger has `methods.credentialTest.atsWebhookRedisTest`.
 */
export const sharedDedupCredentialDisplay = { show: { 'options.sharedDedup': [true] } };

/** The same entry for triggers whose credentials come from a shared list (authCredentials, registration.ts). */
export const sharedDedupCredential: INodeCredentialDescription = {
	name: REDIS_CREDENTIAL,
	required: true,
	testedBy: 'atsWebhookRedisTest',
	displayOptions: sharedDedupCredentialDisplay,
};

export const authCredentials: INodeCredentialDescription[] = [
	{
		name: HEADER_TOKEN_CREDENTIAL,
		required: true,
		displayOptions: { show: { authentication: ['headerToken'] } },
	},
	{
		name: BASIC_AUTH_CREDENTIAL,
		required: true,
		displayOptions: { show: { authentication: ['basicAuth'] } },
	},
	{
		name: SIGNING_SECRET_CREDENTIAL,
		required: true,
		displayOptions: { show: { authentication: ['hmac', 'standardWebhooks'] } },
	},
	sharedDedupCredential,
];

/** Authentication for senders without a scheme of their own; every such trigger defaults to None. */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'Basic Auth',
			value: 'basicAuth',
			description: 'HTTP Basic auth: user and password in the URL or header',
		},
		{
			name: 'Header Token',
			value: 'headerToken',
			description: 'The sender puts a shared token in a header',
		},
		{
			name: 'HMAC Signature',
			value: 'hmac',
			description: 'The sender signs the raw body with a shared secret (HMAC)',
		},
		{ name: 'None', value: 'none', description: 'Anyone who knows the URL can send events' },
		{
			name: 'Standard Webhooks',
			value: 'standardWebhooks',
			description:
				'Signed webhook-ID, webhook-timestamp and webhook-signature headers (Svix compatible)',
		},
	],
	default: 'none',
	description:
		'How the trigger checks that a delivery really comes from your sender. Failed checks get 401 and start no workflow.',
};

/** Shown when authentication is None: the secret URL is the only protection. */
export const unprotectedNotice: INodeProperties = {
	displayName:
		'Without authentication, anyone who learns this URL can start the workflow. Treat the production URL as a secret, or choose Header Token or Basic Auth and add the same value in your ATS webhook settings (most ATSs accept a URL with user:password or a custom header).',
	name: 'unprotectedNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: ['none'] } },
};

export const hmacProperties: INodeProperties[] = [
	{
		displayName: 'Signature Header',
		name: 'hmacHeader',
		type: 'string',
		default: 'x-signature',
		required: true,
		description: 'Header that carries the signature, as your sender documents it',
		displayOptions: { show: { authentication: ['hmac'] } },
	},
	{
		displayName: 'Algorithm',
		name: 'hmacAlgorithm',
		type: 'options',
		options: [
			{ name: 'SHA-256', value: 'sha256' },
			{ name: 'SHA-1', value: 'sha1' },
			{ name: 'SHA-512', value: 'sha512' },
		],
		default: 'sha256',
		displayOptions: { show: { authentication: ['hmac'] } },
	},
	{
		displayName: 'Encoding',
		name: 'hmacEncoding',
		type: 'options',
		options: [
			{ name: 'Hex', value: 'hex' },
			{ name: 'Base64', value: 'base64' },
			{ name: 'Base64 URL-Safe', value: 'base64url' },
		],
		default: 'hex',
		displayOptions: { show: { authentication: ['hmac'] } },
	},
	{
		displayName: 'Signature Prefix',
		name: 'hmacPrefix',
		type: 'string',
		default: '',
		placeholder: 'sha256=',
		description: 'Text before the signature in the header, if any (for example sha256=)',
		displayOptions: { show: { authentication: ['hmac'] } },
	},
	{
		displayName: 'Signed Content',
		name: 'hmacSignedContent',
		type: 'options',
		options: [
			{ name: 'Raw Body', value: 'body', description: 'HMAC over the exact body bytes' },
			{
				name: 'Timestamp.Body',
				value: 'timestampDotBody',
				description:
					'HMAC over "&lt;timestamp&gt;.&lt;body&gt;", with a replay window on the timestamp',
			},
		],
		default: 'body',
		displayOptions: { show: { authentication: ['hmac'] } },
	},
	{
		displayName: 'Timestamp Header',
		name: 'hmacTimestampHeader',
		type: 'string',
		default: 'x-timestamp',
		description: 'Header with the Unix timestamp that is signed together with the body',
		displayOptions: { show: { authentication: ['hmac'], hmacSignedContent: ['timestampDotBody'] } },
	},
];

/** The options collection; vendors pass the extra options they need. */
export function triggerOptions(
	extra: INodeProperties[] = [],
	acceptedStatusDefault = 200,
	{ signsTimestamp = true }: { signsTimestamp?: boolean } = {},
): INodeProperties {
	// Without a signed timestamp (Greenhouse, Ashby, Workable) the Replay Window would do nothing: not shown.
	const common = commonOptions(acceptedStatusDefault).filter(
		(option) => signsTimestamp || option.name !== 'toleranceSeconds',
	);
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...extra, ...common].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

function commonOptions(acceptedStatusDefault: number): INodeProperties[] {
	return [
		{
			displayName: 'Dedup Window (Events)',
			name: 'dedupWindow',
			type: 'number',
			typeOptions: { minValue: 10, maxValue: 100000 },
			default: 1000,
			description:
				'How many recent event keys are remembered across restarts (about 19 bytes each in workflow static data)',
		},
		{
			// The shared dedup store (docs/queue-mode.md). Each trigger lists the Redis credential
			// (atsWebhookRedisApi, shown when this is on) and its test, atsWebhookRedisTest.
			displayName: 'Deduplicate Across Processes (Redis)',
			name: 'sharedDedup',
			type: 'boolean',
			default: false,
			description:
				'Whether to claim each event in Redis as well, so that in queue mode (several webhook processes) a delivery and its copies start one execution. Needs a Redis credential; while Redis cannot be reached, deliveries get 503 and the sender retries.',
		},
		{
			displayName: 'Redis Dedup Window (Hours)',
			name: 'sharedDedupHours',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 720 },
			default: 72,
			description:
				'How long Redis remembers an event after its execution was stored (about 100 bytes per event)',
			displayOptions: { show: { sharedDedup: [true] } },
		},
		{
			displayName: 'Deduplicate Deliveries',
			name: 'dedup',
			type: 'boolean',
			default: true,
			description:
				'Whether to drop repeated deliveries of the same event (vendor retries). Duplicates get 200 and start no workflow.',
		},
		{
			displayName: 'Emit Test Events',
			name: 'emitTestEvents',
			type: 'boolean',
			default: false,
			description:
				'Whether vendor pings and test calls start the workflow (as event "test"). Off: they are answered and ignored.',
		},
		{
			displayName: 'Max Body Size (MiB)',
			name: 'maxBodySizeMiB',
			type: 'number',
			typeOptions: { minValue: 0.001, maxValue: 16, numberPrecision: 3 },
			default: 5,
			description:
				'Larger deliveries get 413. n8n itself refuses bodies above N8N_PAYLOAD_SIZE_MAX (16 MiB by default).',
		},
		{
			displayName: 'Privacy: Drop Personal Data',
			name: 'privacy',
			type: 'boolean',
			default: false,
			description:
				'Whether to remove names, emails, phones, addresses, attachments and free text from the output, keeping IDs (GDPR data minimisation)',
		},
		{
			displayName: 'Replay Window (Seconds)',
			name: 'toleranceSeconds',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 3600 },
			default: 300,
			description:
				'For signed timestamps: how far the timestamp may be from now, in either direction. 0 turns the check off.',
		},
		{
			displayName: 'Response Code',
			name: 'responseCode',
			type: 'number',
			typeOptions: { minValue: 200, maxValue: 299 },
			default: acceptedStatusDefault,
			description: 'HTTP status for accepted deliveries',
		},
	];
}

import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import {
	BASIC_AUTH_CREDENTIAL,
	HEADER_TOKEN_CREDENTIAL,
	SIGNING_SECRET_CREDENTIAL,
} from '../shared/credentialNames';
import { hmacProperties } from '../shared/triggerDescription';

/**
 * The ATS Webhook node's parameters. Authentication uses the triggers' names, values, defaults
 * and credentials (`authentication`, `hmacHeader`, ...), so one setup on both sides matches.
 */
export const credentials: INodeCredentialDescription[] = [
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
];

const exportOnly = { show: { operation: ['exportCandidates'] } };
const eventOnly = { show: { operation: ['sendEvent'] } };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Export Candidates',
				value: 'exportCandidates',
				description: 'Send all input items as one JSON request (split only above the limits)',
				action: 'Export candidates as one request',
			},
			{
				name: 'Send Event',
				value: 'sendEvent',
				description:
					"Send one webhook event per input item, in Standard Webhooks or a seed vendor's format",
				action: 'Send an event per item',
			},
		],
		default: 'exportCandidates',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://hr.example.com/webhooks/candidates',
		description:
			'Where to send. Redirects are not followed; cloud-metadata and link-local addresses are refused. The same URL is used for every item of a run.',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'Basic Auth',
				value: 'basicAuth',
				description: 'Send a user and password (HTTP Basic)',
			},
			{
				name: 'Header Token',
				value: 'headerToken',
				description: 'Send a shared token in a header',
			},
			{
				name: 'HMAC Signature',
				value: 'hmac',
				description: 'Sign the exact body with a shared secret (HMAC header)',
			},
			{
				name: 'None',
				value: 'none',
				description: 'Send unsigned; only the URL protects the receiver',
			},
			{
				name: 'Standard Webhooks',
				value: 'standardWebhooks',
				description:
					'Signed webhook-ID, webhook-timestamp and webhook-signature headers (Svix compatible)',
			},
		],
		default: 'none',
		description:
			'How the receiver can tell the request is yours. Pick the same choice and credential as on the receiving trigger.',
	},
	...hmacProperties,

	// Export Candidates
	{
		displayName: 'Body Format',
		name: 'bodyFormat',
		type: 'options',
		displayOptions: exportOnly,
		options: [
			{
				name: 'Envelope (talentATS Style)',
				value: 'envelope',
				description: 'Event name, batch ID, export time, counts, then the candidates array',
			},
			{ name: 'Plain Array', value: 'array', description: 'Just the candidates, as a JSON array' },
			{
				name: 'Array Under a Field',
				value: 'field',
				description: 'An object with the candidates under a field name you choose',
			},
		],
		default: 'envelope',
	},
	{
		displayName: 'Event Name',
		name: 'eventName',
		type: 'string',
		default: 'candidate.exported',
		displayOptions: { show: { operation: ['exportCandidates'], bodyFormat: ['envelope'] } },
		description: 'The "event" field of the envelope',
	},
	{
		displayName: 'Field Name',
		name: 'fieldName',
		type: 'string',
		default: 'candidates',
		displayOptions: { show: { operation: ['exportCandidates'], bodyFormat: ['field'] } },
		description: 'The field that holds the candidates array',
	},
	{
		displayName: 'Candidate Fields',
		name: 'candidateFields',
		type: 'options',
		displayOptions: exportOnly,
		options: [
			{ name: 'All Item Fields', value: 'all', description: 'Send each item as it is' },
			{ name: 'Selected Fields', value: 'selected', description: 'Send only the fields you list' },
			{
				name: 'Mapped Fields',
				value: 'mapped',
				description: 'Build each candidate from names and values (expressions)',
			},
		],
		default: 'all',
	},
	{
		displayName: 'Fields to Send',
		name: 'fields',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'first_name, last_name, email, profile.phone',
		displayOptions: { show: { operation: ['exportCandidates'], candidateFields: ['selected'] } },
		description: 'Comma-separated field names; dot notation keeps nesting (profile.email)',
	},
	{
		displayName: 'Candidate Mapping',
		name: 'mapping',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { operation: ['exportCandidates'], candidateFields: ['mapped'] } },
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'email' },
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: '={{ $json.email }}',
					},
				],
			},
		],
	},
	{
		displayName: 'Required Fields',
		name: 'requiredFields',
		type: 'string',
		default: '',
		placeholder: 'email, last_name',
		displayOptions: exportOnly,
		description:
			'Comma-separated fields every candidate must have (checked after mapping). Candidates without them go to the Failed output with the reason; the rest are sent.',
	},
	{
		displayName: 'Email Fields',
		name: 'emailFields',
		type: 'string',
		default: '',
		placeholder: 'email',
		displayOptions: exportOnly,
		description: 'Comma-separated fields that must hold a valid email address when present',
	},
	{
		displayName: 'Candidate ID Field',
		name: 'idField',
		type: 'string',
		default: 'id',
		displayOptions: exportOnly,
		description:
			'Where the candidate ID is (dot notation), to list the IDs each request carried in the Delivered output',
	},
	{
		displayName: 'Max Candidates per Request',
		name: 'maxCandidates',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1000,
		displayOptions: exportOnly,
		description:
			'A larger batch is split into several complete requests, each with its index and the batch total',
	},
	{
		displayName: 'Max Request Size (KiB)',
		name: 'maxRequestKiB',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 102400 },
		default: 5120,
		displayOptions: exportOnly,
		description:
			'Upper limit of one request body, envelope included. Our triggers accept 5 MiB by default; a single candidate larger than this goes to the Failed output.',
	},

	// Send Event
	{
		displayName: 'Event Format',
		name: 'eventFormat',
		type: 'options',
		displayOptions: eventOnly,
		options: [
			{
				name: 'Human Sourcing',
				value: 'humanSourcing',
				description: 'JSON array of {event, type, data}',
			},
			{
				name: 'Standard Webhooks',
				value: 'standardWebhooks',
				description: '{type, timestamp, data}',
			},
			{
				name: 'talentATS Export',
				value: 'talentAts',
				description: '{event, batch_id, exported_at, count, candidates}',
			},
			{
				name: 'Viasto Interview Suite',
				value: 'viasto',
				description: '{endpoint, time, event, data}, User-Agent "interview suite webhook"',
			},
		],
		default: 'standardWebhooks',
	},
	{
		displayName: 'Event Type',
		name: 'eventType',
		type: 'string',
		default: 'candidate.updated',
		displayOptions: { show: { operation: ['sendEvent'], eventFormat: ['standardWebhooks'] } },
		description:
			'The "type" field, full-stop separated (candidate.created, application.stage_changed, ...)',
	},
	{
		displayName: 'Event',
		name: 'viastoEvent',
		type: 'options',
		displayOptions: { show: { operation: ['sendEvent'], eventFormat: ['viasto'] } },
		options: [
			{ name: 'Answer Video Changed', value: 'answervideo_changed' },
			{ name: 'Candidate Changed', value: 'candidate_changed' },
			{ name: 'Note Changed', value: 'note_changed' },
			{ name: 'Project Changed', value: 'project_changed' },
			{ name: 'Rating Changed', value: 'rating_changed' },
		],
		default: 'candidate_changed',
	},
	{
		displayName: 'Event',
		name: 'humanSourcingEvent',
		type: 'options',
		displayOptions: { show: { operation: ['sendEvent'], eventFormat: ['humanSourcing'] } },
		options: [
			{ name: 'Creation', value: 'creation' },
			{ name: 'Delete', value: 'delete' },
			{ name: 'Update', value: 'update' },
		],
		default: 'update',
	},
	{
		displayName: 'Object Type',
		name: 'humanSourcingType',
		type: 'options',
		displayOptions: { show: { operation: ['sendEvent'], eventFormat: ['humanSourcing'] } },
		options: [
			{ name: 'Candidate', value: 'candidate' },
			{ name: 'Job', value: 'job' },
		],
		default: 'candidate',
	},
	{
		displayName: 'All Items in One Request',
		name: 'groupInOneRequest',
		type: 'boolean',
		default: false,
		displayOptions: { show: { operation: ['sendEvent'], eventFormat: ['humanSourcing'] } },
		description:
			'Whether to send all items as one Human Sourcing array instead of one request per item',
	},
	{
		displayName: 'Data',
		name: 'dataSource',
		type: 'options',
		displayOptions: eventOnly,
		options: [
			{ name: 'Whole Item', value: 'item', description: "The input item's JSON is the event data" },
			{ name: 'JSON', value: 'json', description: 'Write the data as JSON (expressions allowed)' },
		],
		default: 'item',
	},
	{
		displayName: 'Data (JSON)',
		name: 'dataJson',
		type: 'json',
		default: '{}',
		displayOptions: { show: { operation: ['sendEvent'], dataSource: ['json'] } },
	},

	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batch ID',
				name: 'batchId',
				type: 'string',
				default: '',
				description:
					'Your own batch ID (for example the export ID of your ATS). Requests get the idempotency keys "&lt;batch ID&gt;:&lt;index&gt;". Empty: derived as set in Idempotency Keys From.',
			},
			{
				displayName: 'Block Private Networks',
				name: 'blockPrivateNetworks',
				type: 'boolean',
				default: false,
				description:
					'Whether to refuse loopback, private (RFC 1918), CGNAT and unique-local IPv6 addresses too. Cloud-metadata and link-local addresses are always refused.',
			},
			{
				displayName: 'Idempotency Keys From',
				name: 'keySource',
				type: 'options',
				options: [
					{
						name: 'Execution',
						value: 'execution',
						description: 'New keys for every execution; retries inside this run reuse them',
					},
					{
						name: 'Content',
						value: 'content',
						description:
							'The same candidates give the same key, so re-sending them (a re-run, the Failed output) is dropped by the receiver',
					},
				],
				default: 'execution',
			},
			{
				displayName: 'Initial Retry Delay (Ms)',
				name: 'initialDelayMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1000,
				description:
					'Wait before the first retry; it doubles with each retry (±20% jitter), up to 30 seconds',
			},
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: 5,
				description:
					'Attempts per request in all, the first included. Network errors, 408, 429 and 5xx are retried; other 4xx fail at once.',
			},
			{
				displayName: 'Max Retry-After Wait (Seconds)',
				name: 'retryAfterCapSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description: "A receiver's Retry-After header is honoured up to this wait",
			},
			{
				displayName: 'Require HTTPS',
				name: 'requireHttps',
				type: 'boolean',
				default: false,
				description: 'Whether to refuse plain http:// URLs',
			},
			{
				displayName: 'Time Budget (Seconds)',
				name: 'budgetSeconds',
				type: 'number',
				typeOptions: { minValue: 0.1, numberPrecision: 1 },
				default: 120,
				description:
					'Time for all requests of the run, retries and waits included. What is not delivered by then goes to the Failed output.',
			},
			{
				displayName: 'Timeout per Attempt (Ms)',
				name: 'timeoutMs',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30000,
				description: 'How long one attempt may wait for the answer',
			},
		],
	},
];

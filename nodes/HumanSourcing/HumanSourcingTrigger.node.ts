import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { parseEventList, readAuthSettings, readCommonSettings } from '../shared/readSettings';
import {
	TRIGGER_DEFAULT_VERSION,
	TRIGGER_VERSIONS,
	authCredentials,
	authenticationProperty,
	hmacProperties,
	triggerOptions,
	triggerWebhooks,
} from '../shared/triggerDescription';
import { recordDeliveries } from '../shared/recordDeliveries';
import { atsWebhookRedisTest } from '../shared/redisDedup';
import { handleWebhook } from '../shared/webhookAdapter';
import { humanSourcingEventFilter, humanSourcingSource } from './humanSourcingSource';

export class HumanSourcingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Human Sourcing Trigger',
		name: 'humanSourcingTrigger',
		icon: 'file:humanSourcing.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle: '={{($parameter["types"] || []).join(" + ") || "jobs + candidates"}}',
		description:
			'Starts the workflow when a job or candidate is created, updated or deleted in Human Sourcing',
		defaults: { name: 'Human Sourcing Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: authCredentials,
		webhooks: triggerWebhooks,
		properties: [
			{
				displayName:
					'Give Human Sourcing the Production URL as your job endpoint, your candidate endpoint, or both (one URL is fine; pick the types below). Every element of the array it sends becomes one item.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			{
				displayName:
					'Human Sourcing does not sign webhooks. Without authentication, anyone who learns this URL can start the workflow: keep the Production URL secret, or choose Basic Auth or Header Token if Human Sourcing can send credentials with its calls.',
				name: 'unprotectedNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['none'] } },
			},
			...hmacProperties,
			{
				displayName: 'Types',
				name: 'types',
				type: 'multiOptions',
				options: [
					{
						name: 'Candidate',
						value: 'candidate',
						description: 'Elements with type "candidate" (candidate.created/updated/deleted)',
					},
					{
						name: 'Job',
						value: 'job',
						description: 'Elements with type "job" (job.created/updated/deleted)',
					},
				],
				default: ['candidate', 'job'],
				description:
					'Which endpoint this URL serves. Elements of other types get 200 and start nothing.',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Creation', value: 'creation' },
					{ name: 'Delete', value: 'delete' },
					{ name: 'Update', value: 'update' },
				],
				default: ['creation', 'update', 'delete'],
				description: 'Which events start the workflow',
			},
			triggerOptions([
				{
					displayName: 'Emit Batch as One Item',
					name: 'batchAsOneItem',
					type: 'boolean',
					default: false,
					description:
						'Whether to output an array of several elements as one item holding all events instead of one item per element',
				},
			]),
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Read inside the adapter's guard: a missing credential is a 503 + Retry-After, never a throw.
		// Privacy is the core's: it keeps Human Sourcing's numeric-string ids and attachment/form ids.
		return handleWebhook(this, humanSourcingSource, async () => {
			const events = humanSourcingEventFilter(
				parseEventList(this.getNodeParameter('types', [])),
				parseEventList(this.getNodeParameter('events', [])),
			);
			return readCommonSettings(this, events, await readAuthSettings(this));
		});
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

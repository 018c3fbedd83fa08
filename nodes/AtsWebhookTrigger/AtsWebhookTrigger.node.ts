import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { readAuthSettings, readCommonSettings, parseEventList } from '../shared/readSettings';
import {
	TRIGGER_DEFAULT_VERSION,
	TRIGGER_VERSIONS,
	authCredentials,
	authenticationProperty,
	hmacProperties,
	triggerOptions,
	triggerWebhooks,
	unprotectedNotice,
} from '../shared/triggerDescription';
import { recordDeliveries } from '../shared/recordDeliveries';
import { atsWebhookRedisTest } from '../shared/redisDedup';
import { handleWebhook } from '../shared/webhookAdapter';
import { genericSource, type GenericSettings } from './genericSource';

export class AtsWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ATS Webhook Trigger',
		name: 'atsWebhookTrigger',
		icon: 'file:atsWebhook.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle: '={{"auth: " + $parameter["authentication"]}}',
		description:
			'Receive webhooks from any ATS: verified, deduplicated, one canonical event per item',
		defaults: { name: 'ATS Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: authCredentials,
		webhooks: triggerWebhooks,
		properties: [
			{
				displayName:
					'Paste the Production URL into your ATS webhook settings and publish this workflow. Events arrive as one item each, in the canonical event shape; the vendor payload is under "payload".',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			unprotectedNotice,
			...hmacProperties,
			{
				displayName: 'Events',
				name: 'events',
				type: 'string',
				default: '',
				placeholder: 'candidate.created, application.stage_changed',
				description:
					"Comma-separated event names to accept: the sender's own names or canonical ones. Others get 200 and start nothing. Empty: all events.",
			},
			{
				displayName: 'Event Name Path',
				name: 'eventPath',
				type: 'string',
				default: '',
				placeholder: 'type',
				description:
					'Where the event name sits in the body (dot notation). Empty: type, event, event_type, action and similar are tried.',
			},
			{
				displayName: 'Event ID Path',
				name: 'eventIdPath',
				type: 'string',
				default: '',
				placeholder: 'event_id',
				description:
					'Where a unique event ID sits, for deduplication. Empty: event_id/eventId, else a delivery header (webhook-ID, Idempotency-Key, …), else a hash of the body.',
			},
			{
				displayName: 'Batch Array Path',
				name: 'batchPath',
				type: 'string',
				default: '',
				placeholder: 'candidates',
				description:
					'Where an array of events or candidates sits; each element becomes one item. Empty: a top-level array is split, an object is one event.',
			},
			triggerOptions([
				{
					displayName: 'Emit Batch as One Item',
					name: 'batchAsOneItem',
					type: 'boolean',
					default: false,
					description:
						'Whether to output a batch as one item holding all events instead of one item per event',
				},
			]),
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(
			this,
			genericSource,
			async (): Promise<GenericSettings> => ({
				...readCommonSettings(
					this,
					parseEventList(this.getNodeParameter('events', '')),
					await readAuthSettings(this),
				),
				eventPath: (this.getNodeParameter('eventPath', '') as string).trim(),
				eventIdPath: (this.getNodeParameter('eventIdPath', '') as string).trim(),
				batchPath: (this.getNodeParameter('batchPath', '') as string).trim(),
			}),
		);
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { SIGNING_SECRET_CREDENTIAL } from '../shared/credentialNames';
import { parseEventList, readCommonSettings, readSigningSecrets } from '../shared/readSettings';
import { manualSetupNotice } from '../shared/registration';
import {
	sharedDedupCredentialDisplay,
	TRIGGER_DEFAULT_VERSION,
	TRIGGER_VERSIONS,
	triggerOptions,
	triggerWebhooks,
} from '../shared/triggerDescription';
import { recordDeliveries } from '../shared/recordDeliveries';
import { atsWebhookRedisTest } from '../shared/redisDedup';
import { handleWebhook } from '../shared/webhookAdapter';
import { APIDECK_EVENTS, apideckAtsSource } from './apideckAtsSource';

export class ApideckAtsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Apideck ATS Trigger',
		name: 'apideckAtsTrigger',
		icon: 'file:apideck.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description:
			'Receive Apideck ATS webhooks for any ATS Apideck connects, signature-checked and deduplicated, as canonical events',
		defaults: { name: 'Apideck ATS Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: SIGNING_SECRET_CREDENTIAL, required: true },
			{
				name: 'atsWebhookRedisApi',
				required: true,
				testedBy: 'atsWebhookRedisTest',
				displayOptions: sharedDedupCredentialDisplay,
			},
		],
		webhooks: triggerWebhooks,
		properties: [
			manualSetupNotice(
				'In the Apideck dashboard: Unify → Webhooks → add a webhook for the ATS API with the Production URL and the events. Apideck signs every delivery with your Apideck API key: put that key in this node\'s credential (Secret). Each event names the real ATS as "integration" (service_id) and links the record (entity_url).',
			),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: APIDECK_EVENTS.map((e) => ({ name: e, value: e })),
				default: [],
				description:
					'Apideck events to start the workflow; others get 200 and start nothing. Empty: every event Apideck sends.',
			},
			// Apideck signs no timestamp, so there is no Replay Window option.
			triggerOptions([], 200, { signsTimestamp: false }),
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Settings are read inside the adapter's error guard: a missing credential gets a 503 + Retry-After, not a throw.
		return handleWebhook(this, apideckAtsSource, async () =>
			readCommonSettings(this, parseEventList(this.getNodeParameter('events', [])), {
				scheme: 'vendor',
				secrets: await readSigningSecrets(this),
				toleranceSeconds: 0,
			}),
		);
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

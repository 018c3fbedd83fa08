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
import {
	parseEventList,
	readCommonSettings,
	readSigningSecrets,
	toleranceOf,
} from '../shared/readSettings';
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
import { BAMBOOHR_EVENTS, bambooHrSource } from './bambooHrSource';

export class BambooHrTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BambooHR Trigger',
		name: 'bambooHrTrigger',
		icon: 'file:bamboohr.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description:
			'Receive BambooHR employee webhooks, signature- and timestamp-checked and deduplicated',
		defaults: { name: 'BambooHR Trigger' },
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
				"In BambooHR: Settings → Webhooks → Add Webhook: the Production URL, format JSON, the fields to monitor and to post. Under Private Key click Generate and copy the key into this node's credential (Secret). These are employee (HR) events; BambooHR's ATS has no webhooks.",
			),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: BAMBOOHR_EVENTS.map((e) => ({
					name: e.name,
					value: e.value,
					description: e.description,
				})),
				default: [],
				description:
					'BambooHR events that start the workflow; others get 200 and start nothing. Empty: every event.',
			},
			// BambooHR signs a timestamp: the Replay Window option applies.
			triggerOptions([], 200),
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Settings are read inside the adapter's error guard: a missing credential gets a 503 + Retry-After, not a throw.
		return handleWebhook(this, bambooHrSource, async () =>
			readCommonSettings(this, parseEventList(this.getNodeParameter('events', [])), {
				scheme: 'vendor',
				secrets: await readSigningSecrets(this),
				toleranceSeconds: toleranceOf(this),
			}),
		);
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

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
import { RECRUITEE_EVENTS } from './recruiteeEvents';
import { recruiteeSource } from './recruiteeSource';

// Recruitee counts only 200 as delivered (docs.recruitee.com/docs/webhooks): no Response Code option.
const options = triggerOptions([], 200, { signsTimestamp: false });
options.options = (options.options ?? []).filter(
	(option) => !('name' in option) || option.name !== 'responseCode',
);

export class RecruiteeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Recruitee Trigger',
		name: 'recruiteeTrigger',
		icon: 'file:recruitee.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description:
			'Receive Recruitee webhooks, signature-checked and deduplicated, as canonical events',
		defaults: { name: 'Recruitee Trigger' },
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
				'Recruitee has no API to register webhooks. In Recruitee: Settings → Apps and Plugins → Webhooks → + New webhook: paste the Production URL as POST URL, pick the events, and copy the secret the dialog shows into this node\'s credential (Secret). Publish this workflow before you click Verify and create: Recruitee sends {"test":true} and needs a 200.',
			),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: RECRUITEE_EVENTS.map((e) => ({
					name: e.name,
					value: e.value,
					description: `${e.value} → ${e.event}`,
				})),
				default: [],
				description:
					'Recruitee events to start the workflow; others get 200 and start nothing. Empty: every event the Recruitee webhook sends. Canonical names (application.rejected) filter too.',
			},
			// Recruitee signs no timestamp, so there is no Replay Window option.
			options,
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Settings are read inside the adapter's error guard: a missing credential gets a 503 + Retry-After, not a throw.
		return handleWebhook(this, recruiteeSource, async () => ({
			...readCommonSettings(this, parseEventList(this.getNodeParameter('events', [])), {
				scheme: 'vendor',
				secrets: await readSigningSecrets(this),
				toleranceSeconds: 0,
			}),
			// Only 200 counts as delivered, whatever an older saved workflow says.
			responseCode: 0,
		}));
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

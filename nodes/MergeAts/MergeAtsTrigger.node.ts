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
import { MERGE_EVENTS, mergeAtsSource } from './mergeAtsSource';

export class MergeAtsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Merge ATS Trigger',
		name: 'mergeAtsTrigger',
		icon: 'file:merge.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description:
			'Receive Merge (merge.dev) ATS webhooks for any ATS Merge connects, signature-checked and deduplicated, as canonical events',
		defaults: { name: 'Merge ATS Trigger' },
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
				'In the Merge dashboard: Webhooks → add an endpoint with the Production URL and pick the ATS data events (for example Candidate changed, Application changed). Copy the webhook signature key (Webhooks → Security) into this node\'s credential (Secret). Each event carries the real ATS name as "integration".',
			),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: MERGE_EVENTS.map((e) => ({ name: e.replace('.', ' '), value: e })),
				default: [],
				description:
					'Merge events to start the workflow; others (sync and linked-account events too) get 200 and start nothing. Empty: every event Merge sends.',
			},
			// Merge signs no timestamp, so there is no Replay Window option.
			triggerOptions([], 200, { signsTimestamp: false }),
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Settings are read inside the adapter's error guard: a missing credential gets a 503 + Retry-After, not a throw.
		return handleWebhook(this, mergeAtsSource, async () =>
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

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
import { GREENHOUSE_ACTIONS } from './greenhouseEvents';
import { greenhouseSource } from './greenhouseSource';

export class GreenhouseTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Greenhouse Trigger',
		name: 'greenhouseTrigger',
		icon: 'file:greenhouse.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description:
			'Receive Greenhouse web hooks, signature-checked and deduplicated, as canonical events',
		defaults: { name: 'Greenhouse Trigger' },
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
				'Greenhouse has no API to register web hooks, so set it up by hand: in Greenhouse go to Configure → Dev Center → Web Hooks → Web Hooks, create one web hook per event ("When"), paste the Production URL shown above as Endpoint URL, and type the same Secret Key as in this node\'s credential. Publish this workflow first: Greenhouse pings the URL when you save and disables the web hook if nobody answers.',
			),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: GREENHOUSE_ACTIONS.map((a) => ({
					name: a.name,
					value: a.action,
					description: `${a.action} → ${a.event}`,
				})).sort((a, b) => a.name.localeCompare(b.name)),
				default: [],
				description:
					'Greenhouse events to start the workflow. Others get 200 and start nothing. Empty: all events your Greenhouse web hooks send.',
			},
			// Greenhouse signs no timestamp, so there is no Replay Window option.
			triggerOptions([], 200, { signsTimestamp: false }),
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Settings are read inside the adapter's error guard: a missing credential gets a 503 + Retry-After, not a throw.
		return handleWebhook(this, greenhouseSource, async () =>
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

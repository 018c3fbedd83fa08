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
import { TEAMTAILOR_EVENTS } from './teamtailorEvents';
import { teamtailorSource, type TeamtailorSettings } from './teamtailorSource';

export class TeamtailorTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Teamtailor Trigger',
		name: 'teamtailorTrigger',
		icon: 'file:teamtailor.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description:
			'Receive Teamtailor company webhooks, signature-checked and deduplicated, as canonical events',
		defaults: { name: 'Teamtailor Trigger' },
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
				"Teamtailor has no API to register webhooks, and Teamtailor switches the feature on per company (ask integrations@teamtailor.com). Then in Teamtailor: Settings → Integrations → Webhooks → Add webhook: paste the Production URL, pick the events, choose signature v2, and copy the generated signature key into this node's credential (Secret). Teamtailor does not retry a failed delivery: keep this workflow published.",
			),
			{
				displayName: 'Signature Version',
				name: 'signatureVersion',
				type: 'options',
				options: [
					{
						name: 'V2 (Recommended)',
						value: 'v2',
						description:
							'Timestamp and HMAC of the whole body; replays outside the Replay Window are refused',
					},
					{
						name: 'V1 (Deprecated)',
						value: 'v1',
						description: 'HMAC of the resource ID only: the rest of the body is not protected',
					},
				],
				default: 'v2',
				description: 'The signature version chosen in the Teamtailor webhook settings',
			},
			{
				displayName:
					'V1 signs only the resource ID, nothing else of the body: anyone who has seen one delivery can send a different body for that ID and it will verify. Teamtailor has deprecated v1; switch the webhook to v2 in Teamtailor and here.',
				name: 'v1Warning',
				type: 'notice',
				default: '',
				displayOptions: { show: { signatureVersion: ['v1'] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: TEAMTAILOR_EVENTS.map((e) => ({
					name: e.name,
					value: e.value,
					description: `${e.value} → ${e.event}`,
				})),
				default: [],
				description:
					'Teamtailor events to start the workflow; others get 200 and start nothing. Empty: every event the Teamtailor webhook sends.',
			},
			triggerOptions(),
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Settings are read inside the adapter's error guard: a missing credential gets a 503 + Retry-After, not a throw.
		return handleWebhook(
			this,
			teamtailorSource,
			async (): Promise<TeamtailorSettings> => ({
				...readCommonSettings(this, parseEventList(this.getNodeParameter('events', [])), {
					scheme: 'vendor',
					secrets: await readSigningSecrets(this),
					toleranceSeconds: toleranceOf(this),
				}),
				signatureVersion: this.getNodeParameter('signatureVersion', 'v2') === 'v1' ? 'v1' : 'v2',
			}),
		);
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

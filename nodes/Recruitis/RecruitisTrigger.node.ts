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
import { RECRUITIS_EVENTS, type RecruitisEvent } from './recruitisEvents';
import { recruitisSource, type RecruitisSettings } from './recruitisSource';

export class RecruitisTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Recruitis Trigger',
		name: 'recruitisTrigger',
		icon: 'file:recruitis.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all position events"}}',
		description:
			'Starts the workflow when a position is added, edited, opened, closed, archived, published or withdrawn in Recruitis',
		defaults: { name: 'Recruitis Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: authCredentials,
		webhooks: triggerWebhooks,
		properties: [
			{
				displayName:
					'In Recruitis open Settings → Webhooks, pick a webhook type, paste the Production URL, click Test, then Save. Recruitis takes one URL per type: paste the same URL for every type you want (add ?event=opened, ?event=closed … to each if the events arrive unnamed).',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			{
				displayName:
					'Recruitis does not sign webhooks. Without authentication, anyone who learns this URL can start the workflow: keep the Production URL secret, or choose Basic Auth and paste the URL with user:password@ in front of the host, if your Recruitis accepts such a URL.',
				name: 'unprotectedNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['none'] } },
			},
			...hmacProperties,
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: RECRUITIS_EVENTS.map((e) => ({
					name: e.label,
					value: e.canonical,
					description: `${e.description} (${e.canonical})`,
				})),
				default: [],
				description:
					'Position events that start the workflow. Others get 200 and start nothing. None selected: all events.',
			},
			{
				displayName: 'Event If Not Named',
				name: 'fallbackEvent',
				type: 'options',
				options: [
					{ name: 'Detect Only (Warn)', value: '' },
					...RECRUITIS_EVENTS.map((e) => ({ name: e.label, value: e.canonical })),
				],
				default: '',
				description:
					'The event to assume when neither the body nor the URL (?event=…) names one. Useful with one trigger per Recruitis webhook type. The item says so in "warnings".',
			},
			triggerOptions(),
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Read inside the adapter's guard: a missing credential is a 503 + Retry-After, never a throw.
		// The core handles the rest: a bodiless Test call is read as `{}` (the source's emptyBody), a
		// test call the user asked to see passes the event filter, and the channel is on the event.
		return handleWebhook(
			this,
			recruitisSource,
			async (): Promise<RecruitisSettings> => ({
				...readCommonSettings(
					this,
					parseEventList(this.getNodeParameter('events', [])),
					await readAuthSettings(this),
				),
				fallbackEvent: this.getNodeParameter('fallbackEvent', '') as RecruitisEvent | '',
			}),
		);
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

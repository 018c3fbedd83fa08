import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { readCommonSettings } from '../shared/readSettings';
import {
	TRIGGER_DEFAULT_VERSION,
	TRIGGER_VERSIONS,
	triggerOptions,
	triggerWebhooks,
} from '../shared/triggerDescription';
import { recordDeliveries } from '../shared/recordDeliveries';
import { webhookRegistration } from '../shared/registration';
import { atsWebhookRedisTest } from '../shared/redisDedup';
import { handleWebhook } from '../shared/webhookAdapter';
import {
	WORKABLE_CREDENTIAL,
	getWorkableJobs,
	getWorkableStages,
	workableCheckExists,
	workableCreate,
	workableDelete,
} from './workableApi';
import { WORKABLE_EVENTS } from './workableEvents';
import { workableSource } from './workableSource';

// Workable signs with the API credential's token (or OAuth app secret) either way: one credential.
const REGISTRATION = webhookRegistration({
	apiCredential: WORKABLE_CREDENTIAL,
	manualCredential: WORKABLE_CREDENTIAL,
	api: {
		name: 'Automatic (Workable API)',
		description:
			'Publishing the workflow subscribes once per event; unpublishing removes the subscriptions',
	},
	manual: {
		name: 'Manual (Subscribed Elsewhere)',
		description:
			"The Production URL was subscribed through Workable's API outside n8n; the trigger only verifies and maps deliveries",
	},
});

export class WorkableTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Workable Trigger',
		name: 'workableTrigger',
		icon: 'file:workable.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description:
			'Receive Workable webhooks, signature-checked and deduplicated, as canonical events',
		defaults: { name: 'Workable Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: REGISTRATION.credentials,
		webhooks: triggerWebhooks,
		properties: [
			...REGISTRATION.properties,
			{
				displayName:
					"Unlike n8n's built-in Workable Trigger, every delivery's X-Workable-Signature is checked, with the access token (or the OAuth app secret) in the credential.",
				name: 'signatureNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: WORKABLE_EVENTS.map((e) => ({
					name: e.name,
					value: e.event,
					description: `${e.event} → ${e.canonical}`,
				})).sort((a, b) => a.name.localeCompare(b.name)),
				default: ['candidate_moved'],
				// Not `required`: with manual registration an empty list means "every event Workable sends".
				description:
					'Workable events to receive (automatic registration subscribes to each); others get 200 and start nothing. Candidate Moved also covers hires and disqualifications.',
			},
			{
				displayName: 'Job Name or ID',
				name: 'jobShortcode',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getJobs' },
				default: '',
				displayOptions: { show: { registration: ['api'] } },
				description:
					'Only candidates of this job (candidate events only). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Stage Name or ID',
				name: 'stageSlug',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getStages' },
				default: '',
				displayOptions: { show: { registration: ['api'] } },
				description:
					'Only candidates in this stage (candidate events only). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			// Workable signs no timestamp, so there is no Replay Window option.
			triggerOptions([], 200, { signsTimestamp: false }),
		],
	};

	methods = {
		credentialTest: { atsWebhookRedisTest },
		loadOptions: {
			getJobs: getWorkableJobs,
			getStages: getWorkableStages,
		},
	};

	// Written out as methods (not `checkExists: workableCheckExists`) so that n8n's lint rules
	// webhook-lifecycle-complete and no-silent-error-swallowing can see and check all three.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await workableCheckExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await workableCreate.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await workableDelete.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(this, workableSource, async () => {
			// Workable signs with the account token, or with the OAuth app's secret for OAuth apps.
			const credential = await this.getCredentials(WORKABLE_CREDENTIAL);
			const secrets = [credential.signingSecret, credential.accessToken].filter(
				(s): s is string => typeof s === 'string' && s.length > 0,
			);
			const events = this.getNodeParameter('events', []) as unknown;
			return readCommonSettings(this, Array.isArray(events) ? events.map(String) : [], {
				scheme: 'vendor',
				secrets,
				toleranceSeconds: 0,
			});
		});
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

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
import {
	parseEventList,
	readCommonSettings,
	readSigningSecrets,
	toleranceOf,
} from '../shared/readSettings';
import {
	TRIGGER_DEFAULT_VERSION,
	TRIGGER_VERSIONS,
	triggerOptions,
	triggerWebhooks,
} from '../shared/triggerDescription';
import { recordDeliveries } from '../shared/recordDeliveries';
import { isManualRegistration, webhookRegistration } from '../shared/registration';
import { atsWebhookRedisTest } from '../shared/redisDedup';
import { handleWebhook } from '../shared/webhookAdapter';
import { LEVER_API_CREDENTIAL, storedTokens } from './leverApi';
import { LEVER_EVENTS, LEVER_ORIGINS } from './leverEvents';
import { leverSource, type LeverSettings } from './leverSource';
import { leverReplayCache } from './tokenReplayCache';
import { leverCheckExists, leverCreate, leverDelete } from './leverWebhookMethods';

const REGISTRATION = webhookRegistration({
	apiCredential: LEVER_API_CREDENTIAL,
	api: {
		name: 'Automatic (Lever API)',
		description:
			'Publishing the workflow creates one Lever webhook per event and keeps its signature token; unpublishing deletes them',
		notice:
			'A Lever Super Admin must switch on each webhook group (e.g. "Candidate Stage Change") on Lever\'s webhooks page before Lever sends anything.',
	},
	manual: {
		name: 'Manual (Lever Settings Page)',
		description:
			'You add the Production URL in Lever yourself and put its signature token in the credential',
		notice:
			'In Lever: Settings → Integrations and API → Webhooks. Paste the Production URL for the events you want, and copy the signature token into the credential (Secret).',
	},
});

export class LeverTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lever Trigger',
		name: 'leverTrigger',
		icon: { light: 'file:lever.svg', dark: 'file:lever.dark.svg' },
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description:
			'Starts the workflow on Lever webhooks: signature-checked, deduplicated, one canonical event per item',
		defaults: { name: 'Lever Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: REGISTRATION.credentials,
		webhooks: triggerWebhooks,
		properties: [
			...REGISTRATION.properties,
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: LEVER_EVENTS.map((e) => ({
					name: e.name,
					value: e.value,
					description: e.description,
				})),
				default: [],
				// Not `required`: with manual registration an empty list means "every event Lever sends";
				// automatic registration refuses an empty list when the workflow is published.
				description:
					'The Lever events to receive (automatic registration creates one webhook each); other events get 200 and start nothing',
			},
			triggerOptions([
				{
					displayName: 'Origins (Lever Condition)',
					name: 'origins',
					type: 'multiOptions',
					options: LEVER_ORIGINS.map((o) => ({
						name: o.charAt(0).toUpperCase() + o.slice(1),
						value: o,
					})),
					default: [],
					description:
						'Only for automatic registration: Lever sends application, stage, archive and hire events only for candidates of these origins. Empty: all origins.',
				},
			]),
		],
	};

	// Written out as methods (not `checkExists: leverCheckExists`) so that n8n's lint rules
	// webhook-lifecycle-complete and no-silent-error-swallowing can see and check all three.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await leverCheckExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await leverCreate.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await leverDelete.call(this);
			},
		},
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Read inside the adapter's guard: with manual registration, a missing or unreadable signing
		// secret credential is a 503 + Retry-After (Lever retries non-2xx), never a throw.
		return handleWebhook(this, leverSource, async (): Promise<LeverSettings> => {
			const manual = isManualRegistration(this);
			const secrets = manual
				? await readSigningSecrets(this)
				: storedTokens(this.getWorkflowStaticData('node'));
			const auth = { scheme: 'vendor' as const, secrets, toleranceSeconds: toleranceOf(this) };
			return {
				...readCommonSettings(this, parseEventList(this.getNodeParameter('events', [])), auth),
				replayCache: leverReplayCache,
			};
		});
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

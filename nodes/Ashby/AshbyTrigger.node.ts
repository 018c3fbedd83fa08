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
import { readCommonSettings, readSigningSecrets } from '../shared/readSettings';
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
import {
	ASHBY_CREDENTIAL,
	ashbyCheckExists,
	ashbyCreate,
	ashbyDelete,
	type AshbyStaticData,
} from './ashbyApi';
import { ASHBY_SUBSCRIBABLE } from './ashbyEvents';
import { ashbySource } from './ashbySource';

const REGISTRATION = webhookRegistration({
	apiCredential: ASHBY_CREDENTIAL,
	api: {
		name: 'Automatic (Ashby API)',
		description:
			'Publishing the workflow creates one Ashby webhook per event, signed with a secret this node generates; unpublishing deletes them',
		notice:
			'The API key needs the apiKeysRead and apiKeysWrite permissions (Ashby → Admin → Integrations → API Keys).',
	},
	manual: {
		name: 'Manual (Ashby Admin)',
		description:
			'You create the webhooks in Ashby yourself and give them the secret token from the credential',
		notice:
			"In Ashby: Admin → Integrations → Webhooks → New. Pick the webhook type, paste the Production URL as Request URL, and set the Secret Token to the Secret in this node's credential. Create one webhook per type.",
	},
});

export class AshbyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ashby Trigger',
		name: 'ashbyTrigger',
		icon: 'file:ashby.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description: 'Receive Ashby webhooks, signature-checked and deduplicated, as canonical events',
		defaults: { name: 'Ashby Trigger' },
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
				options: ASHBY_SUBSCRIBABLE.map((t) => ({
					name: t.name,
					value: t.type,
					description: `${t.type} → ${t.event}`,
				})).sort((a, b) => a.name.localeCompare(b.name)),
				default: ['candidateStageChange'],
				// Not `required`: with manual registration an empty list means "every type Ashby sends";
				// automatic registration refuses an empty list when the workflow is published.
				description:
					'Ashby webhook types to receive (automatic registration creates one webhook each); other types get 200 and start nothing',
			},
			// Ashby signs no timestamp, so there is no Replay Window option.
			triggerOptions([], 200, { signsTimestamp: false }),
		],
	};

	// Written out as methods (not `checkExists: ashbyCheckExists`) so that n8n's lint rules
	// webhook-lifecycle-complete and no-silent-error-swallowing can see and check all three.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await ashbyCheckExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await ashbyCreate.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await ashbyDelete.call(this);
			},
		},
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(this, ashbySource, async () => {
			// Automatic: the secret create() generated and handed to Ashby; manual: the credential's.
			const manual = isManualRegistration(this);
			const stored = this.getWorkflowStaticData('node') as AshbyStaticData;
			const secrets = manual
				? await readSigningSecrets(this)
				: stored.webhookSecret
					? [stored.webhookSecret]
					: [];
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

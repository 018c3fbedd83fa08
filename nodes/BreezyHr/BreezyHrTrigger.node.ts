import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { parseEventList, readCommonSettings, readSigningSecrets } from '../shared/readSettings';
import { isManualRegistration, webhookRegistration } from '../shared/registration';
import {
	TRIGGER_DEFAULT_VERSION,
	TRIGGER_VERSIONS,
	triggerOptions,
	triggerWebhooks,
} from '../shared/triggerDescription';
import { recordDeliveries } from '../shared/recordDeliveries';
import { atsWebhookRedisTest } from '../shared/redisDedup';
import { handleWebhook } from '../shared/webhookAdapter';
import {
	BREEZY_CREDENTIAL,
	breezyCheckExists,
	breezyCreate,
	breezyDelete,
	storedBreezySecrets,
} from './breezyHrApi';
import { BREEZY_EVENTS, breezyHrSource } from './breezyHrSource';

const REGISTRATION = webhookRegistration({
	apiCredential: BREEZY_CREDENTIAL,
	api: {
		name: 'Automatic (Breezy HR API)',
		description:
			'Publishing the workflow creates one Breezy HR webhook endpoint for the selected events and keeps its secret; unpublishing deletes it',
		notice:
			"Webhook endpoints need Breezy HR's Pro plan and an API token of a user who may manage the company's webhooks.",
	},
	manual: {
		name: 'Manual (Breezy HR Settings)',
		description:
			'You create the webhook endpoint in Breezy HR yourself and put its whsec_ secret in the credential',
		notice:
			"In Breezy HR: Company Settings → Integrations → Webhooks (or the webhook management API): add an endpoint with the Production URL and the events, then copy its secret (whsec_…, shown once) into this node's credential (Secret).",
	},
});

export class BreezyHrTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Breezy HR Trigger',
		name: 'breezyHrTrigger',
		icon: 'file:breezy.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description:
			'Receive Breezy HR webhooks, signature-checked and deduplicated, as canonical events',
		defaults: { name: 'Breezy HR Trigger' },
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
				options: BREEZY_EVENTS.map((e) => ({
					name: e.name,
					value: e.value,
					description: `${e.value} → ${e.event}`,
				})),
				default: ['candidateStatusUpdated'],
				// Not `required`: with manual registration an empty list means "every event the endpoint sends".
				description:
					'Breezy HR events to receive (automatic registration subscribes the endpoint to them); others get 200 and start nothing',
			},
			// Breezy HR signs no timestamp, so there is no Replay Window option.
			triggerOptions([], 200, { signsTimestamp: false }),
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await breezyCheckExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await breezyCreate.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await breezyDelete.call(this);
			},
		},
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(this, breezyHrSource, async () => {
			// Automatic: the secret Breezy returned when create() made the endpoint; manual: the credential's.
			const secrets = isManualRegistration(this)
				? await readSigningSecrets(this)
				: storedBreezySecrets(this.getWorkflowStaticData('node') as IDataObject);
			return readCommonSettings(this, parseEventList(this.getNodeParameter('events', [])), {
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

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
	PERSONIO_CREDENTIAL,
	personioCheckExists,
	personioCreate,
	personioDelete,
	storedPersonioTokens,
} from './personioApi';
import { PERSONIO_EVENTS, personioSource } from './personioSource';

const REGISTRATION = webhookRegistration({
	apiCredential: PERSONIO_CREDENTIAL,
	api: {
		name: 'Automatic (Personio API)',
		description:
			'Publishing the workflow creates a Personio webhook for the selected events with a token the node generates; unpublishing deletes it',
		notice:
			'Needs a Personio API credential (client ID and secret) with the scopes personio:webhooks:read and personio:webhooks:write.',
	},
	manual: {
		name: 'Manual (Own Webhook)',
		description:
			'You create the webhook through the Personio API yourself (auth_type TOKEN) and put its token in the credential',
		notice:
			"Create the webhook with POST /v2/webhooks: url = the Production URL, auth_type TOKEN, a long random token, status ENABLED. Put the same token (exactly, with any 'Bearer ' you gave it) in this node's credential (Secret).",
	},
});

export class PersonioTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Personio Trigger',
		name: 'personioTrigger',
		icon: 'file:personio.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description:
			'Receive Personio person and employment webhooks, token-checked and deduplicated; registers its webhook through the Personio API',
		defaults: { name: 'Personio Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: REGISTRATION.credentials,
		webhooks: triggerWebhooks,
		properties: [
			...REGISTRATION.properties,
			{
				displayName:
					"Personio counts a delivery only if it gets a 2xx within 3 seconds, and n8n answers once it has stored the execution: keep n8n's database fast. Personio has no recruiting (applicant) webhooks; these are employee events.",
				name: 'ackNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: PERSONIO_EVENTS.map((e) => ({
					name: e.name,
					value: e.value,
					description: e.description,
				})),
				default: ['person.created', 'employment.created'],
				// Not `required`: with manual registration an empty list means "every event the webhook sends".
				description:
					'Personio events to receive (automatic registration subscribes the webhook to them); others get 200 and start nothing',
			},
			// Personio signs nothing (a static token), so there is no Replay Window option.
			triggerOptions([], 200, { signsTimestamp: false }),
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await personioCheckExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await personioCreate.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await personioDelete.call(this);
			},
		},
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(this, personioSource, async () => {
			// Automatic: the token create() gave Personio; manual: the credential's.
			const tokens = isManualRegistration(this)
				? await readSigningSecrets(this)
				: storedPersonioTokens(this.getWorkflowStaticData('node') as IDataObject);
			return readCommonSettings(
				this,
				parseEventList(this.getNodeParameter('events', [])).map((e) => e.toLowerCase()),
				{ scheme: 'vendor', secrets: tokens, toleranceSeconds: 0 },
			);
		});
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

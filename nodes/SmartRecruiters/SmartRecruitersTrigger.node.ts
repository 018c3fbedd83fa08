import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	NodeOperationError,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { readCommonSettings, readSigningSecrets, toleranceOf } from '../shared/readSettings';
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
import { SR_API_CREDENTIAL, storedSecretKeys } from './smartRecruitersApi';
import { SMARTRECRUITERS_EVENTS } from './smartRecruitersEvents';
import { HOOK_SECRET_HEADER, smartRecruitersSource } from './smartRecruitersSource';
import {
	selectedEvents,
	smartRecruitersCheckExists,
	smartRecruitersCreate,
	smartRecruitersDelete,
} from './smartRecruitersWebhookMethods';

const REGISTRATION = webhookRegistration({
	apiCredential: SR_API_CREDENTIAL,
	api: {
		name: 'Automatic (Subscription API)',
		description:
			'Publishing the workflow creates and activates a subscription with its own secret key; unpublishing deletes it',
	},
	manual: {
		name: 'Manual',
		description: 'You created the subscription yourself; put its secret key in the credential',
		notice:
			'Create the subscription with POST /webhooks-api/v201907/subscriptions (callbackUrl = the Production URL), generate its secret key, and put the key in the credential (Secret). Activation works once this workflow is published: the trigger answers the X-Hook-Secret handshake.',
	},
});

export class SmartRecruitersTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SmartRecruiters Trigger',
		name: 'smartRecruitersTrigger',
		icon: 'file:smartRecruiters.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description:
			'Starts the workflow on SmartRecruiters webhooks: handshake answered, signature-checked, deduplicated, one canonical event per item',
		defaults: { name: 'SmartRecruiters Trigger' },
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
				options: SMARTRECRUITERS_EVENTS.map((e) => ({ name: e.name, value: e.value })),
				default: [],
				description:
					'The SmartRecruiters events to receive; other events get 202 and start nothing',
			},
			{
				displayName: 'Additional Events',
				name: 'additionalEvents',
				type: 'string',
				default: '',
				placeholder: 'job.approval.created, offer.approval.approved',
				description:
					'Comma-separated SmartRecruiters event names not in the list above (their callback list changes over time)',
			},
			triggerOptions(
				[
					{
						displayName: 'Alert Email Address',
						name: 'alertEmailAddress',
						type: 'string',
						placeholder: 'name@email.com',
						default: '',
						description:
							'Only for automatic registration: SmartRecruiters emails this address when callbacks keep failing',
					},
				],
				202,
			),
		],
	};

	// Written out as methods (not `checkExists: smartRecruitersCheckExists`) so that n8n's lint rules
	// webhook-lifecycle-complete and no-silent-error-swallowing can see and check all three.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await smartRecruitersCheckExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await smartRecruitersCreate.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await smartRecruitersDelete.call(this);
			},
		},
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Read inside the adapter's guard: with manual registration, a missing or unreadable signing
		// secret credential is a 503 + Retry-After (SmartRecruiters retries), never a throw.
		return handleWebhook(this, smartRecruitersSource, async () => {
			let secrets: string[];
			if (isManualRegistration(this)) {
				try {
					secrets = await readSigningSecrets(this);
				} catch (error) {
					// The activation handshake needs no secret: it is answered even before the credential is set.
					if (this.getHeaderData()[HOOK_SECRET_HEADER] === undefined)
						throw new NodeOperationError(this.getNode(), error as Error);
					secrets = [];
				}
			} else {
				secrets = storedSecretKeys(this.getWorkflowStaticData('node'));
			}
			const auth = { scheme: 'vendor' as const, secrets, toleranceSeconds: toleranceOf(this) };
			return readCommonSettings(
				this,
				selectedEvents((name, fallback) => this.getNodeParameter(name, fallback)),
				auth,
			);
		});
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

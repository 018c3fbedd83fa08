import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { readAuthSettings, readCommonSettings, readOptions } from '../shared/readSettings';
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
import { talentAtsSource, type TalentAtsDedupBy, type TalentAtsSettings } from './talentAtsSource';

export class TalentAtsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'talentATS Trigger',
		name: 'talentAtsTrigger',
		icon: 'file:talentAts.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{$parameter["options"]["batchAsOneItem"] ? "batch as one item" : "one item per candidate"}}',
		description:
			'Starts the workflow when candidates are exported from talentATS with "Export to Webhook"',
		defaults: { name: 'talentATS Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: authCredentials,
		webhooks: triggerWebhooks,
		properties: [
			{
				displayName:
					'In talentATS open Settings → Access Management → Webhooks, click Create Webhook and paste the Production URL. Then, in a vacancy, select candidates and choose Export → Export to Webhook. Each export arrives as one request; every candidate becomes one item (event candidate.exported).',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			{
				displayName:
					'talentATS does not sign exports. Without authentication, anyone who learns this URL can start the workflow: keep the Production URL secret, or choose Basic Auth and create the talentATS webhook with user:password@ in front of the host, if talentATS accepts such a URL.',
				name: 'unprotectedNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['none'] } },
			},
			...hmacProperties,
			triggerOptions([
				{
					displayName: 'Emit Batch as One Item',
					name: 'batchAsOneItem',
					type: 'boolean',
					default: false,
					description:
						'Whether to output the whole export as one item holding all candidates instead of one item per candidate',
				},
				{
					displayName: 'Deduplicate By',
					name: 'dedupBy',
					type: 'options',
					options: [
						{
							name: 'Candidate',
							value: 'candidate',
							description:
								'A candidate exported again for the same vacancy within the window is a duplicate, inside one batch or across batches',
						},
						{
							name: 'Batch',
							value: 'batch',
							description:
								'Only a resent batch (same batch ID, or the same bytes) is a duplicate; re-exports always come through',
						},
					],
					default: 'candidate',
					description: 'What counts as a duplicate when deduplication is on',
				},
			]),
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Read inside the adapter's guard: a missing credential is a 503 + Retry-After, never a throw.
		return handleWebhook(
			this,
			talentAtsSource,
			async (): Promise<TalentAtsSettings> => ({
				...readCommonSettings(this, [], await readAuthSettings(this)),
				dedupBy:
					(readOptions(this).dedupBy as TalentAtsDedupBy) === 'batch' ? 'batch' : 'candidate',
			}),
		);
	}

	/** First step of every execution this trigger starts: remembers its events for dedup (docs/durability.md). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return recordDeliveries(this);
	}
}

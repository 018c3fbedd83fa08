import {
	NodeConnectionTypes,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { readCommonSettings } from '../shared/readSettings';
import { triggerOptions, triggerWebhooks } from '../shared/triggerDescription';
import { handleWebhook } from '../shared/webhookAdapter';
import { ASHBY_CREDENTIAL, ashbyCheckExists, ashbyCreate, ashbyDelete, type AshbyStaticData } from './ashbyApi';
import { ASHBY_SUBSCRIBABLE } from './ashbyEvents';
import { ashbySource } from './ashbySource';

/** Ashby signs no timestamp, so the shared "Replay Window" option would do nothing here. */
function ashbyOptions(): INodeProperties {
	const options = triggerOptions();
	options.options = (options.options ?? []).filter((option) => !('name' in option) || option.name !== 'toleranceSeconds');
	return options;
}

export class AshbyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ashby Trigger',
		name: 'ashbyTrigger',
		icon: 'file:ashby.svg',
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: 'Receive Ashby webhooks, signature-checked and deduplicated, as canonical events',
		defaults: { name: 'Ashby Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: ASHBY_CREDENTIAL, required: true }],
		webhooks: triggerWebhooks,
		properties: [
			{
				displayName:
					'Publishing the workflow creates one Ashby webhook per selected event, each signed with a secret this node generates; unpublishing deletes them. The API key needs the apiKeysRead and apiKeysWrite permissions.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: ASHBY_SUBSCRIBABLE.map((t) => ({ name: t.name, value: t.type, description: `${t.type} → ${t.event}` })).sort((a, b) =>
					a.name.localeCompare(b.name),
				),
				default: ['candidateStageChange'],
				description: 'Ashby webhook types to subscribe to. Each becomes one webhook in Ashby.',
			},
			ashbyOptions(),
		],
	};

	webhookMethods = {
		default: {
			checkExists: ashbyCheckExists,
			create: ashbyCreate,
			delete: ashbyDelete,
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(this, ashbySource, async () => {
			// The secret create() generated and handed to Ashby as secretToken.
			const stored = this.getWorkflowStaticData('node') as AshbyStaticData;
			const events = this.getNodeParameter('events', []) as unknown;
			return readCommonSettings(this, Array.isArray(events) ? events.map(String) : [], {
				scheme: 'vendor',
				secrets: stored.webhookSecret ? [stored.webhookSecret] : [],
				toleranceSeconds: 0,
			});
		});
	}
}

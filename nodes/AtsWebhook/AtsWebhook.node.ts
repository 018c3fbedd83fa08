import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { credentials, properties } from './description';
import { runAtsWebhook } from './runNode';

/**
 * ATS Webhook: export candidate batches as ONE signed JSON request (seed 001), split only above
 * the limits, retried without duplicates (seed 004); or send events in Standard Webhooks or a seed
 * vendor's format. Output 1 "Delivered": one item per request. Output 2 "Failed": the dead letter,
 * the input items that did not get through, each with `deliveryError`.
 */
export class AtsWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ATS Webhook',
		name: 'atsWebhook',
		icon: 'file:atsWebhookSend.svg',
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "sendEvent" ? "Send Event" : "Export Candidates"}}',
		description:
			'Export candidates to a webhook as one signed JSON request, or send ATS webhook events',
		defaults: { name: 'ATS Webhook' },
		// An AI agent may send one event or a small export through it; the receiver URL and the
		// credential stay what the user configured.
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Delivered', 'Failed'],
		credentials,
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAtsWebhook(this);
	}
}

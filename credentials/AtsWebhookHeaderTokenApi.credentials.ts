import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** A shared token the sender puts in a header, for ATSs that cannot sign deliveries. */
export class AtsWebhookHeaderTokenApi implements ICredentialType {
	name = 'atsWebhookHeaderTokenApi';

	displayName = 'ATS Webhook Header Token API';

	documentationUrl = 'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks#credentials';

	icon = 'file:atsWebhook.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'x-webhook-token',
			required: true,
			description:
				'The header your ATS sends the token in. For Authorization, a "Bearer " prefix is accepted.',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Previous Token',
			name: 'previousToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Accepted too while you change the token in your ATS. Clear it when done.',
		},
	];
}

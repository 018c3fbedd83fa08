import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** HTTP Basic auth for ATSs that only let you enter a URL (https://user:password@host/...). */
export class AtsWebhookBasicAuthApi implements ICredentialType {
	name = 'atsWebhookBasicAuthApi';

	displayName = 'ATS Webhook Basic Auth API';

	documentationUrl = 'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks#credentials';

	icon = 'file:atsWebhook.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Previous Password',
			name: 'previousPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Accepted too while you change the password in your ATS. Clear it when done.',
		},
	];
}

import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Lever API key (Lever developer documentation "Authentication": HTTP Basic, the key as user name
 * and an empty password). The Lever Trigger uses it to create one webhook per selected event.
 */
export class LeverApi implements ICredentialType {
	name = 'leverApi';

	displayName = 'Lever API';

	documentationUrl =
		'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks#lever-trigger';

	icon = 'file:../nodes/Lever/lever.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Lever: Settings → Integrations and API → API Credentials. The key needs the webhook permissions (create, read, delete).',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: 'https://api.lever.co/v1' },
				{ name: 'Sandbox', value: 'sandbox', description: 'https://api.sandbox.lever.co/v1' },
				{
					name: 'Custom Base URL',
					value: 'custom',
					description: 'For a proxy, or a local fake API in tests',
				},
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://lever-proxy.example.com/v1',
			description: 'The Lever API root, including /v1',
			displayOptions: { show: { environment: ['custom'] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: { username: '={{$credentials.apiKey}}', password: '' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : $credentials.environment === "sandbox" ? "https://api.sandbox.lever.co/v1" : "https://api.lever.co/v1"}}',
			url: '/webhooks',
			qs: { limit: 1 },
		},
	};
}

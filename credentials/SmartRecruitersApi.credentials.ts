import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * SmartRecruiters API key (developers.smartrecruiters.com "Authentication": header X-SmartToken).
 * The SmartRecruiters Trigger uses it to create, activate and delete its webhook subscription.
 */
export class SmartRecruitersApi implements ICredentialType {
	name = 'smartRecruitersApi';

	displayName = 'SmartRecruiters API';

	documentationUrl =
		'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks#smartrecruiters-trigger';

	icon = 'file:../nodes/SmartRecruiters/smartRecruiters.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'SmartRecruiters: Settings → Apps & Integrations → API key. It needs access to the Webhooks Subscription API.',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: 'https://api.smartrecruiters.com' },
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
			placeholder: 'e.g. https://smartrecruiters-proxy.example.com',
			description: 'The API root, without /webhooks-api/v201907',
			displayOptions: { show: { environment: ['custom'] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-SmartToken': '={{$credentials.apiKey}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://api.smartrecruiters.com"}}',
			url: '/webhooks-api/v201907/subscriptions',
			qs: { limit: 1 },
		},
	};
}

import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Workable API access (workable.readme.io/reference/generate-an-access-token): the account
 * subdomain and a Bearer token. The same token is the key Workable signs webhooks with; an OAuth
 * app signs with its client secret instead (workable.readme.io/reference/webhooks, "Encryption").
 * Named workableAtsApi so it never collides with n8n's built-in workableApi credential.
 */
export class WorkableApi implements ICredentialType {
	name = 'workableAtsApi';

	displayName = 'Workable Webhooks API';

	documentationUrl =
		'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks#workable-trigger';

	icon = 'file:../nodes/Workable/workable.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Subdomain',
			name: 'subdomain',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. acme',
			description: 'The part before .workable.com in your Workable address',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Workable → Settings → Integrations → API Access Token, with the r_candidates scope (r_employees for employee events). Workable also signs webhooks with it.',
		},
		{
			displayName: 'OAuth App Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Only for OAuth app integrations: Workable then signs webhooks with the app's client secret. Leave empty for an account token.",
		},
		{
			displayName: 'Use Custom API Base URL',
			name: 'useCustomBaseUrl',
			type: 'boolean',
			default: false,
			description:
				'Whether to call another address than https://{subdomain}.workable.com/spi/v3, for example a local test server',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:8080/spi/v3',
			displayOptions: { show: { useCustomBaseUrl: [true] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	// Listing subscriptions is cheap and needs the same scope the trigger needs to subscribe.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.useCustomBaseUrl ? $credentials.baseUrl : "https://" + $credentials.subdomain + ".workable.com/spi/v3"}}',
			url: '/subscriptions',
			method: 'GET',
		},
	};
}

import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Ashby API key (developers.ashbyhq.com/reference/authentication): HTTP Basic auth with the key as
 * the user name and an empty password. The Ashby Trigger uses it to create and delete its webhooks
 * (webhook.create / webhook.info / webhook.delete need the apiKeysRead and apiKeysWrite permissions).
 */
export class AshbyApi implements ICredentialType {
	name = 'ashbyApi';

	displayName = 'Ashby API';

	documentationUrl =
		'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks#ashby-trigger';

	icon = 'file:../nodes/Ashby/ashby.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Ashby → Admin → Integrations → API Keys. It needs the permissions to read and write webhooks (apiKeysRead, apiKeysWrite).',
		},
		{
			displayName: 'Use Custom API Base URL',
			name: 'useCustomBaseUrl',
			type: 'boolean',
			default: false,
			description:
				'Whether to call another address than https://api.ashbyhq.com, for example a local test server',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.ashbyhq.com',
			placeholder: 'e.g. http://127.0.0.1:8080',
			displayOptions: { show: { useCustomBaseUrl: [true] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: { username: '={{$credentials.apiKey}}', password: '' },
		},
	};

	// Ashby's API is all POST; apiKey.info is its cheapest authenticated read. Ashby answers most
	// errors with 200 and success: false, hence the body rule.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.useCustomBaseUrl ? $credentials.baseUrl : "https://api.ashbyhq.com"}}',
			url: '/apiKey.info',
			method: 'POST',
			body: {},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: false,
					message:
						'Ashby refused the API key. Check that it is active and has the apiKeysRead permission.',
				},
			},
		],
	};
}

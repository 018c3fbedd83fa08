import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Breezy HR API token (developer.breezy.hr/reference/webhook-management-api): sent as the
 * `Authorization` header, no scheme word. The Breezy HR Trigger uses it to create and delete its
 * webhook endpoint under /v3/company/{company_id}/webhook_endpoints (Breezy's Pro plan).
 */
export class BreezyHrApi implements ICredentialType {
	name = 'breezyHrApi';

	displayName = 'Breezy HR API';

	documentationUrl =
		'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks/blob/main/docs/nodes/breezyHrTrigger.md';

	icon = 'file:../nodes/BreezyHr/breezy.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "A Breezy HR API access token of a user who may manage the company's webhooks",
		},
		{
			displayName: 'Company ID',
			name: 'companyId',
			type: 'string',
			default: '',
			required: true,
			description: 'The Breezy HR company ID the webhook endpoint belongs to',
		},
		{
			displayName: 'Use Custom API Base URL',
			name: 'useCustomBaseUrl',
			type: 'boolean',
			default: false,
			description:
				'Whether to call another address than https://api.breezy.hr/v3, for example a local test server',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.breezy.hr/v3',
			placeholder: 'e.g. http://127.0.0.1:8080',
			displayOptions: { show: { useCustomBaseUrl: [true] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '={{$credentials.apiToken}}' } },
	};

	// Listing the company's webhook endpoints is the read this credential exists for.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.useCustomBaseUrl ? $credentials.baseUrl : "https://api.breezy.hr/v3"}}',
			url: '=/company/{{$credentials.companyId}}/webhook_endpoints',
			method: 'GET',
		},
	};
}

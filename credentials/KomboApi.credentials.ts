import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Kombo API key (https://docs.kombo.dev/ats/getting-started/authentication): created on the Secrets
 * page of the Kombo dashboard, one per environment, sent as `Authorization: Bearer <key>`.
 * Integration endpoints also need `X-Integration-Id`, which the Kombo Trigger takes from each
 * `data-changed` notification. Used only by the trigger's "Fetch Changed Records".
 */
export class KomboApi implements ICredentialType {
	name = 'komboApi';

	displayName = 'Kombo API';

	documentationUrl =
		'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks/blob/main/docs/nodes/komboTrigger.md';

	icon = 'file:../nodes/Kombo/kombo.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A Kombo API key of the environment the webhooks come from (ks_prod_… or ks_dev_…)',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.kombo.dev/v1',
			required: true,
			description: 'Change only for a test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	// Kombo's own key check (https://docs.kombo.dev/ats/getting-started/authentication).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/check-api-key',
			method: 'GET',
		},
	};
}

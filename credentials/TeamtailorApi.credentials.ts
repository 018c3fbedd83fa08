import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Teamtailor API key (https://docs.teamtailor.com/#authentication): `Authorization: Token
 * token=<key>` and an `X-Api-Version` header on every request. The ATS Reconcile Trigger reads
 * candidates with it; a key with read access is enough.
 */
export class TeamtailorApi implements ICredentialType {
	name = 'teamtailorApi';

	displayName = 'Teamtailor API';

	documentationUrl =
		'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks#ats-reconcile-trigger';

	icon = 'file:../nodes/Teamtailor/teamtailor.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Teamtailor → Settings → Integrations → API keys (read access)',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '20240404',
			description: 'Sent as X-Api-Version',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.teamtailor.com',
			description:
				'https://api.na.teamtailor.com for accounts in North America, or a local test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Token token={{$credentials.apiKey}}',
				'X-Api-Version': '={{$credentials.apiVersion}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v1/candidates',
			qs: { 'page[size]': 1 },
		},
	};
}

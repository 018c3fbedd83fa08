import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Greenhouse Harvest v3 (https://harvestdocs.greenhouse.io/docs/authentication): OAuth 2.0 client
 * credentials. The ATS Reconcile Trigger asks `POST https://auth.greenhouse.io/token` (HTTP Basic
 * with the client id and secret, `grant_type=client_credentials&sub=<user id>`) for a bearer token
 * and sends it to `https://harvest.greenhouse.io/v3/…` (nodes/AtsReconcile/transport.ts). Harvest
 * v1/v2 and their API keys reached their sunset on 31 Aug 2026. UNCONFIRMED: one Greenhouse page
 * names `api.greenhouse.io/v3` as the host; change the base URL if yours differs.
 */
export class GreenhouseHarvestApi implements ICredentialType {
	name = 'greenhouseHarvestApi';

	displayName = 'Greenhouse Harvest API';

	documentationUrl =
		'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks#ats-reconcile-trigger';

	icon = 'file:../nodes/Greenhouse/greenhouse.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'Greenhouse → Configure → Dev Center → API Credentials (Harvest v3 OAuth client)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The Greenhouse user the token acts for (the `sub` of the token request); it needs read access to applications',
		},
		{
			displayName: 'Use Custom Addresses',
			name: 'useCustomBaseUrl',
			type: 'boolean',
			default: false,
			description:
				'Whether to call other addresses than Greenhouse, for example a local test server',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://harvest.greenhouse.io',
			displayOptions: { show: { useCustomBaseUrl: [true] } },
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: 'https://auth.greenhouse.io/token',
			displayOptions: { show: { useCustomBaseUrl: [true] } },
		},
	];

	// The token request itself: it fails with 401 when the client id, secret or user id is wrong.
	test: ICredentialTestRequest = {
		request: {
			url: '={{$credentials.useCustomBaseUrl ? $credentials.tokenUrl : "https://auth.greenhouse.io/token"}}',
			method: 'POST',
			auth: { username: '={{$credentials.clientId}}', password: '={{$credentials.clientSecret}}' },
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials&sub={{$credentials.userId}}',
		},
	};
}

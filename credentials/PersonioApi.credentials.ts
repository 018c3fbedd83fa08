import type {
	ICredentialDataDecryptedObject,
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Personio API v2 with OAuth 2.0 client credentials
 * (https://developer.personio.de/reference/post_v2-auth-token): the Client ID and Secret of a
 * Personio API credential (Settings → Integrations → API credentials) are exchanged at
 * `POST /v2/auth/token` (form-encoded, `grant_type=client_credentials`) for an access token, sent as
 * `Authorization: Bearer <token>`. n8n runs `preAuthentication` when the token is empty and again
 * when a call answers 401 (the field is `expirable`). The Personio Trigger needs the scopes
 * `personio:webhooks:read` and `personio:webhooks:write`.
 */
export class PersonioApi implements ICredentialType {
	name = 'personioApi';

	displayName = 'Personio API';

	documentationUrl =
		'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks/blob/main/docs/nodes/personioTrigger.md';

	icon = 'file:../nodes/Personio/personio.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Its API credential needs the scopes personio:webhooks:read and personio:webhooks:write',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.personio.de',
			required: true,
			description: 'Change only for a test server',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const base = String(credentials.baseUrl || 'https://api.personio.de').replace(/\/+$/, '');
		const answer = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${base}/v2/auth/token`,
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
			},
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: String(credentials.clientId ?? ''),
				client_secret: String(credentials.clientSecret ?? ''),
			}).toString(),
		})) as { access_token?: string };
		return { sessionToken: answer?.access_token ?? '' };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.sessionToken}}' } },
	};

	// Listing webhooks is the read this credential exists for (scope personio:webhooks:read).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v2/webhooks',
			qs: { limit: 1 },
			method: 'GET',
		},
	};
}

import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * viasto interview suite API v3 (https://viasto.eu/apiv3/authentication.html): a token obtained from
 * /api-token-auth/ (expiring) or a permanent one, sent as `Authorization: Token <token>`. The
 * keyword is UNCONFIRMED (the docs show `Authorization: ActivationKey <key>` for candidates, the
 * Django REST framework convention), so it can be changed here.
 */
export class ViastoApi implements ICredentialType {
	name = 'viastoApi';

	displayName = 'Viasto Interview Suite API';

	documentationUrl = 'https://viasto.eu/apiv3/authentication.html';

	icon = 'file:../nodes/Viasto/viasto.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://interview-suite.com',
			placeholder: 'https://acme-inc.interview-suite.com',
			required: true,
			description:
				'Scheme and host of your interview suite. Only resource URLs on this host are fetched with the token.',
		},
		{
			displayName: 'API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Authorization Scheme',
			name: 'authScheme',
			type: 'string',
			default: 'Token',
			description: 'The word before the token in the Authorization header',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '={{$credentials.authScheme + " " + $credentials.token}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/v3/companies/',
			method: 'GET',
		},
	};
}

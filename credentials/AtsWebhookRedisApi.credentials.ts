import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The Redis server of the shared dedup store (docs/queue-mode.md): the triggers claim each event
 * there, so two n8n webhook processes never both start an execution for it. In queue mode this is
 * usually the Redis n8n already runs on (QUEUE_BULL_REDIS_*); the keys carry their own prefix.
 * Tested by the triggers' `atsWebhookRedisTest` (a PING), since Redis speaks no HTTP.
 */
export class AtsWebhookRedisApi implements ICredentialType {
	name = 'atsWebhookRedisApi';

	displayName = 'ATS Webhook Redis (Dedup Store) API';

	documentationUrl =
		'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks/blob/main/docs/queue-mode.md';

	icon = 'file:atsWebhook.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			required: true,
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 6379,
			required: true,
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			description: 'Redis 6+ ACL user. Leave empty for the default user.',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Database Number',
			name: 'database',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
		},
		{
			displayName: 'SSL/TLS',
			name: 'ssl',
			type: 'boolean',
			default: false,
			description: 'Whether to connect over TLS (for example a managed Redis)',
		},
		{
			displayName: 'Ignore TLS Certificate Errors',
			name: 'disableTlsVerification',
			type: 'boolean',
			default: false,
			description: 'Whether to accept a self-signed certificate. Only for testing.',
			displayOptions: { show: { ssl: [true] } },
		},
		{
			displayName: 'Key Prefix',
			name: 'keyPrefix',
			type: 'string',
			default: 'n8n-ats-dedup:',
			description:
				'Every key starts with this, then the workflow ID, the node ID and a 16-character hash of the event. Change it only to separate installations that share one Redis database.',
		},
	];
}

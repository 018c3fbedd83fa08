import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A shared signing secret for HMAC or Standard Webhooks. Used by the triggers to verify and by the
 * ATS Webhook action node to sign, so what one sends the other accepts. The previous secret is
 * accepted alongside the current one while a sender rotates (signing always uses the current one).
 */
export class AtsWebhookSigningSecretApi implements ICredentialType {
	name = 'atsWebhookSigningSecretApi';

	displayName = 'ATS Webhook Signing Secret API';

	documentationUrl = 'https://github.com/n8n-nodes-ats-webhooks/n8n-nodes-ats-webhooks#credentials';

	icon = 'file:atsWebhook.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The signing secret your sender shows you. For Standard Webhooks it looks like whsec_… (base64); for plain HMAC it is used as text.',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'While you rotate the secret, put the old one here so deliveries signed with it are still accepted. Clear it when done.',
		},
	];
}

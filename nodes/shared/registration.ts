import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { SIGNING_SECRET_CREDENTIAL } from './credentialNames';
import { sharedDedupCredential } from './triggerDescription';

/**
 * The "Webhook Registration: automatic | manual" choice every trigger with a vendor registration
 * API offers (Ashby, Workable, Lever, SmartRecruiters), and the one-notice set-up text of the
 * vendors without one (Greenhouse, Teamtailor, Recruitee). One factory so the parameter name, the
 * values (`api`, `manual`) and the credential switching are the same everywhere: the webhook()
 * code, the docs and the e2e workflows rely on them.
 */
export const REGISTRATION_PARAMETER = 'registration';

export interface RegistrationChoice {
	/** Option label, e.g. "Automatic (Ashby API)". */
	name: string;
	description: string;
	/** A notice shown only with this choice (permissions, where to click). */
	notice?: string;
}

export interface RegistrationSpec {
	/** The vendor API credential that automatic registration calls with. */
	apiCredential: string;
	/**
	 * The credential manual registration verifies with. Default: the shared signing secret. Give the
	 * API credential itself when the vendor signs with the API key (Workable): it is then always shown.
	 */
	manualCredential?: string;
	api: RegistrationChoice;
	manual: RegistrationChoice;
}

/** The credentials and the leading properties of a trigger with automatic | manual registration. */
export function webhookRegistration(spec: RegistrationSpec): {
	credentials: INodeCredentialDescription[];
	properties: INodeProperties[];
} {
	const manualCredential = spec.manualCredential ?? SIGNING_SECRET_CREDENTIAL;
	const shownWith = (value: 'api' | 'manual') => ({ show: { [REGISTRATION_PARAMETER]: [value] } });
	const credentials: INodeCredentialDescription[] = [
		...(manualCredential === spec.apiCredential
			? [{ name: spec.apiCredential, required: true }]
			: [
					{ name: spec.apiCredential, required: true, displayOptions: shownWith('api') },
					{ name: manualCredential, required: true, displayOptions: shownWith('manual') },
				]),
		sharedDedupCredential,
	];
	const properties: INodeProperties[] = [
		{
			displayName: 'Webhook Registration',
			name: REGISTRATION_PARAMETER,
			type: 'options',
			options: [
				{ name: spec.api.name, value: 'api', description: spec.api.description },
				{ name: spec.manual.name, value: 'manual', description: spec.manual.description },
			],
			default: 'api',
		},
	];
	for (const [value, choice] of [
		['api', spec.api],
		['manual', spec.manual],
	] as const) {
		if (choice.notice) {
			properties.push({
				displayName: choice.notice,
				name: `${value}Notice`,
				type: 'notice',
				default: '',
				displayOptions: shownWith(value),
			});
		}
	}
	return { credentials, properties };
}

/** True when the user registers the webhook in the vendor's UI (or elsewhere) by hand. */
export function isManualRegistration(context: {
	getNodeParameter(name: string, fallback: unknown): unknown;
}): boolean {
	return context.getNodeParameter(REGISTRATION_PARAMETER, 'api') === 'manual';
}

/**
 * For vendors without a registration API: the one notice that says where to paste the URL and the
 * secret. Name `setupNotice`, as tests and docs look for it.
 */
export function manualSetupNotice(text: string): INodeProperties {
	return { displayName: text, name: 'setupNotice', type: 'notice', default: '' };
}

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import type { AuthSettings, SourceSettings } from '../core/pipeline/types';
import type { HmacAlgorithm, HmacEncoding } from '../core/signature/hmac';
import {
	BASIC_AUTH_CREDENTIAL,
	HEADER_TOKEN_CREDENTIAL,
	SIGNING_SECRET_CREDENTIAL,
} from './credentialNames';

const MIB = 1024 * 1024;

interface TriggerOptions {
	dedup?: boolean;
	dedupWindow?: number;
	emitTestEvents?: boolean;
	maxBodySizeMiB?: number;
	privacy?: boolean;
	toleranceSeconds?: number;
	responseCode?: number;
	batchAsOneItem?: boolean;
}

export function readOptions(context: IWebhookFunctions): TriggerOptions & IDataObject {
	return (context.getNodeParameter('options', {}) ?? {}) as TriggerOptions & IDataObject;
}

/** A multi-select, or a comma-separated text field, as a list of event names. */
export function parseEventList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list.map((v) => String(v).trim()).filter(Boolean);
}

/** Settings every trigger shares, from the Options collection. */
export function readCommonSettings(
	context: IWebhookFunctions,
	events: string[],
	auth: AuthSettings,
): SourceSettings {
	const options = readOptions(context);
	return {
		auth,
		events,
		dedup: {
			enabled: options.dedup ?? true,
			window: dedupWindowOf(options),
		},
		privacy: options.privacy ?? false,
		maxBodyBytes: Math.round(clamp(options.maxBodySizeMiB ?? 5, 0.001, 16) * MIB),
		responseCode:
			options.responseCode && options.responseCode >= 200 && options.responseCode < 300
				? options.responseCode
				: 0,
		batchAsOneItem: options.batchAsOneItem ?? false,
		emitTestEvents: options.emitTestEvents ?? false,
	};
}

/** The Dedup Window option (keys remembered across restarts): default 1,000, between 10 and 100,000. */
export function dedupWindowOf(options: { dedupWindow?: unknown }): number {
	return clamp(typeof options.dedupWindow === 'number' ? options.dedupWindow : 1000, 10, 100_000);
}

export function toleranceOf(context: IWebhookFunctions): number {
	return clamp(readOptions(context).toleranceSeconds ?? 300, 0, 3600);
}

/** The secret and the previous secret of the signing credential (rotation). */
export async function readSigningSecrets(context: IWebhookFunctions): Promise<string[]> {
	const credential = await context.getCredentials(SIGNING_SECRET_CREDENTIAL);
	return [credential.secret, credential.previousSecret].filter(
		(s): s is string => typeof s === 'string' && s.length > 0,
	);
}

/** The authentication the user picked for a sender without a scheme of its own. */
export async function readAuthSettings(context: IWebhookFunctions): Promise<AuthSettings> {
	const choice = context.getNodeParameter('authentication', 'none') as string;
	const toleranceSeconds = toleranceOf(context);
	switch (choice) {
		case 'headerToken': {
			const c = await context.getCredentials(HEADER_TOKEN_CREDENTIAL);
			return {
				scheme: 'headerToken',
				headerName: String(c.headerName || 'x-webhook-token'),
				tokens: [c.token, c.previousToken].filter(isText),
			};
		}
		case 'basicAuth': {
			const c = await context.getCredentials(BASIC_AUTH_CREDENTIAL);
			return {
				scheme: 'basicAuth',
				user: String(c.user ?? ''),
				passwords: [c.password, c.previousPassword].filter(isText),
			};
		}
		case 'hmac':
			return {
				scheme: 'hmac',
				secrets: await readSigningSecrets(context),
				...readHmacParameters((name, fallback) => context.getNodeParameter(name, fallback)),
				toleranceSeconds,
			};
		case 'standardWebhooks':
			return {
				scheme: 'standardWebhooks',
				secrets: await readSigningSecrets(context),
				toleranceSeconds,
			};
		default:
			return { scheme: 'none' };
	}
}

export interface HmacParameters {
	algorithm: HmacAlgorithm;
	encoding: HmacEncoding;
	headerName: string;
	prefix: string;
	signedContent: 'body' | 'timestampDotBody';
	timestampHeader: string;
}

/**
 * The HMAC settings (`hmacProperties` in triggerDescription.ts), read the same way by the triggers
 * that verify and the ATS Webhook node that signs, so a pair configured alike always matches.
 */
export function readHmacParameters(
	get: (name: string, fallback: unknown) => unknown,
): HmacParameters {
	return {
		algorithm: get('hmacAlgorithm', 'sha256') as HmacAlgorithm,
		encoding: get('hmacEncoding', 'hex') as HmacEncoding,
		headerName: String(get('hmacHeader', 'x-signature') ?? '').trim(),
		prefix: String(get('hmacPrefix', '') ?? ''),
		signedContent:
			get('hmacSignedContent', 'body') === 'timestampDotBody' ? 'timestampDotBody' : 'body',
		timestampHeader: String(get('hmacTimestampHeader', 'x-timestamp') ?? '').trim(),
	};
}

function isText(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0;
}

function clamp(value: number, min: number, max: number): number {
	const n = Number(value);
	if (!Number.isFinite(n)) return min;
	return Math.min(max, Math.max(min, n));
}

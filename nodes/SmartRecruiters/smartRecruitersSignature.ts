import { failed, verified, type VerifyResult } from '../core/signature/errors';
import { readHeader, usableSecrets, type HeaderBag } from '../core/signature/headers';
import { signHmac } from '../core/signature/hmac';
import { checkTimestamp, parseUnixTimestamp } from '../core/signature/timestamp';
import { safeEqualAny } from '../core/signature/timingSafe';

/**
 * SmartRecruiters callback signature (developers.smartrecruiters.com/reference/subscriptionsgeneratesecretkey-1,
 * docs/nodes/smartRecruitersTrigger.md): header `smartrecruiters-signature: v1=<hex>;v1=<hex>…` (one entry per active
 * key, up to 16; other schemes may appear later and are ignored). `v1` is
 *   hex(HMAC-SHA256(secretKey, timestamp "." body "." event-id "." event-name "." event-version "." link))
 * with the RAW body and the header values as sent; a missing header contributes "".
 * The timestamp (`smartrecruiters-timestamp`, seconds) is checked against a replay window.
 */
export const SIGNATURE_HEADER = 'smartrecruiters-signature';
export const TIMESTAMP_HEADER = 'smartrecruiters-timestamp';
export const SIGNED_HEADERS = ['event-id', 'event-name', 'event-version', 'link'] as const;

export interface SmartRecruitersSigned {
	timestamp: string;
	body: Buffer | string;
	eventId?: string;
	eventName?: string;
	eventVersion?: string;
	link?: string;
}

/** The `v1` value (hex, no prefix) for one key. Public so tests and senders share one code path. */
export function signSmartRecruiters(secret: string, m: SmartRecruitersSigned): string {
	return signHmac({
		secret,
		message: [
			`${m.timestamp}.`,
			m.body,
			`.${m.eventId ?? ''}.${m.eventName ?? ''}.${m.eventVersion ?? ''}.${m.link ?? ''}`,
		],
	});
}

/** The full header value, one `v1=` entry per key, as SmartRecruiters sends it. */
export function smartRecruitersSignatureHeader(
	secrets: string[],
	m: SmartRecruitersSigned,
): string {
	return secrets.map((secret) => `v1=${signSmartRecruiters(secret, m)}`).join(';');
}

/** `v1` entries of the header; other schemes are skipped. */
export function parseSignatureHeader(value: string): string[] {
	return value
		.split(';')
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => {
			const eq = part.indexOf('=');
			return eq < 0
				? { scheme: '', sig: '' }
				: {
						scheme: part.slice(0, eq).trim().toLowerCase(),
						sig: part
							.slice(eq + 1)
							.trim()
							.replace(/^"|"$/g, ''),
					};
		})
		.filter((entry) => entry.scheme === 'v1' && entry.sig.length > 0)
		.map((entry) => entry.sig.toLowerCase());
}

export interface SmartRecruitersVerifyOptions {
	secrets: ReadonlyArray<string | undefined | null>;
	/** Replay window in seconds, both directions; 0 turns the check off (then a missing timestamp is signed as ""). */
	toleranceSeconds: number;
	nowSeconds?: number;
}

/** Verify a callback over its raw body and headers. Never throws. */
export function verifySmartRecruiters(
	headers: HeaderBag,
	rawBody: Buffer,
	options: SmartRecruitersVerifyOptions,
): VerifyResult {
	const secrets = usableSecrets(options.secrets);
	if (secrets.length === 0) {
		return failed(
			'no_secret',
			'No SmartRecruiters secret key is stored yet: publish the workflow so the subscription and its key are created, or set the key.',
		);
	}
	const signature = readHeader(headers, SIGNATURE_HEADER);
	if (signature.multiple)
		return failed(
			'ambiguous_signature_header',
			`Header ${SIGNATURE_HEADER} was sent more than once.`,
		);
	if (!signature.value)
		return failed('missing_signature', `Header ${SIGNATURE_HEADER} is missing.`);
	const provided = parseSignatureHeader(signature.value);
	if (provided.length === 0)
		return failed('no_supported_signature', `Header ${SIGNATURE_HEADER} holds no v1 signature.`);

	const ts = readHeader(headers, TIMESTAMP_HEADER);
	if (ts.multiple)
		return failed(
			'ambiguous_timestamp_header',
			`Header ${TIMESTAMP_HEADER} was sent more than once.`,
		);
	const timestamp = ts.value?.trim() ?? '';
	if (options.toleranceSeconds > 0) {
		if (!timestamp) return failed('missing_timestamp', `Header ${TIMESTAMP_HEADER} is missing.`);
		const seconds = parseUnixTimestamp(timestamp);
		if (seconds === undefined)
			return failed('bad_timestamp', `Header ${TIMESTAMP_HEADER} is not a Unix timestamp.`);
		const window = checkTimestamp(seconds, options.toleranceSeconds, options.nowSeconds);
		if (!window.ok) return window;
	}

	const signed: SmartRecruitersSigned = { timestamp: ts.value ?? '', body: rawBody };
	const [eventId, eventName, eventVersion, link] = SIGNED_HEADERS.map((name) => {
		const h = readHeader(headers, name);
		return h.multiple ? undefined : h.value;
	});
	Object.assign(signed, { eventId, eventName, eventVersion, link });
	const expected = secrets.map((secret) => signSmartRecruiters(secret, signed));
	return safeEqualAny(provided, expected)
		? verified
		: failed(
				'signature_mismatch',
				'No v1 signature matches the body, the event headers and the stored secret keys.',
			);
}

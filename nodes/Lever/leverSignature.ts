import { failed, verified, type VerifyResult } from '../core/signature/errors';
import { usableSecrets } from '../core/signature/headers';
import { signHmac } from '../core/signature/hmac';
import { checkTimestamp, parseUnixTimestamp } from '../core/signature/timestamp';
import { safeEqualAny } from '../core/signature/timingSafe';
import { isRecord } from '../core/json/path';
import { parseJsonBody, type ParseOutcome } from '../core/pipeline/parseBody';

/**
 * Lever's webhook signature (docs/nodes/leverTrigger.md, Lever developer documentation "Webhooks"):
 * the signature is a field of the JSON BODY, not a header:
 *   signature = hex(HMAC-SHA256(signatureToken, token + triggeredAt))
 * `token` is a random 48-character string per request and `triggeredAt` is in milliseconds.
 * With the subscription API every webhook has its own signature token, so several are tried.
 *
 * Note: the signature covers `token` and `triggeredAt` only, not `data`. The replay window on
 * `triggeredAt` and deduplication are what stop a captured signature from being reused.
 */
export interface LeverSignedFields {
	token: string;
	triggeredAt: string;
	signature: string;
}

/** The value Lever puts in `signature`; public so tests and senders share one code path. */
export function signLever(
	signatureToken: string,
	token: string,
	triggeredAt: number | string,
): string {
	return signHmac({ secret: signatureToken, message: `${token}${triggeredAt}` });
}

/** A signed Lever delivery body (the fields Lever adds around `event` and `data`). */
export function signLeverBody(
	signatureToken: string,
	fields: { event: string; data: unknown; triggeredAt: number; token: string; id?: string },
): Record<string, unknown> {
	return { ...fields, signature: signLever(signatureToken, fields.token, fields.triggeredAt) };
}

/** Reads the signed fields from a parsed body; tells why when they are not usable. */
export function readSignedFields(
	body: unknown,
): { ok: true; fields: LeverSignedFields } | { ok: false; reason: string; message: string } {
	if (!isRecord(body))
		return { ok: false, reason: 'not_an_object', message: 'A Lever delivery is a JSON object.' };
	const { token, triggeredAt, signature } = body;
	if (signature === undefined || signature === null || signature === '') {
		return {
			ok: false,
			reason: 'missing_signature',
			message: 'The body has no "signature" field.',
		};
	}
	if (typeof signature !== 'string')
		return {
			ok: false,
			reason: 'bad_signature_format',
			message: 'The "signature" field is not text.',
		};
	if (typeof token !== 'string' || token.length === 0)
		return { ok: false, reason: 'missing_token', message: 'The body has no "token" field.' };
	if (typeof triggeredAt !== 'number' && typeof triggeredAt !== 'string') {
		return {
			ok: false,
			reason: 'missing_timestamp',
			message: 'The body has no "triggeredAt" field.',
		};
	}
	// Lever sends a JSON number; its decimal text is what was signed.
	const text =
		typeof triggeredAt === 'number'
			? Number.isSafeInteger(triggeredAt)
				? String(triggeredAt)
				: ''
			: triggeredAt.trim();
	if (!/^\d{1,16}$/.test(text))
		return {
			ok: false,
			reason: 'bad_timestamp',
			message: '"triggeredAt" is not a Unix timestamp.',
		};
	return { ok: true, fields: { token, triggeredAt: text, signature: signature.trim() } };
}

export interface LeverVerifyOptions {
	secrets: ReadonlyArray<string | undefined | null>;
	/** Replay window in seconds, both directions; 0 turns the check off. */
	toleranceSeconds: number;
	nowSeconds?: number;
}

/** Verify the parsed body of a Lever delivery. Never throws. */
export function verifyLeverBody(body: unknown, options: LeverVerifyOptions): VerifyResult {
	const secrets = usableSecrets(options.secrets);
	if (secrets.length === 0) {
		return failed(
			'no_secret',
			'No Lever signature token is stored yet: publish the workflow so the webhooks are created, or set the token.',
		);
	}
	const read = readSignedFields(body);
	if (!read.ok) return failed(read.reason, read.message);
	const { token, triggeredAt, signature } = read.fields;

	const seconds = parseUnixTimestamp(triggeredAt);
	if (seconds === undefined)
		return failed('bad_timestamp', '"triggeredAt" is not a Unix timestamp.');
	const window = checkTimestamp(seconds, options.toleranceSeconds, options.nowSeconds);
	if (!window.ok) return window;

	const expected = secrets.map((secret) => signLever(secret, token, triggeredAt));
	return safeEqualAny([signature.toLowerCase()], expected)
		? verified
		: failed(
				'signature_mismatch',
				'The signature does not match token + triggeredAt and the stored signature tokens.',
			);
}

/** Verify from the parsed raw body (the pipeline's parse, reused). */
export function verifyLeverParsed(parsed: ParseOutcome, options: LeverVerifyOptions): VerifyResult {
	if (!parsed.ok)
		return failed(
			parsed.reason,
			`${parsed.message} Lever signs fields of the JSON body, so its signature cannot be read.`,
		);
	return verifyLeverBody(parsed.value, options);
}

/** Verify straight from the raw bytes, as the trigger receives them. */
export function verifyLeverRawBody(
	rawBody: Buffer | undefined,
	options: LeverVerifyOptions,
): VerifyResult {
	return verifyLeverParsed(parseJsonBody(rawBody), options);
}

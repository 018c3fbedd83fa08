import { signHmac } from '../core/signature/hmac';
import { failed, verified, type VerifyResult } from '../core/signature/errors';
import { readHeader, usableSecrets, type HeaderBag } from '../core/signature/headers';
import { safeEqualAny } from '../core/signature/timingSafe';

/**
 * Workable webhook signature (workable.readme.io/reference/webhooks, "Encryption"; ats-vendors.md §4):
 * HMAC-SHA256 of the request payload, keyed with the account token or the OAuth application secret,
 * in `X-Workable-Signature`. The encoding is not documented: public integrations compare hex, one
 * accepts hex or base64. Both are accepted here (UNCONFIRMED which one Workable sends); either way
 * the full 256-bit HMAC must match. No timestamp is signed.
 */
export const WORKABLE_SIGNATURE_HEADER = 'x-workable-signature';

export function signWorkable(secret: string, body: string | Buffer, encoding: 'hex' | 'base64' = 'hex'): string {
	return signHmac({ secret, message: body, encoding });
}

/** The provided signature in a comparable form: lowercase hex, or unpadded standard base64. */
function candidates(value: string): string[] {
	let text = value.trim();
	const prefixed = /^sha256[=\s]\s*(.+)$/i.exec(text);
	if (prefixed) text = prefixed[1].trim();
	if (/^[0-9a-fA-F]{64}$/.test(text)) return [`hex:${text.toLowerCase()}`];
	if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(text)) return [`b64:${text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/')}`];
	return [];
}

/** Verify `X-Workable-Signature` over the raw body against every configured key. Never throws. */
export function verifyWorkableSignature(headers: HeaderBag, rawBody: Buffer, secrets: ReadonlyArray<string | undefined | null>): VerifyResult {
	const keys = usableSecrets(secrets);
	if (keys.length === 0) return failed('no_secret', 'No access token or signing secret is configured in the Workable credential.');
	const header = readHeader(headers, WORKABLE_SIGNATURE_HEADER);
	if (header.multiple) return failed('ambiguous_signature_header', 'Header X-Workable-Signature was sent more than once.');
	if (!header.value) return failed('missing_signature', 'Header X-Workable-Signature is missing.');
	const provided = candidates(header.value);
	if (provided.length === 0) return failed('bad_signature_format', 'Header X-Workable-Signature is not a SHA-256 HMAC in hex or base64.');
	const expected = keys.flatMap((secret) => {
		const digest = signHmac({ secret, message: rawBody, encoding: 'hex' });
		return [`hex:${digest}`, `b64:${Buffer.from(digest, 'hex').toString('base64').replace(/=+$/, '')}`];
	});
	return safeEqualAny(provided, expected)
		? verified
		: failed('signature_mismatch', 'The signature does not match the body and the token or secret in the Workable credential.');
}

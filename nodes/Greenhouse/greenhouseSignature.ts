import { signHmac } from '../core/signature/hmac';
import { failed, verified, type VerifyResult } from '../core/signature/errors';
import { readHeader, usableSecrets, type HeaderBag } from '../core/signature/headers';
import { safeEqualAny } from '../core/signature/timingSafe';

/**
 * Greenhouse web hook signature (developers.greenhouse.io/webhooks.html, "Authentication"):
 * `Signature: sha256 <hex>` = the algorithm, a space, and lowercase hex of
 * HMAC-SHA256(secret key, entire raw body). Greenhouse signs no timestamp, so there is no replay
 * window; retries are caught by deduplicating on the `Greenhouse-Event-ID` header instead.
 */
export const GREENHOUSE_SIGNATURE_HEADER = 'signature';

/** The header value Greenhouse would send for this body (used by tests and demo senders). */
export function signGreenhouse(secret: string, body: string | Buffer): string {
	return `sha256 ${signHmac({ secret, message: body })}`;
}

/**
 * Split `sha256 <hex>` into algorithm and digest. Tolerates `sha256=<hex>` and a bare digest, since
 * accepting them weakens nothing (the HMAC must still match).
 */
export function parseGreenhouseSignature(value: string): { algorithm: string; digest: string } | undefined {
	const text = value.trim();
	const match = /^([A-Za-z0-9-]+)(?:\s+|=)([^\s]+)$/.exec(text);
	if (match) return { algorithm: match[1].toLowerCase(), digest: match[2] };
	if (/^[0-9a-fA-F]+$/.test(text)) return { algorithm: 'sha256', digest: text };
	return undefined;
}

/** Verify the `Signature` header over the raw body with the current or previous secret. Never throws. */
export function verifyGreenhouseSignature(headers: HeaderBag, rawBody: Buffer, secrets: ReadonlyArray<string | undefined | null>): VerifyResult {
	const keys = usableSecrets(secrets);
	if (keys.length === 0) return failed('no_secret', 'No secret key is configured in the credential.');
	const header = readHeader(headers, GREENHOUSE_SIGNATURE_HEADER);
	if (header.multiple) return failed('ambiguous_signature_header', 'Header Signature was sent more than once.');
	if (!header.value) return failed('missing_signature', 'Header Signature is missing; set a Secret Key on the Greenhouse web hook.');
	const parsed = parseGreenhouseSignature(header.value);
	if (!parsed) return failed('bad_signature_format', 'Header Signature is not "sha256 <hex>".');
	if (parsed.algorithm !== 'sha256') return failed('unsupported_algorithm', `Header Signature uses ${parsed.algorithm.slice(0, 20)}; only sha256 is supported.`);
	const expected = keys.map((secret) => signHmac({ secret, message: rawBody }));
	return safeEqualAny([parsed.digest.toLowerCase()], expected)
		? verified
		: failed('signature_mismatch', 'The signature does not match the body and the secret key in the credential.');
}

import { signHmac } from '../core/signature/hmac';
import { failed, verified, type VerifyResult } from '../core/signature/errors';
import { readHeader, usableSecrets, type HeaderBag } from '../core/signature/headers';
import { safeEqualAny } from '../core/signature/timingSafe';

/**
 * Ashby webhook signature (developers.ashbyhq.com/docs/authenticating-webhooks; ats-vendors.md §3):
 * `Ashby-Signature: sha256=<hex>`, "the part before the = indicates the algorithm", lowercase hex of
 * HMAC-SHA256(secretToken, raw body). No timestamp is signed; `webhookActionId` is the replay guard.
 */
export const ASHBY_SIGNATURE_HEADER = 'ashby-signature';

export function signAshby(secret: string, body: string | Buffer): string {
	return `sha256=${signHmac({ secret, message: body })}`;
}

export function parseAshbySignature(value: string): { algorithm: string; digest: string } | undefined {
	const match = /^\s*([A-Za-z0-9-]+)\s*[= ]\s*([^\s]+)\s*$/.exec(value);
	return match ? { algorithm: match[1].toLowerCase(), digest: match[2] } : undefined;
}

/** Verify `Ashby-Signature` over the raw body with the secret this trigger gave Ashby. Never throws. */
export function verifyAshbySignature(headers: HeaderBag, rawBody: Buffer, secrets: ReadonlyArray<string | undefined | null>): VerifyResult {
	const keys = usableSecrets(secrets);
	if (keys.length === 0) {
		return failed('no_secret', 'No webhook secret is stored for this trigger; unpublish and publish the workflow so it registers its Ashby webhooks again.');
	}
	const header = readHeader(headers, ASHBY_SIGNATURE_HEADER);
	if (header.multiple) return failed('ambiguous_signature_header', 'Header Ashby-Signature was sent more than once.');
	if (!header.value) return failed('missing_signature', 'Header Ashby-Signature is missing.');
	const parsed = parseAshbySignature(header.value);
	if (!parsed) return failed('bad_signature_format', 'Header Ashby-Signature is not "sha256=<hex>".');
	if (parsed.algorithm !== 'sha256') return failed('unsupported_algorithm', `Header Ashby-Signature uses ${parsed.algorithm.slice(0, 20)}; only sha256 is supported.`);
	const expected = keys.map((secret) => signHmac({ secret, message: rawBody }));
	return safeEqualAny([parsed.digest.toLowerCase()], expected)
		? verified
		: failed('signature_mismatch', 'The signature does not match the body and the secret this trigger registered with Ashby.');
}

import { signBodyHmac, verifyBodyHmac, type BodyHmacScheme } from '../core/signature/bodyHmac';
import type { VerifyResult } from '../core/signature/errors';
import type { HeaderBag } from '../core/signature/headers';

/**
 * Greenhouse web hook signature (developers.greenhouse.io/webhooks.html, "Authentication"):
 * `Signature: sha256 <hex>` = the algorithm, a space, and lowercase hex of
 * HMAC-SHA256(secret key, entire raw body). Greenhouse signs no timestamp, so there is no replay
 * window; retries are caught by deduplicating on the `Greenhouse-Event-ID` header instead.
 * `sha256=<hex>` and a bare digest are tolerated: the HMAC must still match.
 */
export const GREENHOUSE_SIGNATURE: BodyHmacScheme = {
	header: 'Signature',
	encodings: ['hex'],
	algorithmLabel: 'optional',
	labelSeparator: ' ',
	noSecretMessage: 'No secret key is configured in the credential.',
	missingHint: 'Set a Secret Key on the Greenhouse web hook.',
	mismatchMessage: 'The signature does not match the body and the secret key in the credential.',
};

/** The header value Greenhouse would send for this body (used by tests and demo senders). */
export function signGreenhouse(secret: string, body: string | Buffer): string {
	return signBodyHmac(GREENHOUSE_SIGNATURE, secret, body);
}

/** Verify the `Signature` header over the raw body with the current or previous secret. Never throws. */
export function verifyGreenhouseSignature(
	headers: HeaderBag,
	rawBody: Buffer,
	secrets: ReadonlyArray<string | undefined | null>,
): VerifyResult {
	return verifyBodyHmac(headers, rawBody, secrets, GREENHOUSE_SIGNATURE);
}

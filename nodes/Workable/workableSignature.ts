import { signBodyHmac, verifyBodyHmac, type BodyHmacScheme } from '../core/signature/bodyHmac';
import type { VerifyResult } from '../core/signature/errors';
import type { HeaderBag } from '../core/signature/headers';

/**
 * Workable webhook signature (workable.readme.io/reference/webhooks, "Encryption"):
 * HMAC-SHA256 of the request payload, keyed with the account token or the OAuth application secret,
 * in `X-Workable-Signature`. The encoding is not documented: public integrations compare hex, one
 * accepts hex or base64. Both are accepted here (UNCONFIRMED which one Workable sends); either way
 * the full 256-bit HMAC must match. No timestamp is signed.
 */
export const WORKABLE_SIGNATURE: BodyHmacScheme = {
	header: 'X-Workable-Signature',
	encodings: ['hex', 'base64'],
	algorithmLabel: 'optional',
	labelSeparator: '=',
	noSecretMessage: 'No access token or signing secret is configured in the Workable credential.',
	mismatchMessage:
		'The signature does not match the body and the token or secret in the Workable credential.',
};

export function signWorkable(
	secret: string,
	body: string | Buffer,
	encoding: 'hex' | 'base64' = 'hex',
): string {
	return signBodyHmac(
		{ ...WORKABLE_SIGNATURE, encodings: [encoding], algorithmLabel: 'none' },
		secret,
		body,
	);
}

/** Verify `X-Workable-Signature` over the raw body against every configured key. Never throws. */
export function verifyWorkableSignature(
	headers: HeaderBag,
	rawBody: Buffer,
	secrets: ReadonlyArray<string | undefined | null>,
): VerifyResult {
	return verifyBodyHmac(headers, rawBody, secrets, WORKABLE_SIGNATURE);
}

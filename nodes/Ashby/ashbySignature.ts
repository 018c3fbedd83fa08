import { signBodyHmac, verifyBodyHmac, type BodyHmacScheme } from '../core/signature/bodyHmac';
import type { VerifyResult } from '../core/signature/errors';
import type { HeaderBag } from '../core/signature/headers';

/**
 * Ashby webhook signature (developers.ashbyhq.com/docs/authenticating-webhooks):
 * `Ashby-Signature: sha256=<hex>`, "the part before the = indicates the algorithm", lowercase hex of
 * HMAC-SHA256(secretToken, raw body). No timestamp is signed; `webhookActionId` is the replay guard.
 */
export const ASHBY_SIGNATURE: BodyHmacScheme = {
	header: 'Ashby-Signature',
	encodings: ['hex'],
	algorithmLabel: 'required',
	labelSeparator: '=',
	noSecretMessage:
		'No webhook secret is stored for this trigger; unpublish and publish the workflow so it registers its Ashby webhooks again.',
	mismatchMessage:
		'The signature does not match the body and the secret this trigger registered with Ashby.',
};

export function signAshby(secret: string, body: string | Buffer): string {
	return signBodyHmac(ASHBY_SIGNATURE, secret, body);
}

/** Verify `Ashby-Signature` over the raw body with the secret this trigger gave Ashby. Never throws. */
export function verifyAshbySignature(
	headers: HeaderBag,
	rawBody: Buffer,
	secrets: ReadonlyArray<string | undefined | null>,
): VerifyResult {
	return verifyBodyHmac(headers, rawBody, secrets, ASHBY_SIGNATURE);
}

import { signBodyHmac, verifyBodyHmac, type BodyHmacScheme } from '../core/signature/bodyHmac';
import type { VerifyResult } from '../core/signature/errors';
import type { HeaderBag } from '../core/signature/headers';

/**
 * Recruitee webhook signature: `X-Recruitee-Signature` = lowercase hex of HMAC-SHA256(the webhook's
 * secret shown in Recruitee's webhook dialog, raw body). The page docs.recruitee.com/docs/webhooks
 * was not available word for word; the scheme is the one every public Recruitee receiver checks
 * (UNCONFIRMED wording, see docs/nodes/recruiteeTrigger.md). No timestamp is signed.
 */
export const RECRUITEE_SIGNATURE: BodyHmacScheme = {
	header: 'X-Recruitee-Signature',
	encodings: ['hex'],
	algorithmLabel: 'optional',
	labelSeparator: '=',
	noSecretMessage:
		'No webhook secret is configured in the credential (Recruitee shows it in the webhook dialog).',
	mismatchMessage:
		'The signature does not match the body and the webhook secret in the credential.',
};

export function signRecruitee(secret: string, body: string | Buffer): string {
	return signBodyHmac({ ...RECRUITEE_SIGNATURE, algorithmLabel: 'none' }, secret, body);
}

export function verifyRecruiteeSignature(
	headers: HeaderBag,
	rawBody: Buffer,
	secrets: ReadonlyArray<string | undefined | null>,
): VerifyResult {
	return verifyBodyHmac(headers, rawBody, secrets, RECRUITEE_SIGNATURE);
}

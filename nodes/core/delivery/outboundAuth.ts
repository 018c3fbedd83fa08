import { signGenericHmac, type HmacAlgorithm, type HmacEncoding } from '../signature/hmac';
import { SignatureError } from '../signature/errors';
import { basicAuthHeader } from '../signature/simpleAuth';
import { decodeStandardSecret, standardWebhookHeaders } from '../signature/standardWebhooks';

/**
 * How the sender proves itself: the same choices, names and defaults as the triggers'
 * `authentication` setting, signed with the same core functions the triggers verify with, so a
 * request from this node passes our triggers by construction. Signing uses the current secret
 * only (the previous one exists for receivers during rotation).
 */
export type OutboundAuth =
	| { scheme: 'none' }
	| { scheme: 'headerToken'; headerName: string; token: string }
	| { scheme: 'basicAuth'; user: string; password: string }
	| {
			scheme: 'hmac';
			secret: string;
			algorithm: HmacAlgorithm;
			encoding: HmacEncoding;
			headerName: string;
			prefix: string;
			signedContent: 'body' | 'timestampDotBody';
			timestampHeader: string;
	  }
	| { scheme: 'standardWebhooks'; secret: string };

/** Settings problems found before anything is sent (a bad secret is a setup error, not a delivery failure). */
export function checkOutboundAuth(
	auth: OutboundAuth,
): { ok: true } | { ok: false; reason: string; message: string } {
	const header = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
	switch (auth.scheme) {
		case 'standardWebhooks':
			try {
				decodeStandardSecret(auth.secret);
				return { ok: true };
			} catch (error) {
				const e = error as SignatureError;
				return { ok: false, reason: e.reason ?? 'bad_secret', message: e.message };
			}
		case 'hmac':
			if (!auth.secret)
				return { ok: false, reason: 'no_secret', message: 'The signing credential has no secret.' };
			if (!header.test(auth.headerName))
				return {
					ok: false,
					reason: 'bad_header_name',
					message: 'Signature Header is not a valid header name.',
				};
			if (auth.signedContent === 'timestampDotBody' && !header.test(auth.timestampHeader)) {
				return {
					ok: false,
					reason: 'bad_header_name',
					message: 'Timestamp Header is not a valid header name.',
				};
			}
			return { ok: true };
		case 'headerToken':
			if (!auth.token)
				return {
					ok: false,
					reason: 'no_secret',
					message: 'The header token credential has no token.',
				};
			if (!header.test(auth.headerName))
				return {
					ok: false,
					reason: 'bad_header_name',
					message: "The credential's header name is not a valid header name.",
				};
			return { ok: true };
		case 'basicAuth':
			if (!auth.user)
				return {
					ok: false,
					reason: 'no_secret',
					message: 'The Basic Auth credential has no user.',
				};
			if (auth.user.includes(':'))
				return {
					ok: false,
					reason: 'bad_user',
					message: 'A Basic Auth user must not contain a colon.',
				};
			return { ok: true };
		default:
			return { ok: true };
	}
}

export interface SignInput {
	/** The idempotency key; also `webhook-id`. */
	id: string;
	/** The exact body text that is sent. */
	body: string;
	/** Unix seconds of this attempt: a retry is signed afresh, so a long retry stays inside the receiver's replay window. */
	nowSeconds: number;
}

/** Headers for one attempt: idempotency headers always, plus the chosen scheme's. */
export function outboundHeaders(auth: OutboundAuth, input: SignInput): Record<string, string> {
	const headers: Record<string, string> = { 'Idempotency-Key': input.id, 'webhook-id': input.id };
	switch (auth.scheme) {
		case 'standardWebhooks':
			Object.assign(
				headers,
				standardWebhookHeaders([auth.secret], input.id, input.nowSeconds, input.body),
			);
			break;
		case 'hmac': {
			const timestamp = String(input.nowSeconds);
			headers[auth.headerName] = signGenericHmac({
				secret: auth.secret,
				algorithm: auth.algorithm,
				encoding: auth.encoding,
				prefix: auth.prefix,
				signedContent: auth.signedContent,
				body: input.body,
				timestamp,
			});
			if (auth.signedContent === 'timestampDotBody') headers[auth.timestampHeader] = timestamp;
			break;
		}
		case 'headerToken':
			headers[auth.headerName] =
				auth.headerName.toLowerCase() === 'authorization' ? `Bearer ${auth.token}` : auth.token;
			break;
		case 'basicAuth':
			headers.Authorization = basicAuthHeader(auth.user, auth.password);
			break;
		default:
			break;
	}
	return headers;
}

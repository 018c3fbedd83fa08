/**
 * Why a delivery failed authentication. `reason` is a short code for the 401 body and for logs;
 * `message` says what to check. Neither ever contains a secret or the body.
 */
export class SignatureError extends Error {
	constructor(
		readonly reason: string,
		message: string,
	) {
		super(message);
		this.name = 'SignatureError';
	}
}

export type VerifyResult = { ok: true } | { ok: false; reason: string; message: string };

export const verified: VerifyResult = { ok: true };

export function failed(reason: string, message: string): VerifyResult {
	return { ok: false, reason, message };
}

import { verifyGenericHmac } from '../signature/hmac';
import { verifyBasicAuth, verifyHeaderToken } from '../signature/simpleAuth';
import { verifyStandardWebhook } from '../signature/standardWebhooks';
import type { VerifyResult } from '../signature/errors';
import type { AuthResult, AuthSettings, InboundRequest } from './types';

/** Step 3 for senders without a scheme of their own: the scheme the user picked in the node. */
export function authenticateWith(auth: AuthSettings, request: InboundRequest): AuthResult {
	const body = request.rawBody ?? Buffer.alloc(0);
	const nowSeconds = Math.floor(request.now / 1000);
	let result: VerifyResult;
	switch (auth.scheme) {
		case 'none':
			return { ok: true, scheme: 'none', verified: false };
		case 'headerToken':
			result = verifyHeaderToken(request.headers, auth.headerName, auth.tokens);
			break;
		case 'basicAuth':
			result = verifyBasicAuth(request.headers, auth.user, auth.passwords);
			break;
		case 'hmac':
			result = verifyGenericHmac(request.headers, body, { ...auth, nowSeconds });
			break;
		case 'standardWebhooks':
			result = verifyStandardWebhook(request.headers, body, { ...auth, nowSeconds });
			break;
		case 'vendor':
			return {
				ok: false,
				reason: 'no_vendor_scheme',
				message: 'This source has no signature scheme of its own.',
			};
		case 'unavailable':
			// 503 rather than 401: the sender retries later instead of dropping the event while the user fixes the credential.
			return {
				ok: false,
				reason: 'not_configured',
				message: 'The trigger is not fully configured (check its credential); retry later.',
				status: 503,
				headers: { 'Retry-After': '60' },
			};
	}
	return result.ok ? { ok: true, scheme: auth.scheme, verified: true } : result;
}

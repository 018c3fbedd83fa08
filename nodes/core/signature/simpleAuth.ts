import { failed, verified, type VerifyResult } from './errors';
import { readHeader, usableSecrets, type HeaderBag } from './headers';
import { safeEqual, safeEqualAny } from './timingSafe';

/** A shared token in a header (e.g. `X-Webhook-Token`), current or previous. */
export function verifyHeaderToken(
	headers: HeaderBag,
	headerName: string,
	tokens: ReadonlyArray<string | undefined | null>,
): VerifyResult {
	const accepted = usableSecrets(tokens);
	if (accepted.length === 0)
		return failed('no_secret', 'No token is configured in the credential.');
	const header = readHeader(headers, headerName);
	if (header.multiple)
		return failed('ambiguous_token_header', `Header ${headerName} was sent more than once.`);
	if (!header.value) return failed('missing_token', `Header ${headerName} is missing.`);
	let value = header.value.trim();
	// Accept "Bearer <token>" when the header is Authorization, as senders commonly do.
	if (headerName.toLowerCase() === 'authorization' && /^bearer\s+/i.test(value))
		value = value.replace(/^bearer\s+/i, '');
	return safeEqualAny([value], accepted)
		? verified
		: failed('token_mismatch', `Header ${headerName} does not hold the configured token.`);
}

/** HTTP Basic auth, with an optional previous password for rotation. */
export function verifyBasicAuth(
	headers: HeaderBag,
	user: string,
	passwords: ReadonlyArray<string | undefined | null>,
): VerifyResult {
	const accepted = usableSecrets(passwords);
	if (!user || accepted.length === 0)
		return failed('no_secret', 'No user and password are configured in the credential.');
	const header = readHeader(headers, 'authorization');
	if (!header.value) return failed('missing_credentials', 'Header Authorization is missing.');
	const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header.value);
	if (!match) return failed('bad_authorization', 'Header Authorization is not Basic auth.');
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0)
		return failed('bad_authorization', 'Basic credentials have no user:password form.');
	const userOk = safeEqual(decoded.slice(0, colon), user);
	const passwordOk = safeEqualAny([decoded.slice(colon + 1)], accepted);
	return userOk && passwordOk
		? verified
		: failed('credentials_mismatch', 'User or password does not match the credential.');
}

export function basicAuthHeader(user: string, password: string): string {
	return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

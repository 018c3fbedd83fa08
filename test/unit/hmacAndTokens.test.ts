import { createHmac } from 'node:crypto';
import {
	basicAuthHeader,
	safeEqual,
	signGenericHmac,
	signHmac,
	verifyBasicAuth,
	verifyGenericHmac,
	verifyHeaderToken,
	type GenericHmacOptions,
} from '../../nodes/core/signature';

const body = Buffer.from('{"id":"x","type":"data-changed","data":{}}');

const base: GenericHmacOptions = {
	secrets: ['test_secret'],
	algorithm: 'sha256',
	encoding: 'hex',
	headerName: 'x-signature',
};

describe('generic HMAC', () => {
	it('matches an independently computed vector (CONTRIBUTING.md "Test vectors", JazzHR/Recruitee row)', () => {
		expect(signHmac({ secret: 'test_secret', message: body })).toBe(
			'32ac1caa4995115418d9e33c493c4fb37dbcbb1d9db768625aa1489feb05544a',
		);
	});

	it.each([
		['sha256', 'hex'],
		['sha1', 'hex'],
		['sha512', 'hex'],
		['sha256', 'base64'],
		['sha256', 'base64url'],
		['sha512', 'base64url'],
	] as const)('verifies %s/%s against node:crypto computed separately', (algorithm, encoding) => {
		const expected = createHmac(algorithm, 'test_secret').update(body).digest(encoding);
		const options = { ...base, algorithm, encoding };
		expect(verifyGenericHmac({ 'x-signature': expected }, body, options)).toEqual({ ok: true });
		expect(
			verifyGenericHmac({ 'x-signature': expected }, Buffer.from(body.toString() + ' '), options),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('accepts upper-case hex and missing base64 padding', () => {
		const hex = signHmac({ secret: 'test_secret', message: body }).toUpperCase();
		expect(verifyGenericHmac({ 'x-signature': hex }, body, base)).toEqual({ ok: true });
		const b64 = signHmac({ secret: 'test_secret', encoding: 'base64', message: body }).replace(
			/=+$/,
			'',
		);
		expect(
			verifyGenericHmac({ 'x-signature': b64 }, body, { ...base, encoding: 'base64' }),
		).toEqual({ ok: true });
	});

	it('handles a prefix (sha256=) and refuses a header without it', () => {
		const header = signGenericHmac({
			secret: 'test_secret',
			algorithm: 'sha256',
			encoding: 'hex',
			prefix: 'sha256=',
			body,
		});
		expect(header.startsWith('sha256=')).toBe(true);
		const options = { ...base, prefix: 'sha256=' };
		expect(verifyGenericHmac({ 'x-signature': header }, body, options)).toEqual({ ok: true });
		expect(verifyGenericHmac({ 'x-signature': header.slice(7) }, body, options)).toMatchObject({
			reason: 'bad_signature_format',
		});
	});

	it('ignores an empty previous-secret field instead of matching an empty key', () => {
		const header = signHmac({ secret: '', message: body });
		expect(
			verifyGenericHmac({ 'x-signature': header }, body, { ...base, secrets: ['test_secret', ''] }),
		).toMatchObject({ ok: false });
		expect(
			verifyGenericHmac({ 'x-signature': header }, body, { ...base, secrets: ['', undefined] }),
		).toMatchObject({ reason: 'no_secret' });
	});

	it('finds the header case-insensitively and reports a missing one', () => {
		const header = signHmac({ secret: 'test_secret', message: body });
		expect(verifyGenericHmac({ 'X-Signature': header }, body, base)).toEqual({ ok: true });
		expect(verifyGenericHmac({}, body, base)).toMatchObject({ reason: 'missing_signature' });
	});

	describe('timestamp.body', () => {
		const ts = 1_700_000_000;
		const options: GenericHmacOptions = {
			...base,
			signedContent: 'timestampDotBody',
			timestampHeader: 'x-timestamp',
			toleranceSeconds: 300,
			nowSeconds: ts,
		};
		const sign = (t: number) =>
			signGenericHmac({
				secret: 'test_secret',
				algorithm: 'sha256',
				encoding: 'hex',
				signedContent: 'timestampDotBody',
				timestamp: String(t),
				body,
			});

		it('signs `${timestamp}.${body}`', () => {
			expect(sign(ts)).toBe(
				createHmac('sha256', 'test_secret').update(`${ts}.${body.toString()}`).digest('hex'),
			);
			expect(
				verifyGenericHmac({ 'x-signature': sign(ts), 'x-timestamp': String(ts) }, body, options),
			).toEqual({ ok: true });
		});

		// Stale and future timestamps and rotation: test/contract/schemes.test.ts.
		it('rejects a timestamp changed after signing, and a missing timestamp header', () => {
			expect(
				verifyGenericHmac(
					{ 'x-signature': sign(ts), 'x-timestamp': String(ts + 1) },
					body,
					options,
				),
			).toMatchObject({ reason: 'signature_mismatch' });
			expect(verifyGenericHmac({ 'x-signature': sign(ts) }, body, options)).toMatchObject({
				reason: 'missing_timestamp',
			});
		});
	});
});

describe('header token and Basic auth', () => {
	it('accepts the current and the previous token, rejects others', () => {
		expect(
			verifyHeaderToken({ 'x-webhook-token': 'new' }, 'X-Webhook-Token', ['new', 'old']),
		).toEqual({ ok: true });
		expect(
			verifyHeaderToken({ 'x-webhook-token': 'old' }, 'x-webhook-token', ['new', 'old']),
		).toEqual({ ok: true });
		expect(
			verifyHeaderToken({ 'x-webhook-token': 'nope' }, 'x-webhook-token', ['new', 'old']),
		).toMatchObject({ reason: 'token_mismatch' });
		expect(verifyHeaderToken({}, 'x-webhook-token', ['new'])).toMatchObject({
			reason: 'missing_token',
		});
		expect(
			verifyHeaderToken({ 'x-webhook-token': 'new' }, 'x-webhook-token', ['', undefined]),
		).toMatchObject({ reason: 'no_secret' });
	});

	it('accepts "Bearer <token>" in Authorization', () => {
		expect(
			verifyHeaderToken({ authorization: 'Bearer s3cret' }, 'Authorization', ['s3cret']),
		).toEqual({ ok: true });
	});

	it('checks Basic auth user and password, with a previous password', () => {
		expect(verifyBasicAuth({ authorization: basicAuthHeader('ats', 'pw') }, 'ats', ['pw'])).toEqual(
			{ ok: true },
		);
		expect(
			verifyBasicAuth({ authorization: basicAuthHeader('ats', 'old') }, 'ats', ['pw', 'old']),
		).toEqual({ ok: true });
		expect(
			verifyBasicAuth({ authorization: basicAuthHeader('other', 'pw') }, 'ats', ['pw']),
		).toMatchObject({ reason: 'credentials_mismatch' });
		expect(
			verifyBasicAuth({ authorization: basicAuthHeader('ats', 'pw:x') }, 'ats', ['pw']),
		).toMatchObject({ reason: 'credentials_mismatch' });
		expect(verifyBasicAuth({ authorization: 'Bearer x' }, 'ats', ['pw'])).toMatchObject({
			reason: 'bad_authorization',
		});
		expect(verifyBasicAuth({}, 'ats', ['pw'])).toMatchObject({ reason: 'missing_credentials' });
	});

	it('compares equal-length values with timingSafeEqual and refuses other lengths', () => {
		expect(safeEqual('abc', 'abc')).toBe(true);
		expect(safeEqual('abc', 'abcd')).toBe(false);
		expect(safeEqual('', '')).toBe(true);
		expect(safeEqual(Buffer.from('x'), 'x')).toBe(true);
	});
});

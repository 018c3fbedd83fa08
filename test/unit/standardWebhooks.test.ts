import {
	decodeStandardSecret,
	signStandardWebhook,
	standardWebhookHeaders,
	verifyStandardWebhook,
	SignatureError,
} from '../../nodes/core/signature';

/**
 * Vectors and negative cases from the Standard Webhooks reference libraries
 * (https://github.com/standard-webhooks/standard-webhooks: libraries/javascript/src/webhook.test.ts
 * and libraries/rust/src/lib.rs). Each case mutates one field
 * of a valid fixture, as the reference tests do.
 */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const BODY = '{"test": 2432232314}';
const EXPECTED = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

function fixture(
	overrides: Partial<Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>> = {},
) {
	return {
		'webhook-id': ID,
		'webhook-timestamp': String(TS),
		'webhook-signature': EXPECTED,
		...overrides,
	};
}

const verify = (
	headers: Record<string, string>,
	body = BODY,
	secrets = [SECRET],
	nowSeconds = TS,
) => verifyStandardWebhook(headers, Buffer.from(body), { secrets, nowSeconds });

describe('Standard Webhooks: official vectors', () => {
	it('signs the JavaScript/Python/Go vector', () => {
		expect(signStandardWebhook({ secret: SECRET, id: ID, timestamp: TS, body: BODY })).toBe(
			EXPECTED,
		);
	});

	it('signs the Rust vector', () => {
		expect(
			signStandardWebhook({
				secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
				id: 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk',
				timestamp: 1649367553,
				body: '{"email":"test@example.com","username":"test_user"}',
			}),
		).toBe('v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=');
	});

	it('verifies the vector', () => {
		expect(verify(fixture())).toEqual({ ok: true });
	});

	it('accepts the secret with and without the whsec_ prefix, both ways', () => {
		const bare = 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
		expect(signStandardWebhook({ secret: bare, id: ID, timestamp: TS, body: BODY })).toBe(EXPECTED);
		expect(verify(fixture(), BODY, [bare])).toEqual({ ok: true });
	});

	it('verifies what it signs, round trip, with svix-* header names too', () => {
		const headers = standardWebhookHeaders([SECRET], 'msg_1', TS, BODY);
		expect(verify(headers)).toEqual({ ok: true });
		const svix = {
			'svix-id': headers['webhook-id'],
			'svix-timestamp': headers['webhook-timestamp'],
			'svix-signature': headers['webhook-signature'],
		};
		expect(verify(svix)).toEqual({ ok: true });
	});

	it('accepts a header holding several signatures and unknown versions when one v1 matches', () => {
		const sig = `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${EXPECTED} v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=`;
		expect(verify(fixture({ 'webhook-signature': sig }))).toEqual({ ok: true });
	});

	it('accepts a delivery signed with the previous secret during rotation', () => {
		const old = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
		const headers = standardWebhookHeaders([old], ID, TS, BODY);
		expect(verify(headers, BODY, [SECRET])).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
		expect(verify(headers, BODY, [SECRET, old])).toEqual({ ok: true });
	});
});

describe('Standard Webhooks: negative cases', () => {
	it.each([
		['wrong signature', 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', 'signature_mismatch'],
		['invalid signature', 'v1,dawfeoifkpqwoekfpqoekf', 'signature_mismatch'],
		['partial signature (first 8 characters)', EXPECTED.slice(0, 8), 'signature_mismatch'],
		['truncated v1 signature', EXPECTED.slice(0, EXPECTED.length - 4), 'signature_mismatch'],
		['empty v1 signature', 'v1,', 'signature_mismatch'],
		['unknown version only', EXPECTED.replace('v1,', 'v2,'), 'no_supported_signature'],
		[
			'Rust invalid vector',
			'v1,R3PTzyfHASBKHH98a7yexTwaJ4yNIcGhFQc1yuN+BPU=',
			'signature_mismatch',
		],
	])('rejects a %s', (_name, signature, reason) => {
		expect(verify(fixture({ 'webhook-signature': signature }))).toMatchObject({
			ok: false,
			reason,
		});
	});

	it('rejects a tampered body', () => {
		expect(verify(fixture(), '{"test": 2432232315}')).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});

	it('rejects a changed message id (the id is signed)', () => {
		expect(verify(fixture({ 'webhook-id': 'msg_other' }))).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});

	it('rejects a stale timestamp and a future one (tolerance both ways, 5 minutes)', () => {
		expect(verify(fixture(), BODY, [SECRET], TS + 301)).toMatchObject({
			ok: false,
			reason: 'timestamp_too_old',
		});
		expect(verify(fixture(), BODY, [SECRET], TS - 301)).toMatchObject({
			ok: false,
			reason: 'timestamp_in_future',
		});
		expect(verify(fixture(), BODY, [SECRET], TS + 299)).toEqual({ ok: true });
		expect(verify(fixture(), BODY, [SECRET], TS - 299)).toEqual({ ok: true });
	});

	it('checks the timestamp before the signature (a stale replay is reported as stale)', () => {
		expect(
			verify(fixture({ 'webhook-signature': 'v1,bad' }), BODY, [SECRET], TS + 3600),
		).toMatchObject({ reason: 'timestamp_too_old' });
	});

	it('rejects a non-numeric or millisecond timestamp', () => {
		expect(verify(fixture({ 'webhook-timestamp': 'yesterday' }))).toMatchObject({
			ok: false,
			reason: 'bad_timestamp',
		});
		expect(verify(fixture({ 'webhook-timestamp': String(TS * 1000) }))).toMatchObject({
			ok: false,
			reason: 'bad_timestamp',
		});
	});

	it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)(
		'rejects a missing %s header',
		(name) => {
			const headers: Record<string, string> = fixture();
			delete headers[name];
			expect(verify(headers)).toMatchObject({ ok: false, reason: 'missing_signature' });
		},
	);

	it('rejects a header sent twice instead of guessing', () => {
		const headers = { ...fixture(), 'webhook-signature': [EXPECTED, EXPECTED] } as never;
		expect(verifyStandardWebhookSafe(headers)).toMatchObject({
			ok: false,
			reason: 'ambiguous_signature_header',
		});
	});

	it('rejects a message id with a full stop (it would shift the signed content)', () => {
		expect(verify(fixture({ 'webhook-id': 'msg.1' }))).toMatchObject({
			ok: false,
			reason: 'bad_message_id',
		});
	});

	it('refuses an empty secret or a bare prefix when signing', () => {
		expect(() => decodeStandardSecret('')).toThrow(SignatureError);
		expect(() => decodeStandardSecret('whsec_')).toThrow(SignatureError);
		expect(() => decodeStandardSecret(' whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toThrow(
			/whitespace/,
		);
	});

	it('reports an unusable or missing secret as a failure, never a throw, when verifying', () => {
		expect(verify(fixture(), BODY, ['whsec_'])).toMatchObject({ ok: false, reason: 'bad_secret' });
		expect(verify(fixture(), BODY, [])).toMatchObject({ ok: false, reason: 'no_secret' });
		expect(verify(fixture(), BODY, ['not base64 !'])).toMatchObject({
			ok: false,
			reason: 'bad_secret',
		});
	});

	it('never includes the secret in a failure message', () => {
		const result = verify(fixture({ 'webhook-signature': 'v1,x' }));
		expect(JSON.stringify(result)).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
	});
});

function verifyStandardWebhookSafe(headers: Record<string, string | string[]>) {
	return verifyStandardWebhook(headers, Buffer.from(BODY), { secrets: [SECRET], nowSeconds: TS });
}

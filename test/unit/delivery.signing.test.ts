import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
	checkOutboundAuth,
	outboundHeaders,
	type OutboundAuth,
} from '../../nodes/core/delivery/outboundAuth';
import { verifyGenericHmac } from '../../nodes/core/signature/hmac';
import { verifyBasicAuth, verifyHeaderToken } from '../../nodes/core/signature/simpleAuth';
import { verifyStandardWebhook } from '../../nodes/core/signature/standardWebhooks';

/**
 * What the node sends verifies with our triggers' verifiers (by construction: same core) AND with
 * an independent implementation, the `standardwebhooks` npm package (the Standard Webhooks
 * reference JavaScript library, CONTRIBUTING.md "Outbound delivery").
 */
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({
	event: 'candidate.exported',
	batch_id: 'x1:0',
	candidates: [{ id: 'c1', name: 'Zoë' }],
});
const now = Math.floor(Date.now() / 1000);
const lower = (h: Record<string, string>) =>
	Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

describe('Standard Webhooks signing', () => {
	const auth: OutboundAuth = { scheme: 'standardWebhooks', secret };
	const headers = lower(outboundHeaders(auth, { id: 'x1:0', body, nowSeconds: now }));

	it('carries the idempotency key as Idempotency-Key and webhook-id', () => {
		expect(headers['idempotency-key']).toBe('x1:0');
		expect(headers['webhook-id']).toBe('x1:0');
		expect(headers['webhook-timestamp']).toBe(String(now));
		expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
	});

	it('verifies with the standardwebhooks package (independent implementation)', () => {
		const wh = new Webhook(secret);
		expect(wh.verify(body, headers)).toEqual(JSON.parse(body));
		// The package's own signature for the same message is the one we sent.
		expect(wh.sign('x1:0', new Date(now * 1000), body)).toBe(headers['webhook-signature']);
	});

	it("verifies with our triggers' verifier", () => {
		expect(verifyStandardWebhook(headers, Buffer.from(body), { secrets: [secret] })).toEqual({
			ok: true,
		});
	});

	it('a changed byte or another secret fails in both', () => {
		const tampered = body.replace('Zoë', 'Zoe');
		expect(() => new Webhook(secret).verify(tampered, headers)).toThrow(WebhookVerificationError);
		expect(
			verifyStandardWebhook(headers, Buffer.from(tampered), { secrets: [secret] }),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
		const other = `whsec_${randomBytes(32).toString('base64')}`;
		expect(() => new Webhook(other).verify(body, headers)).toThrow(WebhookVerificationError);
	});

	it('a retry keeps the key and is signed with its own timestamp', () => {
		const retry = lower(outboundHeaders(auth, { id: 'x1:0', body, nowSeconds: now + 7 }));
		expect(retry['webhook-id']).toBe(headers['webhook-id']);
		expect(retry['webhook-timestamp']).toBe(String(now + 7));
		expect(new Webhook(secret).verify(body, retry)).toBeTruthy();
	});

	it('an unusable secret is a setup error found before sending', () => {
		expect(checkOutboundAuth({ scheme: 'standardWebhooks', secret: 'not base64 !' })).toMatchObject(
			{ ok: false, reason: 'bad_secret' },
		);
		expect(checkOutboundAuth({ scheme: 'standardWebhooks', secret: ` ${secret}` })).toMatchObject({
			ok: false,
			reason: 'bad_secret',
		});
		expect(checkOutboundAuth(auth)).toEqual({ ok: true });
	});
});

describe("HMAC header signing (the triggers' hmac settings)", () => {
	const plain = 'a plain shared secret';
	it.each([
		['sha256', 'hex', '', 'body'],
		['sha256', 'base64', 'sha256=', 'body'],
		['sha512', 'base64url', 'v1=', 'body'],
		['sha1', 'hex', '', 'timestampDotBody'],
		['sha256', 'hex', 'sha256=', 'timestampDotBody'],
	] as const)(
		'%s %s prefix "%s" over %s verifies with verifyGenericHmac',
		(algorithm, encoding, prefix, signedContent) => {
			const auth: OutboundAuth = {
				scheme: 'hmac',
				secret: plain,
				algorithm,
				encoding,
				headerName: 'X-Signature',
				prefix,
				signedContent,
				timestampHeader: 'X-Timestamp',
			};
			const headers = lower(outboundHeaders(auth, { id: 'k:1', body, nowSeconds: now }));
			expect(headers['x-signature'].startsWith(prefix)).toBe(true);
			if (signedContent === 'timestampDotBody') expect(headers['x-timestamp']).toBe(String(now));
			const options = {
				secrets: [plain],
				algorithm,
				encoding,
				headerName: 'x-signature',
				prefix,
				signedContent,
				timestampHeader: 'x-timestamp',
				toleranceSeconds: 300,
			};
			expect(verifyGenericHmac(headers, Buffer.from(body), options)).toEqual({ ok: true });
			expect(verifyGenericHmac(headers, Buffer.from(`${body} `), options)).toMatchObject({
				ok: false,
			});
		},
	);
});

describe('header token and Basic auth', () => {
	it('send what the triggers accept', () => {
		const token = lower(
			outboundHeaders(
				{ scheme: 'headerToken', headerName: 'X-Webhook-Token', token: 't0ken' },
				{ id: 'k', body, nowSeconds: now },
			),
		);
		expect(verifyHeaderToken(token, 'x-webhook-token', ['t0ken'])).toEqual({ ok: true });
		const bearer = lower(
			outboundHeaders(
				{ scheme: 'headerToken', headerName: 'Authorization', token: 't0ken' },
				{ id: 'k', body, nowSeconds: now },
			),
		);
		expect(bearer.authorization).toBe('Bearer t0ken');
		expect(verifyHeaderToken(bearer, 'authorization', ['t0ken'])).toEqual({ ok: true });
		const basic = lower(
			outboundHeaders(
				{ scheme: 'basicAuth', user: 'ats', password: 'pw:with:colons' },
				{ id: 'k', body, nowSeconds: now },
			),
		);
		expect(verifyBasicAuth(basic, 'ats', ['pw:with:colons'])).toEqual({ ok: true });
	});

	it('refuses unusable settings before sending', () => {
		expect(
			checkOutboundAuth({ scheme: 'headerToken', headerName: 'bad header', token: 't' }),
		).toMatchObject({ ok: false });
		expect(checkOutboundAuth({ scheme: 'basicAuth', user: 'a:b', password: 'p' })).toMatchObject({
			ok: false,
		});
		expect(
			checkOutboundAuth({
				scheme: 'hmac',
				secret: '',
				algorithm: 'sha256',
				encoding: 'hex',
				headerName: 'x',
				prefix: '',
				signedContent: 'body',
				timestampHeader: 'x-t',
			}),
		).toMatchObject({ ok: false });
	});

	it('unsigned requests still carry the idempotency key', () => {
		expect(outboundHeaders({ scheme: 'none' }, { id: 'b:3', body, nowSeconds: now })).toEqual({
			'Idempotency-Key': 'b:3',
			'webhook-id': 'b:3',
		});
	});
});

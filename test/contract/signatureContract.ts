import type { VerifyResult } from '../../nodes/core/signature/errors';
import type { HeaderBag } from '../../nodes/core/signature/headers';

/**
 * The signature contract every scheme must pass (issue #12): a valid vector verifies; one tampered
 * byte, a wrong secret, a missing or repeated signature header and an empty secret list are refused
 * with the shared reason codes; the previous secret verifies during rotation; a scheme that signs a
 * timestamp refuses stale and future ones, and a scheme that does not is said to have no window
 * (its replays are caught by dedup). A new vendor adds one entry to test/contract/schemes.test.ts.
 */
export interface ContractScheme {
	/** Shown in the test names. */
	name: string;
	/** Where the scheme is documented (vendor URL or repo file), for the reader of a failing test. */
	source: string;
	/** The header that carries the signature (lower case). */
	header: string;
	/** A vendor-published vector, or one computed with another implementation (Python's hmac): verifies with `secret` at `nowSeconds`. */
	vector: { secret: string; body: string; headers: HeaderBag; nowSeconds: number };
	/** The headers a sender puts on these bytes, signed with `secret` at `nowSeconds`. */
	sign(secret: string, body: string, nowSeconds: number): HeaderBag;
	verify(headers: HeaderBag, body: Buffer, secrets: string[], nowSeconds: number): VerifyResult;
	/** Set when the scheme signs a timestamp: the replay window `verify` enforces, in seconds. */
	toleranceSeconds?: number;
	/** How to tamper with one byte so the signed content changes (default: the middle byte, +1). */
	tamper?(body: string): string;
}

function flipMiddleByte(body: string): string {
	const bytes = Buffer.from(body);
	const i = Math.floor(bytes.length / 2);
	bytes[i] = bytes[i] === 0x7a ? 0x79 : bytes[i] + 1;
	return bytes.toString('latin1');
}

const failedWith = (reason: string) => ({ ok: false, reason });

export function signatureContract(scheme: ContractScheme): void {
	const { vector, header } = scheme;
	const body = vector.body;
	const now = vector.nowSeconds;
	const bytes = (text: string) => Buffer.from(text, 'latin1');
	const signed = (secret = vector.secret, at = now) => scheme.sign(secret, body, at);

	describe(`signature contract: ${scheme.name} (${scheme.source})`, () => {
		it('the vector verifies', () => {
			expect(scheme.verify(vector.headers, Buffer.from(body), [vector.secret], now)).toEqual({
				ok: true,
			});
		});

		it('what the sender helper signs verifies (the tests and demo senders sign as the vendor does)', () => {
			expect(scheme.verify(signed(), Buffer.from(body), [vector.secret], now)).toEqual({
				ok: true,
			});
			expect(signed()[header]).toBe(vector.headers[header]);
		});

		it('one tampered byte is refused', () => {
			const tampered = (scheme.tamper ?? flipMiddleByte)(body);
			expect(tampered).not.toBe(body);
			expect(scheme.verify(signed(), bytes(tampered), [vector.secret], now)).toMatchObject(
				failedWith('signature_mismatch'),
			);
		});

		it('a wrong secret is refused', () => {
			expect(scheme.verify(signed(), Buffer.from(body), ['not the secret'], now)).toMatchObject(
				failedWith('signature_mismatch'),
			);
		});

		it('a missing signature header is refused', () => {
			const headers = { ...signed() };
			delete headers[header];
			expect(scheme.verify(headers, Buffer.from(body), [vector.secret], now)).toMatchObject(
				failedWith('missing_signature'),
			);
		});

		it('a repeated signature header is refused, not guessed from', () => {
			const one = signed()[header] as string;
			expect(
				scheme.verify(
					{ ...signed(), [header]: [one, one] },
					Buffer.from(body),
					[vector.secret],
					now,
				),
			).toMatchObject(failedWith('ambiguous_signature_header'));
		});

		it('no configured secret is refused (blank secrets never match)', () => {
			expect(scheme.verify(signed(), Buffer.from(body), [], now)).toMatchObject(
				failedWith('no_secret'),
			);
			expect(scheme.verify(signed(), Buffer.from(body), [''], now)).toMatchObject(
				failedWith('no_secret'),
			);
		});

		it('rotation: the previous secret still verifies while it is configured, not after', () => {
			const old = signed('the previous secret');
			expect(
				scheme.verify(old, Buffer.from(body), ['the new secret', 'the previous secret'], now),
			).toEqual({ ok: true });
			expect(scheme.verify(old, Buffer.from(body), ['the new secret'], now)).toMatchObject(
				failedWith('signature_mismatch'),
			);
		});

		const tolerance = scheme.toleranceSeconds;
		if (tolerance !== undefined) {
			it(`the signed timestamp is held to a ${tolerance}s window both ways`, () => {
				expect(
					scheme.verify(
						signed(vector.secret, now - tolerance - 60),
						Buffer.from(body),
						[vector.secret],
						now,
					),
				).toMatchObject(failedWith('timestamp_too_old'));
				expect(
					scheme.verify(
						signed(vector.secret, now + tolerance + 60),
						Buffer.from(body),
						[vector.secret],
						now,
					),
				).toMatchObject(failedWith('timestamp_in_future'));
				expect(
					scheme.verify(
						signed(vector.secret, now - tolerance + 5),
						Buffer.from(body),
						[vector.secret],
						now,
					),
				).toEqual({ ok: true });
			});
		} else {
			it('signs no timestamp: the same delivery verifies years later (replays are caught by dedup, not here)', () => {
				expect(
					scheme.verify(signed(), Buffer.from(body), [vector.secret], now + 10 * 365 * 86400),
				).toEqual({ ok: true });
			});
		}
	});
}

import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality for strings of any length. Both sides are hashed first so that
 * `timingSafeEqual` always compares equal-length buffers and the length of the expected value
 * does not leak through an early return.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
	const ha = createHash('sha256').update(a).digest();
	const hb = createHash('sha256').update(b).digest();
	return timingSafeEqual(ha, hb) && Buffer.byteLength(a) === Buffer.byteLength(b);
}

/** True when any candidate equals any expected value; every pair is compared (no short cut). */
export function safeEqualAny(candidates: readonly string[], expected: readonly string[]): boolean {
	let match = false;
	for (const c of candidates) {
		for (const e of expected) {
			if (safeEqual(c, e)) match = true;
		}
	}
	return match;
}

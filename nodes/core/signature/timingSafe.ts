import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality. The content is compared with `timingSafeEqual`; only a length mismatch
 * returns early, and the length of a signature or token is not a secret (a digest's length is fixed
 * by its algorithm). A mismatch still runs one comparison so both paths do similar work.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
	const ba = typeof a === 'string' ? Buffer.from(a) : a;
	const bb = typeof b === 'string' ? Buffer.from(b) : b;
	if (ba.length !== bb.length) {
		timingSafeEqual(bb, bb);
		return false;
	}
	return timingSafeEqual(ba, bb);
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

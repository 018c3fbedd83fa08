import { createHash } from 'node:crypto';

/** Width of a stored key: 16 base64url characters = 96 bits of SHA-256, enough to never collide in a window. */
export const KEY_WIDTH = 16;

/** Compact, non-reversible key: dedup state never holds an event id, email or body in clear text. */
export function hashKey(input: string | Buffer): string {
	return createHash('sha256').update(input).digest('base64url').slice(0, KEY_WIDTH);
}

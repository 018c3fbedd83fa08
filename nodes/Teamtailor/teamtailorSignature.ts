import { failed, verified, type VerifyResult } from '../core/signature/errors';
import { readHeader, usableSecrets, type HeaderBag } from '../core/signature/headers';
import { signHmac } from '../core/signature/hmac';
import { checkTimestamp } from '../core/signature/timestamp';
import { safeEqualAny } from '../core/signature/timingSafe';
import { isRecord } from '../core/json/path';

/**
 * Teamtailor Company Webhooks signatures (partner.teamtailor.com/company_webhooks, "Webhook
 * Signatures"; github.com/Teamtailor/tt-partner-docs source/includes/company_webhooks/_signatures.md.erb):
 *
 * - v2 (recommended): `TT-Signature` = base64(`t=<unix seconds>,v2=<hex>`), hex = HMAC-SHA256(signature
 *   key, `<t>.<raw body>`). "You must use the raw request body ... Do NOT re-serialize".
 * - v1 (deprecated, "will be removed"): `TT-Signature` = base64(hex(HMAC-SHA256(key, payload.data.id))).
 *   It signs only the resource id, so anyone who saw one delivery can send any body for that id: it
 *   is accepted only when the user picks v1 in the node (which shows a warning).
 *
 * UNCONFIRMED: the body also carries a top-level `signature` member ("the same signature in the
 * request body", _authentication.md.erb). Bytes that contain their own signature cannot be what was
 * signed, so which bytes v2 covers when that member is present is unclear: the raw body is tried
 * first (as documented), then, byte-exact and never re-serialised, the raw body without that member
 * and the raw text of the `payload` member (what an older revision of the page signed).
 */
export const TEAMTAILOR_SIGNATURE_HEADER = 'tt-signature';
export type TeamtailorSignatureVersion = 'v2' | 'v1';

/** `TT-Signature` v2 for these bytes at `timestamp` (tests, demo senders, e2e). */
export function signTeamtailorV2(
	secret: string,
	body: string | Buffer,
	timestamp: number | string,
): string {
	const hex = signHmac({ secret, message: [`${timestamp}.`, body] });
	return Buffer.from(`t=${timestamp},v2=${hex}`).toString('base64');
}

/** `TT-Signature` v1 for a resource id. */
export function signTeamtailorV1(secret: string, dataId: string): string {
	return Buffer.from(signHmac({ secret, message: dataId })).toString('base64');
}

// `{"payload": <payload>, "signature": "<base64>"}` exactly as sent; group 1 is the payload's raw text.
const WITH_SIGNATURE_MEMBER =
	/^(\s*\{\s*"payload"\s*:\s*)([\s\S]*?)(\s*,\s*"signature"\s*:\s*"[A-Za-z0-9+/=]*"\s*)(\}\s*)$/;

/** The byte sequences v2 may have been computed over, documented one first (see the UNCONFIRMED note above). */
export function teamtailorSignedBodies(rawBody: Buffer): Buffer[] {
	const bodies = [rawBody];
	const match = WITH_SIGNATURE_MEMBER.exec(rawBody.toString('utf8'));
	if (match) {
		bodies.push(Buffer.from(`${match[1]}${match[2]}${match[4]}`), Buffer.from(match[2]));
	}
	return bodies;
}

/** Decode the v2 header: `t=<digits>,v2=<64 hex>`; undefined when it is not that. */
export function parseTeamtailorV2(value: string): { timestamp: number; hex: string } | undefined {
	const text = value.trim();
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
	const decoded = Buffer.from(text, 'base64').toString('utf8');
	const match = /^t=(\d{1,11}),v2=([0-9a-fA-F]{64})$/.exec(decoded.trim());
	return match ? { timestamp: Number(match[1]), hex: match[2].toLowerCase() } : undefined;
}

export interface TeamtailorVerifyOptions {
	secrets: ReadonlyArray<string | undefined | null>;
	version: TeamtailorSignatureVersion;
	/** v2 replay window on `t`, both ways; 0 switches it off. */
	toleranceSeconds: number;
	nowSeconds?: number;
	/** v1 only: the parsed body (v1 signs `payload.data.id`). */
	body?: unknown;
}

function header(headers: HeaderBag): { value?: string; error?: VerifyResult } {
	const h = readHeader(headers, TEAMTAILOR_SIGNATURE_HEADER);
	if (h.multiple)
		return {
			error: failed('ambiguous_signature_header', 'Header TT-Signature was sent more than once.'),
		};
	if (!h.value?.trim())
		return { error: failed('missing_signature', 'Header TT-Signature is missing.') };
	return { value: h.value.trim() };
}

/** Verify a Teamtailor delivery with the version the user picked. Never throws. */
export function verifyTeamtailor(
	headers: HeaderBag,
	rawBody: Buffer,
	options: TeamtailorVerifyOptions,
): VerifyResult {
	const keys = usableSecrets(options.secrets);
	if (keys.length === 0)
		return failed(
			'no_secret',
			'No signature key is configured in the credential (Teamtailor → Settings → Integrations → Webhooks).',
		);
	const h = header(headers);
	if (h.error) return h.error;
	const value = h.value as string;

	if (options.version === 'v1') {
		const id =
			isRecord(options.body) &&
			isRecord(options.body.payload) &&
			isRecord(options.body.payload.data)
				? options.body.payload.data.id
				: undefined;
		if (typeof id !== 'string' && typeof id !== 'number')
			return failed('bad_body', 'A v1 signature needs payload.data.id in the body.');
		const expected = keys.map((secret) => signTeamtailorV1(secret, String(id)));
		return safeEqualAny([value], expected)
			? verified
			: failed(
					'signature_mismatch',
					'The v1 signature does not match payload.data.id and the key in the credential (is the webhook set to v2?).',
				);
	}

	const parsed = parseTeamtailorV2(value);
	if (!parsed)
		return failed(
			'bad_signature_format',
			'Header TT-Signature is not base64 of "t=<timestamp>,v2=<hex>" (is the webhook set to v1?).',
		);
	const window = checkTimestamp(parsed.timestamp, options.toleranceSeconds, options.nowSeconds);
	if (!window.ok) return window;
	const expected = keys.flatMap((secret) =>
		teamtailorSignedBodies(rawBody).map((body) =>
			signHmac({ secret, message: [`${parsed.timestamp}.`, body] }),
		),
	);
	return safeEqualAny([parsed.hex], expected)
		? verified
		: failed(
				'signature_mismatch',
				'The signature does not match the body and the signature key in the credential.',
			);
}

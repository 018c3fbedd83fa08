import { SignatureError, failed, verified, type VerifyResult } from './errors';
import { readHeader, usableSecrets, type HeaderBag } from './headers';
import { signHmac } from './hmac';
import { safeEqualAny } from './timingSafe';
import { checkTimestamp, parseUnixTimestamp } from './timestamp';

/**
 * Standard Webhooks (https://www.standardwebhooks.com, spec v1.0.0), symmetric `v1` scheme:
 * base64(HMAC-SHA256(base64decode(secret without `whsec_`), `${id}.${timestamp}.${body}`)).
 * Svix sends the same scheme under `svix-*` header names; both are read.
 */
const SECRET_PREFIX = 'whsec_';
export const STANDARD_WEBHOOKS_TOLERANCE_SECONDS = 5 * 60;

// Decoded keys by secret text: a trigger sees the same one or two secrets on every request.
const decodedKeys = new Map<string, Buffer>();
const MAX_DECODED_KEYS = 64;

/** Decode a `whsec_` secret (prefix optional). Throws SignatureError on an unusable secret. */
export function decodeStandardSecret(secret: string): Buffer {
	const cached = typeof secret === 'string' ? decodedKeys.get(secret) : undefined;
	if (cached) return cached;
	const key = decodeSecretText(secret);
	if (decodedKeys.size >= MAX_DECODED_KEYS) decodedKeys.clear();
	decodedKeys.set(secret, key);
	return key;
}

function decodeSecretText(secret: string): Buffer {
	if (typeof secret !== 'string')
		throw new SignatureError('bad_secret', 'The secret must be text.');
	if (secret !== secret.trim()) {
		throw new SignatureError(
			'bad_secret',
			'The secret has leading or trailing whitespace; copy it again without spaces.',
		);
	}
	const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
	if (encoded.length === 0) throw new SignatureError('bad_secret', 'The secret is empty.');
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) {
		throw new SignatureError(
			'bad_secret',
			'A Standard Webhooks secret is base64 text, optionally prefixed with whsec_.',
		);
	}
	const key = Buffer.from(encoded, 'base64');
	if (key.length === 0) throw new SignatureError('bad_secret', 'The secret decodes to no bytes.');
	return key;
}

export interface StandardWebhookMessage {
	secret: string;
	id: string;
	/** Unix seconds. */
	timestamp: number | string;
	body: string | Buffer;
}

/** `v1,<base64>` for one secret. Public so tests, the action node and senders share one code path. */
export function signStandardWebhook({
	secret,
	id,
	timestamp,
	body,
}: StandardWebhookMessage): string {
	const key = decodeStandardSecret(secret);
	return `v1,${signHmac({ secret: key, encoding: 'base64', message: [`${id}.${timestamp}.`, body] })}`;
}

/** The three headers for one message, signed with every given secret (zero-downtime rotation). */
export function standardWebhookHeaders(
	secrets: string[],
	id: string,
	timestamp: number,
	body: string | Buffer,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
	const signatures = secrets.map((secret) => signStandardWebhook({ secret, id, timestamp, body }));
	return {
		'webhook-id': id,
		'webhook-timestamp': String(timestamp),
		'webhook-signature': signatures.join(' '),
	};
}

function header(headers: HeaderBag, name: 'id' | 'timestamp' | 'signature') {
	const standard = readHeader(headers, `webhook-${name}`);
	return standard.value !== undefined || standard.multiple
		? standard
		: readHeader(headers, `svix-${name}`);
}

export interface StandardVerifyOptions {
	secrets: ReadonlyArray<string | undefined | null>;
	toleranceSeconds?: number;
	nowSeconds?: number;
}

/**
 * Verify a delivery: headers present, timestamp inside the window (checked before the HMAC, as the
 * reference libraries do), then any `v1` signature against any secret. Unknown versions are ignored.
 * Never throws: an unusable secret is reported as a failure with its reason.
 */
export function verifyStandardWebhook(
	headers: HeaderBag,
	rawBody: Buffer | string,
	options: StandardVerifyOptions,
): VerifyResult {
	const secrets = usableSecrets(options.secrets);
	if (secrets.length === 0)
		return failed('no_secret', 'No signing secret is configured in the credential.');

	const id = header(headers, 'id');
	const timestamp = header(headers, 'timestamp');
	const signature = header(headers, 'signature');
	if (id.multiple || timestamp.multiple || signature.multiple) {
		return failed('ambiguous_signature_header', 'A webhook-* header was sent more than once.');
	}
	if (!id.value || !timestamp.value || !signature.value) {
		return failed(
			'missing_signature',
			'Headers webhook-id, webhook-timestamp and webhook-signature are required.',
		);
	}
	if (id.value.includes('.'))
		return failed('bad_message_id', 'webhook-id must not contain a full stop.');

	// The spec says seconds; a millisecond value is refused rather than silently converted.
	const seconds = /^\d{1,11}$/.test(timestamp.value.trim())
		? parseUnixTimestamp(timestamp.value)
		: undefined;
	if (seconds === undefined)
		return failed('bad_timestamp', 'webhook-timestamp is not a Unix timestamp in seconds.');
	const window = checkTimestamp(
		seconds,
		options.toleranceSeconds ?? STANDARD_WEBHOOKS_TOLERANCE_SECONDS,
		options.nowSeconds,
	);
	if (!window.ok) return window;

	const provided = signature.value
		.split(' ')
		.filter((entry) => entry.startsWith('v1,'))
		.map((entry) => entry.slice(3));
	if (provided.length === 0)
		return failed('no_supported_signature', 'webhook-signature holds no v1 signature.');

	let expected: string[];
	try {
		expected = secrets.map((secret) =>
			signStandardWebhook({
				secret,
				id: id.value as string,
				timestamp: timestamp.value as string,
				body: rawBody,
			}).slice(3),
		);
	} catch (error) {
		if (error instanceof SignatureError) return failed(error.reason, error.message);
		throw error;
	}
	return safeEqualAny(provided, expected)
		? verified
		: failed(
				'signature_mismatch',
				'No webhook-signature entry matches the body and the configured secret.',
			);
}

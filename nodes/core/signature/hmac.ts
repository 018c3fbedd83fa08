import { createHmac } from 'node:crypto';
import { failed, verified, type VerifyResult } from './errors';
import { readHeader, usableSecrets, type HeaderBag } from './headers';
import { safeEqualAny } from './timingSafe';
import { checkTimestamp, parseUnixTimestamp } from './timestamp';

export type HmacAlgorithm = 'sha256' | 'sha1' | 'sha512';
export type HmacEncoding = 'hex' | 'base64' | 'base64url';

export interface HmacInput {
	secret: string | Buffer;
	algorithm?: HmacAlgorithm;
	encoding?: HmacEncoding;
	message: string | Buffer | ReadonlyArray<string | Buffer>;
}

/** HMAC of one message, or of several parts fed in order (avoids concatenating a large body). */
export function signHmac({
	secret,
	algorithm = 'sha256',
	encoding = 'hex',
	message,
}: HmacInput): string {
	const mac = createHmac(algorithm, secret);
	if (Array.isArray(message)) for (const part of message) mac.update(part);
	else mac.update(message as string | Buffer);
	return mac.digest(encoding);
}

export interface GenericHmacOptions {
	secrets: ReadonlyArray<string | undefined | null>;
	algorithm: HmacAlgorithm;
	encoding: HmacEncoding;
	/** Header that carries the signature, e.g. `x-signature`. */
	headerName: string;
	/** Text before the signature in the header, e.g. `sha256=`; empty for none. */
	prefix?: string;
	/** `timestampDotBody` signs `${timestamp}.${body}` (Stripe style) and checks the timestamp. */
	signedContent?: 'body' | 'timestampDotBody';
	timestampHeader?: string;
	toleranceSeconds?: number;
	nowSeconds?: number;
}

/** The signed message parts for a generic HMAC scheme. */
export function genericHmacMessage(
	body: Buffer | string,
	signedContent: 'body' | 'timestampDotBody',
	timestamp?: string,
): Array<string | Buffer> {
	return signedContent === 'timestampDotBody' ? [`${timestamp}.`, body] : [body];
}

/** Header value a sender puts on a request for the generic scheme (used by the action node and tests). */
export function signGenericHmac(
	options: Pick<GenericHmacOptions, 'algorithm' | 'encoding' | 'prefix' | 'signedContent'> & {
		secret: string;
		body: Buffer | string;
		timestamp?: string;
	},
): string {
	const signedContent = options.signedContent ?? 'body';
	const sig = signHmac({
		secret: options.secret,
		algorithm: options.algorithm,
		encoding: options.encoding,
		message: genericHmacMessage(options.body, signedContent, options.timestamp),
	});
	return `${options.prefix ?? ''}${sig}`;
}

function normaliseSignature(value: string, encoding: HmacEncoding): string {
	// Hex is case-insensitive; base64 padding is optional for some senders.
	if (encoding === 'hex') return value.toLowerCase();
	if (encoding === 'base64') return value.replace(/=+$/, '');
	return value.replace(/=+$/, '');
}

/** Verify a generic HMAC header over the raw body bytes. Never throws. */
export function verifyGenericHmac(
	headers: HeaderBag,
	rawBody: Buffer,
	options: GenericHmacOptions,
): VerifyResult {
	const secrets = usableSecrets(options.secrets);
	if (secrets.length === 0)
		return failed('no_secret', 'No signing secret is configured in the credential.');
	const header = readHeader(headers, options.headerName);
	if (header.multiple)
		return failed(
			'ambiguous_signature_header',
			`Header ${options.headerName} was sent more than once.`,
		);
	if (!header.value) return failed('missing_signature', `Header ${options.headerName} is missing.`);

	const prefix = options.prefix ?? '';
	let provided = header.value.trim();
	if (prefix) {
		if (!provided.toLowerCase().startsWith(prefix.toLowerCase())) {
			return failed(
				'bad_signature_format',
				`Header ${options.headerName} does not start with "${prefix}".`,
			);
		}
		provided = provided.slice(prefix.length).trim();
	}
	if (!provided)
		return failed('bad_signature_format', `Header ${options.headerName} holds no signature.`);

	const signedContent = options.signedContent ?? 'body';
	let timestamp: string | undefined;
	if (signedContent === 'timestampDotBody') {
		const tsHeader = options.timestampHeader || 'x-timestamp';
		const ts = readHeader(headers, tsHeader);
		if (!ts.value) return failed('missing_timestamp', `Header ${tsHeader} is missing.`);
		const seconds = parseUnixTimestamp(ts.value);
		if (seconds === undefined)
			return failed('bad_timestamp', `Header ${tsHeader} is not a Unix timestamp.`);
		const window = checkTimestamp(seconds, options.toleranceSeconds ?? 300, options.nowSeconds);
		if (!window.ok) return window;
		timestamp = ts.value.trim();
	}

	const message = genericHmacMessage(rawBody, signedContent, timestamp);
	const expected = secrets.map((secret) =>
		normaliseSignature(
			signHmac({ secret, algorithm: options.algorithm, encoding: options.encoding, message }),
			options.encoding,
		),
	);
	const candidates = provided
		.split(/[\s,;]+/)
		.filter(Boolean)
		.map((s) => normaliseSignature(s, options.encoding));
	return safeEqualAny(candidates, expected)
		? verified
		: failed(
				'signature_mismatch',
				'The signature does not match the body and the configured secret.',
			);
}

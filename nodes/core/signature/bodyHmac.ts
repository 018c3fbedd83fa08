import { failed, verified, type VerifyResult } from './errors';
import { readHeader, usableSecrets, type HeaderBag } from './headers';
import { signHmac, type HmacAlgorithm, type HmacEncoding } from './hmac';
import { safeEqualAny } from './timingSafe';
import type { AuthResult, InboundRequest, SourceSettings } from '../pipeline/types';

/**
 * One verifier for every vendor that puts "HMAC of the raw body" in a header (Greenhouse, Ashby,
 * Workable, Recruitee, JazzHR, Merge, ...). A vendor is described by data, not by code:
 * which header, which algorithm, which encodings the digest may arrive in, and whether an
 * `<algorithm><separator>` label precedes the digest. Several secrets are tried (rotation, or a
 * vendor that signs with one of two keys); every comparison is constant-time (timingSafe.ts).
 */
export interface BodyHmacScheme {
	/** The header as the vendor spells it (messages use this; lookup is case-insensitive). */
	header: string;
	/** Default sha256. */
	algorithm?: HmacAlgorithm;
	/**
	 * Encodings the digest may arrive in; the first is what the vendor sends (and what `signBodyHmac`
	 * produces). base64 and base64url are one family here: padding optional, either alphabet.
	 */
	encodings: readonly HmacEncoding[];
	/**
	 * `'required'`: the value is `<algorithm><separator><digest>` (Ashby `sha256=`); `'optional'`: the
	 * label may be left out (Greenhouse, Workable); `'none'`: the value is the digest alone.
	 */
	algorithmLabel: 'required' | 'optional' | 'none';
	/** What the vendor puts between label and digest when signing: `' '` (Greenhouse) or `'='` (Ashby). */
	labelSeparator?: ' ' | '=';
	/** Said when no secret is configured (what the user must do). */
	noSecretMessage?: string;
	/** Appended to "Header X is missing." (e.g. where to set the secret in the vendor's UI). */
	missingHint?: string;
	/** Said on a mismatch (which key was used). */
	mismatchMessage?: string;
}

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

/** The header value the vendor would send for this body (tests, demo senders, the e2e suites). */
export function signBodyHmac(
	scheme: BodyHmacScheme,
	secret: string,
	body: string | Buffer,
): string {
	const algorithm = scheme.algorithm ?? 'sha256';
	const digest = signHmac({ secret, algorithm, encoding: scheme.encodings[0], message: body });
	return scheme.algorithmLabel === 'none'
		? digest
		: `${algorithm}${scheme.labelSeparator ?? '='}${digest}`;
}

/** A digest in a comparable form: `hex:<lowercase>` or `b64:<unpadded base64url>`. */
function comparable(digest: string, family: 'hex' | 'b64'): string {
	return family === 'hex'
		? `hex:${digest.toLowerCase()}`
		: `b64:${digest.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`;
}

function familiesOf(scheme: BodyHmacScheme): Array<'hex' | 'b64'> {
	const families = new Set(
		scheme.encodings.map((e) => (e === 'hex' ? 'hex' : 'b64') as 'hex' | 'b64'),
	);
	return [...families];
}

/** Split off an `<algorithm>[= ]` label; undefined when the value is not of that form. */
function splitLabel(value: string): { algorithm: string; digest: string } | undefined {
	const match = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=|\s)\s*([A-Za-z0-9+/_-][A-Za-z0-9+/_=-]*)$/.exec(
		value,
	);
	if (!match || !/^(sha|hmac|md)/i.test(match[1])) return undefined;
	return { algorithm: match[1].toLowerCase(), digest: match[2] };
}

/** Verify the scheme's header over the exact bytes received. Never throws; never echoes a secret or the body. */
export function verifyBodyHmac(
	headers: HeaderBag,
	rawBody: Buffer,
	secrets: ReadonlyArray<string | undefined | null>,
	scheme: BodyHmacScheme,
): VerifyResult {
	const name = scheme.header;
	const algorithm = scheme.algorithm ?? 'sha256';
	const keys = usableSecrets(secrets);
	if (keys.length === 0)
		return failed(
			'no_secret',
			scheme.noSecretMessage ?? 'No signing secret is configured in the credential.',
		);
	const header = readHeader(headers, name);
	if (header.multiple)
		return failed('ambiguous_signature_header', `Header ${name} was sent more than once.`);
	if (!header.value?.trim())
		return failed(
			'missing_signature',
			`Header ${name} is missing.${scheme.missingHint ? ` ${scheme.missingHint}` : ''}`,
		);

	const value = header.value.trim();
	let digest = value;
	if (scheme.algorithmLabel !== 'none') {
		const labelled = splitLabel(value);
		if (labelled) {
			if (labelled.algorithm !== algorithm) {
				return failed(
					'unsupported_algorithm',
					`Header ${name} uses ${labelled.algorithm.slice(0, 20)}; only ${algorithm} is supported.`,
				);
			}
			digest = labelled.digest;
		} else if (scheme.algorithmLabel === 'required') {
			return failed(
				'bad_signature_format',
				`Header ${name} is not "${algorithm}${scheme.labelSeparator ?? '='}<digest>".`,
			);
		}
	}

	// The digest's length is fixed by the algorithm, so anything else is malformed, not a mismatch.
	const bytes = DIGEST_BYTES[algorithm];
	const families = familiesOf(scheme).filter((family) =>
		family === 'hex'
			? /^[0-9a-fA-F]+$/.test(digest) && digest.length === bytes * 2
			: /^[A-Za-z0-9+/_-]+={0,2}$/.test(digest) &&
				digest.replace(/=+$/, '').length === Math.ceil((bytes * 4) / 3),
	);
	if (families.length === 0) {
		return failed(
			'bad_signature_format',
			`Header ${name} is not a ${algorithm.toUpperCase()} HMAC in ${scheme.encodings.join(' or ')}.`,
		);
	}

	const provided = families.map((family) => comparable(digest, family));
	const expected = keys.flatMap((secret) => {
		const raw = signHmac({ secret, algorithm, encoding: 'hex', message: rawBody });
		return families.map((family) =>
			comparable(family === 'hex' ? raw : Buffer.from(raw, 'hex').toString('base64'), family),
		);
	});
	return safeEqualAny(provided, expected)
		? verified
		: failed(
				'signature_mismatch',
				scheme.mismatchMessage ??
					'The signature does not match the body and the secret in the credential.',
			);
}

/**
 * A source's `authenticate` for a body-HMAC vendor: the secrets the node read into
 * `settings.auth` (scheme `vendor`), checked against the raw bytes.
 */
export function bodyHmacAuthenticate(scheme: BodyHmacScheme) {
	return vendorAuthenticate((headers, rawBody, secrets) =>
		verifyBodyHmac(headers, rawBody, secrets, scheme),
	);
}

/**
 * A source's `authenticate` from a verifier over (headers, raw body, the vendor secrets): the shape
 * of every vendor that signs the raw body, whether with the plain body-HMAC scheme or its own twist.
 */
export function vendorAuthenticate(
	verify: (headers: HeaderBag, rawBody: Buffer, secrets: string[]) => VerifyResult,
) {
	return (request: InboundRequest, settings: SourceSettings): AuthResult => {
		const secrets = settings.auth.scheme === 'vendor' ? settings.auth.secrets : [];
		const result = verify(request.headers, request.rawBody ?? Buffer.alloc(0), secrets);
		return result.ok ? { ok: true, scheme: 'vendor', verified: true } : result;
	};
}

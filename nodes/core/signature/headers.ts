export type HeaderBag = Record<string, string | string[] | undefined>;

/**
 * One header value, case-insensitively. A header sent twice arrives as an array (or joined);
 * signatures must not be guessed from such a value, so the caller gets `multiple` to reject it.
 */
export function readHeader(
	headers: HeaderBag,
	name: string,
): { value?: string; multiple?: boolean } {
	const wanted = name.toLowerCase();
	let raw = headers[wanted];
	if (raw === undefined) {
		for (const key of Object.keys(headers)) {
			if (key.toLowerCase() === wanted) {
				raw = headers[key];
				break;
			}
		}
	}
	if (raw === undefined) return {};
	if (Array.isArray(raw)) {
		if (raw.length === 1) return { value: raw[0] };
		return { multiple: true };
	}
	return { value: raw };
}

/** Secrets list without blanks, so an empty "previous secret" field never matches anything. */
export function usableSecrets(secrets: ReadonlyArray<string | undefined | null>): string[] {
	return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

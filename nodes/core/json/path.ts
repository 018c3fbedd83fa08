/** Read `a.b[0].c` (or `a.b.0.c`) from parsed JSON; undefined when any step is missing. */
export function getPath(value: unknown, path: string): unknown {
	if (!path) return value;
	let current: unknown = value;
	for (const step of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
		if (step === '') continue;
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[step];
	}
	return current;
}

/** First path that holds a non-empty value. */
export function firstPath(
	value: unknown,
	paths: readonly string[],
): { path: string; value: unknown } | undefined {
	for (const path of paths) {
		const found = getPath(value, path);
		if (found !== undefined && found !== null && found !== '') return { path, value: found };
	}
	return undefined;
}

/** The first of `paths` that holds text (a string or number), else null. */
export function firstText(value: unknown, paths: readonly string[]): string | null {
	for (const path of paths) {
		const found = asText(getPath(value, path));
		if (found !== undefined) return found;
	}
	return null;
}

/** A scalar as text (ids, event names); objects and arrays give undefined. */
export function asText(value: unknown): string | undefined {
	if (typeof value === 'string') return value.length > 0 ? value : undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `asText`, with null for "absent" (the canonical event's nullable fields). */
export function textOrNull(value: unknown): string | null {
	return asText(value) ?? null;
}

/** The value when it is a plain object, else undefined (for optional chaining through payloads). */
export function recordOrUndefined(value: unknown): Record<string, unknown> | undefined {
	return isRecord(value) ? value : undefined;
}

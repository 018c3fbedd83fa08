/** Step 4: JSON from the raw bytes, with errors that never echo the body (it may hold candidate data). */
export type ParseOutcome =
	| { ok: true; value: unknown }
	| { ok: false; reason: string; message: string };

const JSON_TYPES = /^(application\/(json|[\w.+-]+\+json)|text\/plain|text\/json)$/i;

/** Content types we parse as JSON; a missing type is tolerated (some senders omit it). */
export function acceptsContentType(contentType: string | undefined): boolean {
	if (!contentType) return true;
	const mediaType = contentType.split(';')[0].trim();
	return mediaType === '' || JSON_TYPES.test(mediaType);
}

export function parseJsonBody(raw: Buffer | undefined): ParseOutcome {
	if (!raw || raw.length === 0)
		return {
			ok: false,
			reason: 'empty_body',
			message: 'The request body is empty; a JSON body is expected.',
		};
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
	} catch {
		return { ok: false, reason: 'invalid_utf8', message: 'The request body is not UTF-8 text.' };
	}
	// A UTF-8 byte order mark is legal before JSON but JSON.parse refuses it.
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
		return {
			ok: false,
			reason: 'malformed_json',
			message: position
				? `The body is not valid JSON (error at byte ${position}).`
				: 'The body is not valid JSON.',
		};
	}
	if (value === null || typeof value !== 'object') {
		return {
			ok: false,
			reason: 'not_an_object',
			message: 'The body must be a JSON object or array.',
		};
	}
	return { ok: true, value };
}

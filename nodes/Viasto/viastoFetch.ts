import { readPerson } from '../core/event/extract';
import { minimise } from '../core/json/privacy';
import { isRecord } from '../core/json/path';

/**
 * The "Fetch Resource" option: GET the resource an event points to (`subject.url`) with the user's
 * viasto API credential and put it on the item as `resource`. The credential is only ever sent to
 * the origin of its own Base URL: an event that points elsewhere (a forged or misrouted delivery)
 * gets a warning, never the token. Any failure is a warning; the event is always emitted.
 */
export type FetchJson = (url: string) => Promise<unknown>;

export interface FetchOptions {
	/** Base URL of the credential; only URLs with the same origin are fetched. */
	baseUrl: string;
	privacy: boolean;
	fetch: FetchJson;
}

export function sameOrigin(url: string, baseUrl: string): boolean {
	try {
		const a = new URL(url);
		const b = new URL(baseUrl);
		return a.protocol === b.protocol && a.host.toLowerCase() === b.host.toLowerCase();
	} catch {
		return false;
	}
}

/** A short reason for a failed fetch: status code or error code only (no URL, headers or body). */
export function fetchFailure(error: unknown): string {
	if (isRecord(error)) {
		const status =
			error.httpCode ??
			(isRecord(error.response)
				? (error.response.status ?? error.response.statusCode)
				: undefined) ??
			error.statusCode;
		if (status !== undefined && status !== null && String(status) !== '')
			return `HTTP ${String(status)}`;
		const cause = isRecord(error.cause) ? error.cause.code : undefined;
		const code = error.code ?? cause;
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
	}
	return 'request failed';
}

async function enrichOne(
	event: Record<string, unknown>,
	options: FetchOptions,
): Promise<Record<string, unknown>> {
	const subject = isRecord(event.subject) ? event.subject : {};
	const url = typeof subject.url === 'string' ? subject.url : undefined;
	const warnings = Array.isArray(event.warnings) ? [...(event.warnings as string[])] : [];
	if (!url)
		return {
			...event,
			warnings: [...warnings, 'resource_not_fetched: the event has no resource URL'],
		};
	if (!sameOrigin(url, options.baseUrl)) {
		return {
			...event,
			warnings: [
				...warnings,
				"resource_not_fetched: the resource URL is not on the credential's Base URL; the token was not sent",
			],
		};
	}
	try {
		const fetched = await options.fetch(url);
		const resource = options.privacy ? minimise(fetched) : fetched;
		const out: Record<string, unknown> = { ...event, resource };
		// A fetched candidate fills the canonical candidate fields (unless Privacy keeps only ids).
		if (subject.type === 'candidate' && isRecord(fetched) && !options.privacy) {
			const person = readPerson(fetched);
			const existing = isRecord(event.candidate) ? event.candidate : {};
			out.candidate = { ...person, id: existing.id ?? person.id };
		}
		if (warnings.length) out.warnings = warnings;
		return out;
	} catch (error) {
		return { ...event, warnings: [...warnings, `resource_fetch_failed: ${fetchFailure(error)}`] };
	}
}

export async function fetchResources(
	events: Array<Record<string, unknown>>,
	options: FetchOptions,
): Promise<Array<Record<string, unknown>>> {
	return Promise.all(events.map((event) => enrichOne(event, options)));
}

export function withWarning(
	events: Array<Record<string, unknown>>,
	warning: string,
): Array<Record<string, unknown>> {
	return events.map((event) => ({
		...event,
		warnings: [...(Array.isArray(event.warnings) ? (event.warnings as string[]) : []), warning],
	}));
}

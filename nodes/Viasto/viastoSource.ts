import { mapEventName } from '../core/event/mapEventName';
import { toIsoDate } from '../core/event/extract';
import { subjectTypeOf, type CanonicalEventName } from '../core/event/taxonomy';
import { asText, isRecord } from '../core/json/path';
import { authenticateWith } from '../core/pipeline/authenticate';
import { readHeader } from '../core/signature/headers';
import type {
	AuthSettings,
	NormalisedEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';

/**
 * viasto interview suite (seed 002, https://viasto.eu/webhooks/index.html; docs/nodes/viastoTrigger.md):
 * POST, `Content-Type: application/json`, `User-Agent: interview suite webhook`, body
 * `{endpoint, time, event, data}`; `data.action` is created|modified and every other data field is
 * a resource URL. No signature is documented.
 */
export const VIASTO_USER_AGENT = 'interview suite webhook';

export const VIASTO_EVENTS = {
	project_changed: { kind: 'project', main: 'project', label: 'Project Changed' },
	candidate_changed: { kind: 'candidate', main: 'candidate', label: 'Candidate Changed' },
	answervideo_changed: { kind: 'video', main: 'answervideo', label: 'Answer Video Changed' },
	rating_changed: { kind: 'rating', main: 'rating', label: 'Rating Changed' },
	note_changed: { kind: 'note', main: 'note', label: 'Note Changed' },
} as const;

export type ViastoEventName = keyof typeof VIASTO_EVENTS;
export type ViastoKind = (typeof VIASTO_EVENTS)[ViastoEventName]['kind'];
export type ViastoAction = 'created' | 'modified';

/** Documented data fields per event (besides `action`), for drift warnings. */
const DOCUMENTED_FIELDS: Record<ViastoEventName, string[]> = {
	project_changed: ['project'],
	candidate_changed: ['project', 'candidate'],
	answervideo_changed: ['project', 'candidate', 'question', 'answervideo'],
	rating_changed: ['project', 'candidate', 'rating'],
	note_changed: ['project', 'customer', 'answervideo', 'candidate', 'note'],
};

export interface ViastoSettings extends SourceSettings {
	/** What the user picked for authentication; `auth` itself is the vendor wrapper below. */
	clientAuth: AuthSettings;
	/** Refuse requests whose User-Agent is not `interview suite webhook` (a filter, not a proof). */
	requireUserAgent: boolean;
}

export function isViastoEvent(name: string): name is ViastoEventName {
	return Object.prototype.hasOwnProperty.call(VIASTO_EVENTS, name);
}

/** The canonical names for a selection of viasto events and actions; empty when nothing is restricted. */
export function viastoEventFilter(events: string[], actions: string[]): string[] {
	const allActions =
		actions.length === 0 || (actions.includes('created') && actions.includes('modified'));
	if (events.length === 0 && allActions) return [];
	const names = (events.length ? events : Object.keys(VIASTO_EVENTS)).filter(isViastoEvent);
	const verbs = actions.length ? actions : ['created', 'modified'];
	const out: string[] = [];
	for (const name of names) {
		for (const verb of verbs)
			out.push(`${VIASTO_EVENTS[name].kind}.${verb === 'created' ? 'created' : 'updated'}`);
	}
	return out;
}

/** `https://interview-suite.com/api/v3/companies/1/projects/17/` -> `17` (the last path segment). */
export function idFromResourceUrl(url: string | undefined): string | null {
	if (!url) return null;
	try {
		const segments = new URL(url).pathname.split('/').filter(Boolean);
		return segments.length ? decodeURIComponent(segments[segments.length - 1]) : null;
	} catch {
		const segments = url.split(/[/?#]/).filter(Boolean);
		return segments.length ? segments[segments.length - 1] : null;
	}
}

/** All resource URLs in `data` (every field but `action`), kept as they came. */
export function resourceUrls(data: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (!isRecord(data)) return out;
	for (const [key, value] of Object.entries(data)) {
		if (key !== 'action' && typeof value === 'string' && /^https?:\/\//i.test(value))
			out[key] = value;
	}
	return out;
}

function isAbsoluteUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
}

export const viastoSource: SourceDefinition<ViastoSettings> = {
	id: 'viasto',
	methods: ['POST'],
	authenticate(request, settings) {
		if (settings.requireUserAgent) {
			const agent = readHeader(request.headers, 'user-agent').value?.trim().toLowerCase();
			if (agent !== VIASTO_USER_AGENT) {
				return {
					ok: false,
					reason: 'user_agent_mismatch',
					message: `This trigger accepts only requests with User-Agent "${VIASTO_USER_AGENT}".`,
				};
			}
		}
		return authenticateWith(settings.clientAuth, request);
	},
	split(body) {
		const events = Array.isArray(body) ? body : [body];
		const warnings = Array.isArray(body)
			? ['envelope_array: viasto documents one event per request; an array arrived and was split']
			: [];
		return {
			events: events.map((element) => ({
				sourceEvent: asText(isRecord(element) ? element.event : undefined) ?? '',
				body: element,
			})),
			warnings,
		};
	},
	normalise(raw): NormalisedEvent {
		const warnings: string[] = [];
		const envelope = isRecord(raw.body) ? raw.body : {};
		const data = isRecord(envelope.data) ? envelope.data : undefined;
		if (!isRecord(raw.body)) warnings.push('envelope_not_object: the event is not a JSON object');
		if (!data) warnings.push('data_missing: no "data" object in the envelope');
		for (const key of ['endpoint', 'time', 'event']) {
			if (envelope[key] === undefined) warnings.push(`envelope_field_missing: "${key}"`);
		}
		const name = raw.sourceEvent;
		const known = isViastoEvent(name) ? VIASTO_EVENTS[name] : undefined;
		const action = asText(data?.action);

		let event: CanonicalEventName | 'unknown';
		if (known) {
			if (action === 'created') event = `${known.kind}.created` as CanonicalEventName;
			else {
				event = `${known.kind}.updated` as CanonicalEventName;
				if (action === undefined)
					warnings.push('action_missing: data.action is absent; taken as "modified"');
				else if (action !== 'modified')
					warnings.push(
						`action_unrecognised: "${action}" is not created|modified; taken as "modified"`,
					);
			}
			const undocumented = Object.keys(data ?? {}).filter(
				(k) => k !== 'action' && !DOCUMENTED_FIELDS[name as ViastoEventName].includes(k),
			);
			if (undocumented.length)
				warnings.push(`data_fields_undocumented: ${undocumented.join(', ')}`);
		} else {
			// A new viasto event: `interview_changed` still maps through the general rules.
			const kindWord = name.replace(/_changed$/, '');
			event = mapEventName(`${kindWord}.${action === 'created' ? 'created' : 'updated'}`);
			if (event === 'unknown') event = mapEventName(name);
			warnings.push(
				`event_unrecognised: "${name || '(none)'}" is not one of the five documented viasto events`,
			);
		}

		const urls = resourceUrls(data);
		const mainKey = known?.main ?? name.replace(/_changed$/, '');
		const mainUrl = urls[mainKey];
		if (!mainUrl)
			warnings.push(`resource_url_missing: data.${mainKey || '(subject)'} holds no resource URL`);
		for (const [key, value] of Object.entries(data ?? {})) {
			if (key !== 'action' && typeof value === 'string' && !isAbsoluteUrl(value))
				warnings.push(`resource_url_invalid: data.${key} is not an absolute URL`);
		}
		const type = known?.kind ?? subjectTypeOf(event);
		const result: NormalisedEvent = {
			event,
			occurredAt: toIsoDate(envelope.time),
			subject: { type, id: idFromResourceUrl(mainUrl), ...(mainUrl ? { url: mainUrl } : {}) },
			warnings,
		};
		if (urls.candidate)
			result.candidate = {
				id: idFromResourceUrl(urls.candidate),
				firstName: null,
				lastName: null,
				email: null,
				phone: null,
			};
		return result;
	},
};

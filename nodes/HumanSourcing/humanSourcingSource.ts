import { readPerson, toIsoDate } from '../core/event/extract';
import { mapEventName } from '../core/event/mapEventName';
import { hashKey } from '../core/dedup/hashKey';
import type { CanonicalEventName } from '../core/event/taxonomy';
import { asText, firstPath, isRecord } from '../core/json/path';
import type {
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';

/**
 * Human Sourcing (seed 003, https://doc-api-core.humansourcing.com/content/webhook.html;
 * docs/nodes/humanSourcingTrigger.md): a JSON array of `{event: creation|update|delete, type: job|candidate, data}`,
 * POSTed to a job endpoint and a candidate endpoint (which may be the same URL). The text says a
 * single object, the examples are arrays: both are accepted. A 200 with JSON is expected.
 */
export const HS_ACTIONS = { creation: 'created', update: 'updated', delete: 'deleted' } as const;
export const HS_TYPES = ['job', 'candidate'] as const;
export type HsAction = keyof typeof HS_ACTIONS;
export type HsType = (typeof HS_TYPES)[number];

/** The canonical names for the selected types and actions; empty when nothing is restricted. */
export function humanSourcingEventFilter(types: string[], actions: string[]): string[] {
	const allTypes = types.length === 0 || HS_TYPES.every((t) => types.includes(t));
	const allActions =
		actions.length === 0 || Object.keys(HS_ACTIONS).every((a) => actions.includes(a));
	if (allTypes && allActions) return [];
	const pickedTypes = types.length
		? types.filter((t) => (HS_TYPES as readonly string[]).includes(t))
		: [...HS_TYPES];
	const pickedActions = (actions.length ? actions : Object.keys(HS_ACTIONS)).filter(
		(a): a is HsAction => a in HS_ACTIONS,
	);
	return pickedTypes.flatMap((type) =>
		pickedActions.map((action) => `${type}.${HS_ACTIONS[action]}`),
	);
}

function isEnvelope(value: unknown): boolean {
	return isRecord(value) && ('event' in value || 'type' in value) && 'data' in value;
}

/** The list of `{event, type, data}` elements in a body. */
export function humanSourcingElements(body: unknown): {
	list: unknown[];
	batched: boolean;
	warnings: string[];
} {
	if (Array.isArray(body)) return { list: body, batched: true, warnings: [] };
	if (isEnvelope(body)) return { list: [body], batched: false, warnings: [] };
	if (isRecord(body)) {
		for (const key of ['events', 'items', 'data']) {
			const inner = body[key];
			if (Array.isArray(inner) && inner.some(isEnvelope))
				return {
					list: inner,
					batched: true,
					warnings: [`envelope_wrapped: the elements were found under "${key}"`],
				};
		}
	}
	return {
		list: [body],
		batched: false,
		warnings: [
			'envelope_unrecognised: the body is not an array of {event, type, data}; taken as one event',
		],
	};
}

const JOB_DATE = {
	created: ['job_published_at', 'job_updated_at'],
	updated: ['job_updated_at', 'job_published_at'],
};
const JOB_EXPECTED = ['job_id', 'job_reference', 'job_title'];
const CANDIDATE_EXPECTED = ['id', 'first_name', 'last_name'];

export const humanSourcingSource: SourceDefinition<SourceSettings> = {
	id: 'humansourcing',
	methods: ['POST'],
	split(body, request) {
		const { list, batched, warnings } = humanSourcingElements(body);
		const batchId = `sha256:${hashKey(request.rawBody ?? JSON.stringify(body))}`;
		const events: RawEvent[] = list.map((element, index) => {
			const event = isRecord(element) ? asText(element.event) : undefined;
			const type = isRecord(element) ? asText(element.type) : undefined;
			return {
				sourceEvent: `${event ?? ''}/${type ?? ''}`,
				body: element,
				batch: batched && list.length > 1 ? { id: batchId, index, size: list.length } : undefined,
			};
		});
		return { events, warnings };
	},
	normalise(raw): NormalisedEvent {
		const warnings: string[] = [];
		const element = isRecord(raw.body) ? raw.body : {};
		if (!isRecord(raw.body))
			warnings.push('element_not_object: this array element is not a JSON object');
		const action = asText(element.event);
		const type = asText(element.type);
		const data = isRecord(element.data) ? element.data : undefined;
		if (!data) warnings.push('data_missing: no "data" object');

		const known = type === 'job' || type === 'candidate' ? type : undefined;
		let event: CanonicalEventName | 'unknown';
		const verb = action && action in HS_ACTIONS ? HS_ACTIONS[action as HsAction] : undefined;
		if (known && verb) event = `${known}.${verb}` as CanonicalEventName;
		else if (known) {
			// An unknown action on a known type: mapped when it can be, else kept as an update of that type.
			const mapped = mapEventName(`${known}.${action ?? ''}`);
			event =
				mapped !== 'unknown' && mapped.startsWith(`${known}.`)
					? mapped
					: (`${known}.updated` as CanonicalEventName);
			warnings.push(
				`event_unrecognised: "${action ?? '(none)'}" is not creation|update|delete; taken as ${event}`,
			);
		} else {
			event = mapEventName(`${type ?? ''}.${action ?? ''}`);
			warnings.push(`type_unrecognised: "${type ?? '(none)'}" is not job|candidate`);
		}

		const result: NormalisedEvent = {
			event,
			occurredAt: null,
			subject: { type: known ?? 'unknown', id: null },
			warnings,
		};
		if (known === 'job') {
			const id = asText(data?.job_id) ?? asText(data?.id) ?? null;
			result.subject.id = id;
			result.job = { id, title: asText(data?.job_title) ?? null, status: null };
			if (verb !== 'deleted') {
				const missing = JOB_EXPECTED.filter((k) => data?.[k] === undefined);
				if (missing.length) warnings.push(`job_fields_missing: ${missing.join(', ')}`);
				const dates = verb === 'created' ? JOB_DATE.created : JOB_DATE.updated;
				result.occurredAt = toIsoDate(firstPath(data, dates)?.value);
			} else if (id === null) warnings.push('job_fields_missing: job_id');
		} else if (known === 'candidate') {
			const person = readPerson(data);
			const id = person.id;
			result.subject.id = id;
			result.candidate = person;
			if (verb !== 'deleted') {
				const missing = CANDIDATE_EXPECTED.filter((k) => data?.[k] === undefined);
				if (missing.length) warnings.push(`candidate_fields_missing: ${missing.join(', ')}`);
				result.occurredAt = toIsoDate(data?.latest_action);
			} else if (id === null) warnings.push('candidate_fields_missing: id');
		}
		return result;
	},
};

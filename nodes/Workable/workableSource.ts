import { bodyHmacAuthenticate } from '../core/signature/bodyHmac';
import { normaliseGeneric, toIsoDate } from '../core/event/extract';
import { asText, isRecord, recordOrUndefined, textOrNull } from '../core/json/path';
import type {
	InboundRequest,
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { WORKABLE_EVENT_MAP } from './workableEvents';
import { WORKABLE_SIGNATURE } from './workableSignature';

/**
 * Workable webhooks (workable.readme.io/reference/webhooks, /reference/candidate-events,
 * /reference/employee-events; docs/nodes/workableTrigger.md). Envelope, as in Workable's employee_created
 * example: `{ data: {...}, id, resource_type, event_type, fired_at }`, where `id` is the resource's
 * id (not an event id). The candidate-events page documents only the `data` part, so the event name
 * is read from `event_type`, else from the `event` query parameter this trigger puts on every
 * subscription's target URL (Workable requires a distinct target per subscription anyway: 409).
 */
export const WORKABLE_EVENT_QUERY = 'event';

/** The subscription target for one event: the webhook URL plus `?event=<name>`. */
export function workableTarget(webhookUrl: string, event: string): string {
	const url = new URL(webhookUrl);
	url.searchParams.set(WORKABLE_EVENT_QUERY, event);
	return url.toString();
}

function queryEvent(request: InboundRequest | undefined): string | undefined {
	const value = request?.query?.[WORKABLE_EVENT_QUERY];
	return asText(Array.isArray(value) ? value[0] : value);
}

export const workableSource: SourceDefinition<SourceSettings> = {
	id: 'workable',
	methods: ['POST'],
	authenticate: bodyHmacAuthenticate(WORKABLE_SIGNATURE),
	split(body, request) {
		if (!isRecord(body)) throw new Error('a Workable delivery is one JSON object');
		const sourceEvent = asText(body.event_type) ?? queryEvent(request) ?? '';
		// No idempotency key is documented. `id` is the resource id, so alone it would merge distinct
		// events; with `fired_at` it names one event (UNCONFIRMED that a retry repeats fired_at).
		// Without both, the pipeline hashes the raw body.
		const id = asText(body.id);
		const firedAt = asText(body.fired_at);
		return {
			events: [
				{
					sourceEvent,
					body,
					eventId: id && firedAt ? `${sourceEvent}:${id}:${firedAt}` : undefined,
				},
			],
		};
	},
	normalise: normaliseWorkable,
};

const text = textOrNull;
const record = recordOrUndefined;

/** Map one Workable delivery to the canonical event. Never throws; reports gaps as warnings. */
export function normaliseWorkable(raw: RawEvent): NormalisedEvent {
	const body = record(raw.body) ?? {};
	const name = raw.sourceEvent;
	const known = WORKABLE_EVENT_MAP.get(name);
	const warnings: string[] = [];
	// The documented payload is under `data`; tolerate a bare candidate object too.
	let data = record(body.data);
	if (
		!data &&
		body.id !== undefined &&
		(body.firstname !== undefined || body.stage !== undefined)
	) {
		data = body;
		warnings.push('data_wrapper_missing: the candidate was read from the top level of the body');
	}

	if (!name) {
		return {
			event: 'unknown',
			subject: { type: 'unknown', id: text(data?.id) },
			warnings: [
				'event_name_missing: no event_type in the body and no ?event= on the URL; the subscription was not made by this trigger',
			],
		};
	}
	if (!known) {
		const generic = normaliseGeneric(name, body);
		return {
			...generic,
			warnings: [
				`unknown_event: "${name}" is not a documented Workable event`,
				...(generic.warnings ?? []),
			],
		};
	}
	const occurredAt = toIsoDate(body.fired_at ?? data?.updated_at ?? null);
	if (!data) {
		return {
			event: known.canonical,
			occurredAt,
			subject: { type: known.candidate ? 'candidate' : 'unknown', id: null },
			warnings: ['data_missing: the body has no "data" object'],
		};
	}
	if (!known.candidate) {
		// Employee and time-off events: the taxonomy has no employee kind; the payload is kept as sent.
		return {
			event: 'unknown',
			occurredAt,
			subject: { type: 'unknown', id: text(data.id) },
			...(warnings.length ? { warnings } : {}),
		};
	}

	const id = text(data.id);
	if (id === null) warnings.push('field_missing: data.id');
	const profile = text(data.profile_url);
	const result: NormalisedEvent = {
		event: known.canonical,
		occurredAt,
		subject: { type: 'candidate', id, ...(profile ? { url: profile } : {}) },
		candidate: {
			id,
			firstName: text(data.firstname),
			lastName: text(data.lastname),
			email: text(data.email),
			phone: text(data.phone),
		},
	};
	const job = record(data.job);
	// A Workable job is identified by its shortcode in the API and in subscriptions.
	if (job)
		result.job = { id: text(job.shortcode) ?? text(job.id), title: text(job.title), status: null };
	// In Workable a candidate belongs to one job, so the candidate is the application too.
	const stage = text(data.stage);
	result.application = { id, stage, previousStage: null };

	if (name === 'candidate_moved') {
		const stageKind = text(data.stage_kind)?.toLowerCase();
		if (data.disqualified === true) {
			result.event = 'candidate.rejected';
			result.occurredAt = toIsoDate(
				body.fired_at ?? data.disqualified_at ?? data.updated_at ?? null,
			);
		} else if (stageKind === 'hired' || stage?.toLowerCase() === 'hired') {
			result.event = 'candidate.hired';
			result.occurredAt = toIsoDate(body.fired_at ?? data.hired_at ?? data.updated_at ?? null);
		} else {
			result.subject = { ...result.subject, type: 'application' };
			if (stage === null) warnings.push('field_missing: data.stage');
		}
	}
	if (name === 'candidate_deleted') delete result.application;
	if (warnings.length) result.warnings = warnings;
	return result;
}

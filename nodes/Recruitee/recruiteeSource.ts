import { bodyHmacAuthenticate } from '../core/signature/bodyHmac';
import { normaliseGeneric, toIsoDate } from '../core/event/extract';
import { subjectTypeOf } from '../core/event/taxonomy';
import { asText, firstText, isRecord, recordOrUndefined, textOrNull } from '../core/json/path';
import type {
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { answerGet } from '../core/pipeline/reply';
import { RECRUITEE_EVENT_MAP, RECRUITEE_MOVED_SUBTYPES } from './recruiteeEvents';
import { RECRUITEE_SIGNATURE } from './recruiteeSignature';

/**
 * Recruitee (Tellent) webhooks (docs.recruitee.com/docs/webhooks). Set up in Recruitee only
 * (Settings → Apps and Plugins → Webhooks → + New webhook); no registration API.
 *
 * - "Verify and create" sends `{"test":true}` (User-Agent `Recruitee-Webhooks`) and needs a 200;
 *   the "Test payload" buttons send example events with `test` added. Both are answered 200 before
 *   the signature check (the secret may not be in n8n yet) and start nothing.
 * - "Any response status other than 200 is considered a webhook delivery failure": every answer
 *   that is not an error is exactly 200 (the Response Code option is not offered).
 * - Recruitee retries failures with growing delays (count UNCONFIRMED), so dedup matters.
 */
export function isRecruiteeTest(body: unknown): boolean {
	return isRecord(body) && body.test !== undefined && body.test !== false && body.test !== null;
}

export const recruiteeSource: SourceDefinition<SourceSettings> = {
	id: 'recruitee',
	methods: ['POST', 'GET'],
	handshake: answerGet('recruitee'),
	ping: { detect: isRecruiteeTest, beforeAuth: true },
	authenticate: bodyHmacAuthenticate(RECRUITEE_SIGNATURE),
	split(body) {
		if (!isRecord(body)) throw new Error('a Recruitee delivery is one JSON object');
		const type = asText(body.event_type) ?? '';
		const subtype = asText(body.event_subtype);
		// A top-level delivery id is not documented (UNCONFIRMED `id`); without one the pipeline hashes
		// the raw body, which catches Recruitee's retries of the same bytes.
		const id = asText(body.id);
		return {
			events: [
				{
					sourceEvent: isRecruiteeTest(body) ? 'test' : type,
					body,
					eventId: id ? `${type}:${subtype ?? ''}:${id}` : undefined,
				},
			],
		};
	},
	acceptedStatus: 200,
	ackStatus: 200,
	normalise: normaliseRecruitee,
};

const text = textOrNull;
const record = recordOrUndefined;

/** Recruitee sends one `name`; first and last name are split at the first space (the full name stays in the payload). */
function candidateOf(value: unknown): NonNullable<NormalisedEvent['candidate']> {
	const candidate = record(value) ?? {};
	const full = typeof candidate.name === 'string' ? candidate.name.trim() : '';
	const space = full.search(/\s/);
	return {
		id: text(candidate.id),
		firstName: full ? (space < 0 ? full : full.slice(0, space)) : null,
		lastName: full && space >= 0 ? full.slice(space).trim() || null : null,
		email: firstText(candidate, ['emails.0', 'email', 'emails.0.value']),
		phone: firstText(candidate, ['phones.0', 'phone', 'phones.0.value']),
	};
}

/** Map one Recruitee delivery to the canonical event. Never throws; reports gaps as warnings. */
export function normaliseRecruitee(raw: RawEvent): NormalisedEvent {
	const body = record(raw.body) ?? {};
	const type = raw.sourceEvent;
	if (type === 'test') return { event: 'test', subject: { type: 'test', id: null } };
	if (!type)
		return {
			event: 'unknown',
			subject: { type: 'unknown', id: null },
			warnings: ['event_name_missing: the body has no "event_type"'],
		};
	const known = RECRUITEE_EVENT_MAP.get(type);
	const payload = record(body.payload);
	if (!known) {
		const generic = normaliseGeneric(type, payload ?? body);
		return {
			...generic,
			warnings: [
				`unknown_event: "${type}" is not a documented Recruitee event`,
				...(generic.warnings ?? []),
			],
		};
	}
	if (!payload) {
		return {
			event: known.event,
			subject: { type: subjectTypeOf(known.event), id: null },
			warnings: ['payload_missing: the body has no "payload" object'],
		};
	}

	const warnings: string[] = [];
	let event = known.event;
	const subtype = asText(body.event_subtype);
	if (type === 'candidate_moved') {
		const mapped = subtype ? RECRUITEE_MOVED_SUBTYPES[subtype] : undefined;
		if (mapped) event = mapped;
		else
			warnings.push(
				`unknown_subtype: candidate_moved "${subtype ?? ''}" is not a documented subtype; kept as a stage change`,
			);
	}
	const candidate = record(payload.candidate);
	if (!candidate) warnings.push('field_missing: payload.candidate');
	const result: NormalisedEvent = {
		event,
		occurredAt: toIsoDate(body.created_at ?? payload.created_at ?? candidate?.updated_at ?? null),
		subject: { type: subjectTypeOf(event), id: null },
		candidate: candidateOf(candidate),
	};
	const offer = record(payload.offer);
	if (offer)
		result.job = { id: text(offer.id), title: text(offer.title), status: text(offer.status) };

	if (subjectTypeOf(event) === 'candidate') {
		result.subject.id = result.candidate?.id ?? null;
	} else {
		// Recruitee calls a candidate-in-a-job a placement; whether webhooks send its id is UNCONFIRMED.
		const placementId = firstText(payload, ['placement.id', 'details.placement_id']);
		const details = record(payload.details) ?? {};
		result.application = {
			id: placementId,
			stage: firstText(details, ['to_stage.name']),
			previousStage: firstText(details, ['from_stage.name']),
		};
		result.subject.id = placementId;
		if (event === 'application.stage_changed' && result.application.stage === null)
			warnings.push('field_missing: payload.details.to_stage.name');
	}
	if (result.candidate?.id === null) warnings.push('field_missing: payload.candidate.id');
	if (warnings.length) result.warnings = warnings;
	return result;
}

import { asText, firstPath, getPath, isRecord } from '../json/path';
import type { NormalisedEvent } from '../pipeline/types';
import { mapEventName } from './mapEventName';
import { subjectTypeOf } from './taxonomy';

/**
 * Tolerant readers for payloads whose exact shape is not documented (generic senders, Recruitis):
 * look in the usual places, report where nothing was found instead of failing.
 */
export const EVENT_NAME_PATHS = [
	'type',
	'event',
	'event_type',
	'eventType',
	'action',
	'webhook_type',
	'topic',
	'event_name',
	'eventName',
];
export const OCCURRED_AT_PATHS = [
	'occurredAt',
	'occurred_at',
	'timestamp',
	'time',
	'created_at',
	'createdAt',
	'triggeredAt',
	'date',
	'data.updated_at',
];

export function readEventName(body: unknown, path?: string): string | undefined {
	if (path) return asText(getPath(body, path));
	const found = firstPath(body, EVENT_NAME_PATHS);
	return found ? asText(found.value) : undefined;
}

/** ISO text for a date-ish value (ISO string, Unix seconds or milliseconds); null when absent. */
export function toIsoDate(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) {
		const ms = value > 1e11 ? value : value * 1000;
		const date = new Date(ms);
		return Number.isNaN(date.getTime()) ? null : date.toISOString();
	}
	if (typeof value === 'string' && value.trim()) {
		if (/^\d+$/.test(value.trim())) return toIsoDate(Number(value));
		const date = new Date(value);
		return Number.isNaN(date.getTime()) ? value : date.toISOString();
	}
	return null;
}

export function readOccurredAt(body: unknown): string | null {
	const found = firstPath(body, OCCURRED_AT_PATHS);
	return found ? toIsoDate(found.value) : null;
}

/** The object that most likely describes the subject: `data.<type>`, `data`, `payload.<type>`, `payload`, or the body. */
export function subjectObject(body: unknown, type: string): Record<string, unknown> | undefined {
	for (const path of [`data.${type}`, 'data', `payload.${type}`, 'payload', `object`, type]) {
		const value = getPath(body, path);
		if (isRecord(value)) return value;
	}
	return isRecord(body) ? body : undefined;
}

export function readId(obj: unknown, type: string): string | undefined {
	const found = firstPath(obj, ['id', `${type}_id`, `${type}Id`, 'uuid', `${type}.id`]);
	return found ? asText(found.value) : undefined;
}

export function readPerson(obj: unknown): NonNullable<NormalisedEvent['candidate']> {
	const text = (paths: string[]) => {
		const found = firstPath(obj, paths);
		return found ? (asText(found.value) ?? null) : null;
	};
	const emailValue = firstPath(obj, [
		'email',
		'email_address',
		'emailAddress',
		'emails.0.value',
		'emails.0',
		'email_addresses.0.value',
	]);
	const phoneValue = firstPath(obj, [
		'phone',
		'phone_number',
		'phoneNumber',
		'tel_mobile',
		'tel_landline',
		'mobile',
		'phones.0.value',
		'phones.0',
		'phone_numbers.0.value',
	]);
	return {
		id: text(['id', 'candidate_id', 'candidateId']),
		firstName: text(['first_name', 'firstName', 'firstname', 'given_name']),
		lastName: text(['last_name', 'lastName', 'lastname', 'family_name']),
		email: emailValue ? (asText(emailValue.value) ?? null) : null,
		phone: phoneValue ? (asText(phoneValue.value) ?? null) : null,
	};
}

/** A whole canonical draft from an event name and a body, for senders with no mapping of their own. */
export function normaliseGeneric(sourceEvent: string, body: unknown): NormalisedEvent {
	const event = mapEventName(sourceEvent);
	const type = subjectTypeOf(event);
	const warnings: string[] = [];
	if (event === 'unknown')
		warnings.push(
			`event_unmapped: "${sourceEvent}" is not in the canonical taxonomy; see sourceEvent`,
		);
	const subject = subjectObject(body, type === 'unknown' ? 'object' : type);
	const id = readId(subject, type) ?? null;
	if (id === null) warnings.push('subject_id_missing: no id found in the payload');
	const result: NormalisedEvent = {
		event,
		occurredAt: readOccurredAt(body),
		subject: { type, id },
		warnings,
	};
	if (type === 'candidate') result.candidate = readPerson(subject);
	if (type === 'job') {
		const title = firstPath(subject, ['title', 'name', 'job_title']);
		const status = firstPath(subject, ['status', 'state']);
		result.job = {
			id,
			title: title ? (asText(title.value) ?? null) : null,
			status: status ? (asText(status.value) ?? null) : null,
		};
	}
	if (type === 'application') {
		const stage = firstPath(subject, [
			'stage.name',
			'stage',
			'current_stage.name',
			'to_stage.name',
		]);
		const previous = firstPath(subject, [
			'previous_stage.name',
			'previousStage',
			'from_stage.name',
		]);
		result.application = {
			id,
			stage: stage ? (asText(stage.value) ?? null) : null,
			previousStage: previous ? (asText(previous.value) ?? null) : null,
		};
	}
	return result;
}

import {
	signBodyHmac,
	vendorAuthenticate,
	verifyBodyHmac,
	type BodyHmacScheme,
} from '../core/signature/bodyHmac';
import type { VerifyResult } from '../core/signature/errors';
import { readHeader, type HeaderBag } from '../core/signature/headers';
import { toIsoDate } from '../core/event/extract';
import type { CanonicalEventName } from '../core/event/taxonomy';
import { subjectTypeOf } from '../core/event/taxonomy';
import { asText, isRecord, recordOrUndefined, textOrNull } from '../core/json/path';
import type {
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { answerGet } from '../core/pipeline/reply';

/**
 * Apideck ATS unified API webhooks: one trigger for every ATS Apideck connects.
 * developers.apideck.com/guides/webhook-signature-verification; event examples in
 * github.com/apideck-libraries/openapi-specs `ats.yml` (`x-webhooks`).
 *
 * - Body `{ payload: { event_type, unified_api, service_id, consumer_id, event_id, entity_id,
 *   entity_url, entity_type, occurred_at } }`: a notification; fetch the record at `entity_url`.
 * - `x-apideck-signature`: HMAC-SHA256 keyed with the Apideck **API key** over "the entire request
 *   body (with the payload envelope structure)" after "recursively sorting all object keys
 *   alphabetically (maintaining array order)". So the signed text is a re-serialisation: the node
 *   tries the raw bytes first, then the compact JSON of the parsed body with keys sorted.
 * - `x-apideck-idempotency-key` on every delivery: the dedup key (else `payload.event_id`).
 */
export const APIDECK_SIGNATURE: BodyHmacScheme = {
	header: 'x-apideck-signature',
	// The documented example is 64 hex digits; base64 is accepted too (encoding not stated).
	encodings: ['hex', 'base64'],
	algorithmLabel: 'none',
	noSecretMessage:
		'No Apideck API key is configured in the credential (Secret): Apideck signs with the API key.',
	mismatchMessage:
		'The signature does not match the body and the Apideck API key in the credential.',
};

/** Recursively sort object keys (arrays keep their order), as Apideck does before signing. */
export function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (!isRecord(value)) return value;
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
	return out;
}

/** The text Apideck signs for a body: compact JSON with keys sorted. Undefined when the body is not JSON. */
export function apideckSignedText(rawBody: Buffer | string): string | undefined {
	try {
		return JSON.stringify(sortKeys(JSON.parse(rawBody.toString())));
	} catch {
		return undefined;
	}
}

export function signApideck(apiKey: string, body: string | Buffer): string {
	return signBodyHmac(APIDECK_SIGNATURE, apiKey, apideckSignedText(body) ?? body);
}

/** Verify over the raw bytes, then over the sorted-keys form. `form` says which matched. Never throws. */
export function verifyApideckSignature(
	headers: HeaderBag,
	rawBody: Buffer,
	secrets: ReadonlyArray<string | undefined | null>,
): VerifyResult & { form?: 'raw' | 'sortedKeys' } {
	const raw = verifyBodyHmac(headers, rawBody, secrets, APIDECK_SIGNATURE);
	if (raw.ok) return { ...raw, form: 'raw' };
	if (raw.reason !== 'signature_mismatch') return raw;
	const sorted = apideckSignedText(rawBody);
	if (sorted === undefined) return raw;
	const result = verifyBodyHmac(headers, Buffer.from(sorted), secrets, APIDECK_SIGNATURE);
	return result.ok ? { ...result, form: 'sortedKeys' } : result;
}

const EVENTS: Record<string, CanonicalEventName> = {
	'ats.application.created': 'application.created',
	'ats.application.updated': 'application.updated',
	'ats.application.deleted': 'application.deleted',
	'ats.job.created': 'job.created',
	'ats.job.updated': 'job.updated',
	'ats.job.deleted': 'job.deleted',
	// Marked "upcoming" in Apideck's spec.
	'ats.applicant.created': 'candidate.created',
	'ats.applicant.updated': 'candidate.updated',
	'ats.applicant.deleted': 'candidate.deleted',
};
export const APIDECK_EVENTS = Object.keys(EVENTS);

function payloadOf(body: unknown): Record<string, unknown> | undefined {
	return isRecord(body) ? recordOrUndefined(body.payload) : undefined;
}

export const apideckAtsSource: SourceDefinition<SourceSettings> = {
	id: 'apideckats',
	methods: ['POST', 'GET'],
	handshake: answerGet('apideckats'),
	authenticate: vendorAuthenticate(verifyApideckSignature),
	deliveryId(request, body) {
		const key = readHeader(request.headers, 'x-apideck-idempotency-key').value?.trim();
		return (key || asText(payloadOf(body)?.event_id))?.slice(0, 200) || undefined;
	},
	split(body, request) {
		if (!isRecord(body)) throw new Error('an Apideck delivery is one JSON object');
		const header = request
			? readHeader(request.headers, 'x-apideck-event-type').value?.trim()
			: undefined;
		return { events: [{ sourceEvent: asText(payloadOf(body)?.event_type) ?? header ?? '', body }] };
	},
	normalise: normaliseApideckAts,
};

const text = textOrNull;

/** Map one Apideck notification; `service_id` (the real ATS) travels as `integration`. Never throws. */
export function normaliseApideckAts(raw: RawEvent): NormalisedEvent {
	const payload = payloadOf(raw.body) ?? {};
	const extra = {
		integration: text(payload.service_id),
		unifiedApi: text(payload.unified_api),
		entityType: text(payload.entity_type),
	};
	const name = raw.sourceEvent;
	const event = EVENTS[name];
	const id = text(payload.entity_id);
	const url = text(payload.entity_url);
	const occurredAt = toIsoDate(payload.occurred_at ?? null);
	if (!name)
		return {
			event: 'unknown',
			subject: { type: 'unknown', id },
			extra,
			warnings: ['event_name_missing: the body has no "payload.event_type"'],
		};
	if (!event) {
		return {
			event: 'unknown',
			occurredAt,
			subject: { type: 'unknown', id, ...(url ? { url } : {}) },
			extra,
			warnings: [`unknown_event: "${name}" is not a mapped Apideck ATS event`],
		};
	}
	const kind = subjectTypeOf(event);
	const result: NormalisedEvent = {
		event,
		occurredAt,
		subject: { type: kind, id, ...(url ? { url } : {}) },
		extra,
	};
	// A notification carries the id only; the record is fetched from entity_url with the API key.
	if (kind === 'candidate') result.candidate = { id };
	if (kind === 'job') result.job = { id };
	if (kind === 'application') result.application = { id, stage: null, previousStage: null };
	if (id === null) result.warnings = ['field_missing: payload.entity_id'];
	return result;
}

import {
	signBodyHmac,
	vendorAuthenticate,
	verifyBodyHmac,
	type BodyHmacScheme,
} from '../core/signature/bodyHmac';
import type { VerifyResult } from '../core/signature/errors';
import type { HeaderBag } from '../core/signature/headers';
import { normaliseGeneric, readPerson, toIsoDate } from '../core/event/extract';
import type { CanonicalEventName } from '../core/event/taxonomy';
import { subjectTypeOf } from '../core/event/taxonomy';
import { asText, firstText, isRecord, recordOrUndefined, textOrNull } from '../core/json/path';
import type {
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { answerGet } from '../core/pipeline/reply';

/**
 * Breezy HR webhooks (developer.breezy.hr/reference/webhooks, /webhook-security, /webhook-events).
 * Envelope `{ _id, type, object, creation_date }`; headers `X-Hook-Signature`,
 * `X-Breezy-Webhook-Version`.
 *
 * Signature: hex HMAC-SHA256 keyed with the endpoint's secret — the whole `whsec_…` text as UTF-8
 * bytes, not a Standard Webhooks base64 key. Breezy's examples compute it over `JSON.stringify(body)`
 * (Node) and `json.dumps(body, separators=(',', ':'))` (Python), i.e. compact JSON, not over the
 * bytes received. The node verifies the raw bytes first, then the compact re-serialisation, and the
 * verifier says which matched.
 */
export const BREEZY_SIGNATURE: BodyHmacScheme = {
	header: 'X-Hook-Signature',
	encodings: ['hex'],
	algorithmLabel: 'optional',
	labelSeparator: '=',
	noSecretMessage:
		"No webhook secret is known for this trigger: publish the workflow (automatic registration) or put the endpoint's whsec_ secret in the credential (manual).",
	mismatchMessage: "The signature does not match the body and the webhook endpoint's secret.",
};

/** Compact JSON of the parsed body (what Breezy's examples sign); undefined when not JSON. */
export function breezyCompact(rawBody: Buffer | string): string | undefined {
	try {
		return JSON.stringify(JSON.parse(rawBody.toString()));
	} catch {
		return undefined;
	}
}

/** `X-Hook-Signature` as Breezy's examples compute it (over the compact JSON). */
export function signBreezyHr(secret: string, body: string | Buffer): string {
	return signBodyHmac(
		{ ...BREEZY_SIGNATURE, algorithmLabel: 'none' },
		secret,
		breezyCompact(body) ?? body,
	);
}

export function verifyBreezyHrSignature(
	headers: HeaderBag,
	rawBody: Buffer,
	secrets: ReadonlyArray<string | undefined | null>,
): VerifyResult & { form?: 'raw' | 'compact' } {
	const raw = verifyBodyHmac(headers, rawBody, secrets, BREEZY_SIGNATURE);
	if (raw.ok) return { ...raw, form: 'raw' };
	if (raw.reason !== 'signature_mismatch') return raw;
	const compact = breezyCompact(rawBody);
	if (compact === undefined) return raw;
	const result = verifyBodyHmac(headers, Buffer.from(compact), secrets, BREEZY_SIGNATURE);
	return result.ok ? { ...result, form: 'compact' } : result;
}

export interface BreezyEvent {
	value: string;
	name: string;
	event: CanonicalEventName | 'unknown';
}

export const BREEZY_EVENTS: BreezyEvent[] = [
	// A candidate is always added to a position in Breezy: the start of an application.
	{ value: 'candidateAdded', name: 'Candidate Added', event: 'application.created' },
	{ value: 'candidateDeleted', name: 'Candidate Deleted', event: 'candidate.deleted' },
	{
		value: 'candidateStatusUpdated',
		name: 'Candidate Status (Stage) Updated',
		event: 'application.stage_changed',
	},
	{ value: 'companyPositionAdded', name: 'Position Added', event: 'job.created' },
	{ value: 'companyPositionUpdated', name: 'Position Updated', event: 'job.updated' },
	{ value: 'companyPositionDeleted', name: 'Position Deleted', event: 'job.deleted' },
	{ value: 'companyPositionStateUpdated', name: 'Position State Updated', event: 'job.updated' },
	{ value: 'companyNotePosted', name: 'Note Posted', event: 'note.created' },
	{ value: 'companyNoteUpdated', name: 'Note Updated', event: 'note.updated' },
	// The taxonomy has no note deletion.
	{ value: 'companyNoteDeleted', name: 'Note Deleted', event: 'unknown' },
];
const EVENT_MAP: ReadonlyMap<string, BreezyEvent> = new Map(BREEZY_EVENTS.map((e) => [e.value, e]));

/** `companyPositionStateUpdated` by the position's new state. */
const POSITION_STATES: Record<string, CanonicalEventName> = {
	published: 'job.published',
	open: 'job.opened',
	closed: 'job.closed',
	archived: 'job.archived',
	draft: 'job.unpublished',
};

export const breezyHrSource: SourceDefinition<SourceSettings> = {
	id: 'breezyhr',
	methods: ['POST', 'GET'],
	handshake: answerGet('breezyhr'),
	authenticate: vendorAuthenticate(verifyBreezyHrSignature),
	deliveryId(_request, body) {
		return isRecord(body) ? asText(body._id)?.slice(0, 200) : undefined;
	},
	split(body) {
		if (!isRecord(body)) throw new Error('a Breezy HR delivery is one JSON object');
		return { events: [{ sourceEvent: asText(body.type) ?? '', body }] };
	},
	normalise: normaliseBreezyHr,
};

const text = textOrNull;
const record = recordOrUndefined;

/** Breezy sends one `name`: split at the first space (the full name stays in the payload). */
function splitName(value: unknown): { firstName?: string | null; lastName?: string | null } {
	const full = typeof value === 'string' ? value.trim() : '';
	if (!full) return {};
	const space = full.search(/\s/);
	return space < 0
		? { firstName: full, lastName: null }
		: { firstName: full.slice(0, space), lastName: full.slice(space).trim() || null };
}

/** Map one Breezy HR delivery to the canonical event. Never throws; reports gaps as warnings. */
export function normaliseBreezyHr(raw: RawEvent): NormalisedEvent {
	const body = record(raw.body) ?? {};
	const name = raw.sourceEvent;
	const known = EVENT_MAP.get(name);
	const object = record(body.object);
	if (!name)
		return {
			event: 'unknown',
			subject: { type: 'unknown', id: null },
			warnings: ['event_name_missing: the body has no "type"'],
		};
	if (!known) {
		const generic = normaliseGeneric(name, object ?? body);
		return {
			...generic,
			warnings: [
				`unknown_event: "${name}" is not a documented Breezy HR event`,
				...(generic.warnings ?? []),
			],
		};
	}
	let event = known.event;
	const warnings: string[] = [];
	if (!object)
		return {
			event,
			subject: { type: event === 'unknown' ? 'note' : subjectTypeOf(event), id: null },
			warnings: ['object_missing: the body has no "object"'],
		};

	const candidate = record(object.candidate);
	const position = record(object.position);
	const stage = record(object.stage);
	const note = record(object.note);
	const result: NormalisedEvent = {
		event,
		occurredAt: toIsoDate(body.creation_date ?? null),
		subject: { type: 'unknown', id: null },
	};
	if (candidate)
		result.candidate = {
			...readPerson(candidate),
			...splitName(candidate.name),
			id: text(candidate._id) ?? text(candidate.id),
			email: firstText(candidate, ['email_address', 'email']),
			phone: firstText(candidate, ['phone_number', 'phone']),
		};
	if (position)
		result.job = {
			id: text(position._id) ?? text(position.id),
			title: text(position.name),
			status: text(position.state),
		};

	switch (name) {
		case 'candidateAdded':
		case 'candidateStatusUpdated':
			// Breezy has no application id: a candidate belongs to one position, so the candidate id names the pair.
			result.subject = { type: 'application', id: result.candidate?.id ?? null };
			result.application = {
				id: result.candidate?.id ?? null,
				stage: text(stage?.name) ?? text(candidate?.stage && record(candidate.stage)?.name),
				previousStage: null,
			};
			if (name === 'candidateStatusUpdated' && result.application.stage === null)
				warnings.push('field_missing: object.stage.name');
			break;
		case 'candidateDeleted':
			result.subject = { type: 'candidate', id: result.candidate?.id ?? null };
			break;
		case 'companyPositionStateUpdated': {
			const state = text(position?.state)?.toLowerCase();
			if (state && POSITION_STATES[state]) event = result.event = POSITION_STATES[state];
			result.subject = { type: 'job', id: result.job?.id ?? null };
			break;
		}
		case 'companyPositionAdded':
		case 'companyPositionUpdated':
		case 'companyPositionDeleted':
			result.subject = { type: 'job', id: result.job?.id ?? null };
			break;
		default:
			result.subject = { type: 'note', id: text(note?._id) ?? text(note?.id) };
	}
	if (result.subject.id === null) warnings.push('subject_id_missing: no id found in the object');
	if (warnings.length) result.warnings = warnings;
	return result;
}

import { vendorAuthenticate } from '../core/signature/bodyHmac';
import { failed, verified, type VerifyResult } from '../core/signature/errors';
import { readHeader, usableSecrets, type HeaderBag } from '../core/signature/headers';
import { safeEqualAny } from '../core/signature/timingSafe';
import { toIsoDate } from '../core/event/extract';
import { asText, firstText, isRecord, recordOrUndefined, textOrNull } from '../core/json/path';
import type {
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { answerGet } from '../core/pipeline/reply';

/**
 * Personio webhooks (API v2; https://developer.personio.de/v2.0/reference/webhooks):
 *
 * - POST JSON `{ company_id, event_name, occurred_at, payload, meta? }` ("Event Payload Structure").
 *   Personio webhooks are "Dataless Notifications": `payload` identifies what changed, not its data.
 * - No HMAC. With `auth_type: TOKEN` Personio sends "this exact value in the Authorization header"
 *   (https://developer.personio.de/reference/post_v2-webhooks); no prefix is added. The node compares
 *   the header with the token in constant time (a "Bearer " on either side is tolerated).
 * - A delivery needs a 2xx within 3 s; no redirects; retried on timeout and 5xx (not 501) up to 6
 *   attempts over 3 days, up to 14 requests in all. No delivery id is documented: dedup uses an
 *   `id` / `event_id` when one is sent, else the hash of the raw body (a retry resends the same bytes).
 * - Events: person.created|updated|deleted, employment.created|updated|deleted|started|terminated.
 *   Personio has no recruiting (applicant) webhooks; the canonical taxonomy has no employee events,
 *   so these stay `unknown` with the entity, action and ids on the event.
 */

/** The token check: exact `Authorization` value, constant-time; rotation: several tokens. */
export function verifyPersonioToken(
	headers: HeaderBag,
	tokens: ReadonlyArray<string | undefined | null>,
): VerifyResult {
	const accepted = usableSecrets(tokens);
	if (accepted.length === 0)
		return failed(
			'no_secret',
			'No Personio webhook token is known: publish the workflow again (automatic registration) or set the token in the credential (manual).',
		);
	const header = readHeader(headers, 'authorization');
	if (header.multiple)
		return failed('ambiguous_token_header', 'Header Authorization was sent more than once.');
	const value = header.value?.trim();
	if (!value) return failed('missing_token', 'Header Authorization is missing.');
	const bare = (text: string) => text.replace(/^bearer\s+/i, '');
	const candidates = [value, bare(value)];
	const expected = [...accepted, ...accepted.map(bare)];
	return safeEqualAny(candidates, expected)
		? verified
		: failed('token_mismatch', 'Header Authorization does not hold the webhook token.');
}

export const PERSONIO_EVENTS: Array<{ value: string; name: string; description: string }> = [
	{
		value: 'person.created',
		name: 'Person Created',
		description: 'A person (employee profile) was added',
	},
	{
		value: 'person.updated',
		name: 'Person Updated',
		description: 'Name, gender, language, email, preferred name or a custom attribute changed',
	},
	{ value: 'person.deleted', name: 'Person Deleted', description: 'A person was deleted' },
	{
		value: 'employment.created',
		name: 'Employment Created',
		description: 'A new employment was added for an employee (for example a new hire)',
	},
	{ value: 'employment.updated', name: 'Employment Updated', description: 'An employment changed' },
	{
		value: 'employment.deleted',
		name: 'Employment Deleted',
		description: 'An employment was removed, or its person deleted',
	},
	{
		value: 'employment.started',
		name: 'Employment Started',
		description: 'Sent on the start date of an employment',
	},
	{
		value: 'employment.terminated',
		name: 'Employment Terminated',
		description: 'Sent on the termination date of an employment',
	},
];

export const personioSource: SourceDefinition<SourceSettings> = {
	id: 'personio',
	methods: ['POST', 'GET'],
	handshake: answerGet('personio'),
	authenticate: vendorAuthenticate((headers, _rawBody, secrets) =>
		verifyPersonioToken(headers, secrets),
	),
	split(body) {
		if (!isRecord(body)) throw new Error('a Personio webhook is one JSON object');
		// Personio's pages write `Person.created` in one place and `person.created` in another: the
		// lower-case form is the one used everywhere (the filter, the registration's enabled_events).
		const name = asText(body.event_name) ?? '';
		const eventId =
			asText(body.id) ?? asText(body.event_id) ?? asText(recordOrUndefined(body.meta)?.event_id);
		return { events: [{ sourceEvent: name.toLowerCase(), body, eventId }] };
	},
	normalise: normalisePersonio,
};

/** A Personio notification as a canonical event (`unknown`: no employee events in the taxonomy). Never throws. */
export function normalisePersonio(raw: RawEvent): NormalisedEvent {
	const body = recordOrUndefined(raw.body) ?? {};
	const payload = recordOrUndefined(body.payload);
	const warnings: string[] = [];
	const match = /^(person|employment)\.([a-z_]+)$/.exec(raw.sourceEvent);
	if (!raw.sourceEvent) warnings.push('event_name_missing: the body has no "event_name"');
	else if (!match)
		warnings.push(`unknown_event: "${raw.sourceEvent}" is not a documented Personio event`);
	if (!payload) warnings.push('field_missing: payload');
	if (!asText(body.company_id)) warnings.push('field_missing: company_id');
	const entity = match?.[1] ?? null;
	// The payload's shape per event is not documented beyond "identifies the change": ids are read
	// from the likely places.
	const id = firstText(payload, ['id', `${entity ?? 'person'}_id`, `${entity ?? 'person'}.id`]);
	const personId =
		entity === 'person'
			? id
			: firstText(payload, ['person_id', 'person.id', 'employee_id', 'employee.id']);
	const employmentId =
		entity === 'employment' ? id : firstText(payload, ['employment_id', 'employment.id']);
	if (match && !id) warnings.push('field_missing: payload.id');
	return {
		event: 'unknown',
		occurredAt: toIsoDate(body.occurred_at ?? null),
		subject: { type: 'unknown', id },
		extra: {
			companyId: textOrNull(body.company_id),
			personioEntity: entity,
			personioAction: match?.[2] ?? null,
			personId: personId ?? null,
			employmentId: employmentId ?? null,
		},
		...(warnings.length ? { warnings } : {}),
	};
}

import {
	bodyHmacAuthenticate,
	signBodyHmac,
	verifyBodyHmac,
	type BodyHmacScheme,
} from '../core/signature/bodyHmac';
import type { VerifyResult } from '../core/signature/errors';
import { readHeader, type HeaderBag } from '../core/signature/headers';
import {
	asText,
	firstText,
	getPath,
	isRecord,
	recordOrUndefined,
	textOrNull,
} from '../core/json/path';
import type {
	InboundRequest,
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { answerGet } from '../core/pipeline/reply';

/**
 * JazzHR Candidate Export webhooks (github.com/JazzHR/api-doc, source/includes/webhook/
 * _event_candidate_export.md, _event_verification.md, _payload_candidate_export.md and
 * source/files/jazzhr_candidate_export.sample.json). Set up in JazzHR only (Settings → Integrations →
 * Add Custom Integration: name, URL, secret); no registration API.
 *
 * - `X-JazzHR-Event: CANDIDATE-EXPORT` on every export (manual "Export Candidate", or a Workflow
 *   Helper); the body is an HR Open Standards `candidate` plus `positionOpenings` and JazzHR extras.
 * - `X-JazzHR-Event: VERIFY` with `{"data": "JazzHR Verify Event"}` when the integration is saved:
 *   "must respond with a status code of 200". Answered before the signature check (the secret may not
 *   be in n8n yet) and starts nothing.
 * - `X-JazzHR-Signature` = "The HMAC hex digest of the response [sic: request] body", SHA-256, keyed with
 *   the secret given to JazzHR.
 * - Non-2xx (3xx included) is redelivered "every 5 minutes for up to 2 hours": dedup on
 *   `X-JazzHR-UUID` (a unique request id in an earlier revision of the page; UNCONFIRMED today),
 *   else on a hash of the raw body.
 */
export const JAZZHR_SIGNATURE: BodyHmacScheme = {
	header: 'X-JazzHR-Signature',
	encodings: ['hex'],
	algorithmLabel: 'optional',
	labelSeparator: '=',
	noSecretMessage:
		'No secret is configured in the credential (use the secret given to JazzHR in the Custom Integration).',
	missingHint: 'Set a secret on the JazzHR Custom Integration: without one JazzHR does not sign.',
	mismatchMessage: 'The signature does not match the body and the secret in the credential.',
};

export const JAZZHR_EVENT_HEADER = 'x-jazzhr-event';
export const JAZZHR_UUID_HEADER = 'x-jazzhr-uuid';
export const CANDIDATE_EXPORT = 'CANDIDATE-EXPORT';

export function signJazzHr(secret: string, body: string | Buffer): string {
	return signBodyHmac({ ...JAZZHR_SIGNATURE, algorithmLabel: 'none' }, secret, body);
}

export function verifyJazzHrSignature(
	headers: HeaderBag,
	rawBody: Buffer,
	secrets: ReadonlyArray<string | undefined | null>,
): VerifyResult {
	return verifyBodyHmac(headers, rawBody, secrets, JAZZHR_SIGNATURE);
}

function eventHeader(request: InboundRequest | undefined): string | undefined {
	const h = request ? readHeader(request.headers, JAZZHR_EVENT_HEADER) : {};
	return h.value?.trim().toUpperCase() || undefined;
}

/** The VERIFY call: by its header, or by its documented body when a proxy dropped the header. */
export function isJazzHrVerify(body: unknown, request?: InboundRequest): boolean {
	const event = eventHeader(request);
	if (event) return event === 'VERIFY';
	return isRecord(body) && body.data === 'JazzHR Verify Event';
}

export const jazzHrSource: SourceDefinition<SourceSettings> = {
	id: 'jazzhr',
	methods: ['POST', 'GET'],
	handshake: answerGet('jazzhr'),
	// JazzHR needs exactly 200 for VERIFY; every other acknowledgement is 200 too (2xx counts).
	ping: { detect: isJazzHrVerify, beforeAuth: true },
	authenticate: bodyHmacAuthenticate(JAZZHR_SIGNATURE),
	deliveryId(request) {
		return readHeader(request.headers, JAZZHR_UUID_HEADER).value?.trim().slice(0, 200) || undefined;
	},
	split(body, request) {
		if (!isRecord(body)) throw new Error('a JazzHR delivery is one JSON object');
		// Only one event carries data; a body with a candidate and no header is taken as an export.
		const sourceEvent = eventHeader(request) ?? (isRecord(body.candidate) ? CANDIDATE_EXPORT : '');
		return { events: [{ sourceEvent, body }] };
	},
	normalise: normaliseJazzHr,
};

const text = textOrNull;
const record = recordOrUndefined;

/** The first entry of an HR Open list, preferring `preference: 1`. */
function preferred(list: unknown): Record<string, unknown> | undefined {
	if (!Array.isArray(list)) return undefined;
	const records = list.filter(isRecord);
	return records.find((r) => r.preference === 1) ?? records[0];
}

/** Map a JazzHR export (HR Open Standards candidate) to the canonical event. Never throws. */
export function normaliseJazzHr(raw: RawEvent, request?: InboundRequest): NormalisedEvent {
	const body = record(raw.body) ?? {};
	const name = raw.sourceEvent;
	if (name === 'VERIFY') return { event: 'test', subject: { type: 'test', id: null } };
	if (name !== CANDIDATE_EXPORT) {
		return {
			event: 'unknown',
			subject: { type: 'unknown', id: null },
			warnings: [
				name
					? `unknown_event: "${name}" is not a documented JazzHR event`
					: 'event_name_missing: no X-JazzHR-Event header and no candidate in the body',
			],
		};
	}
	const warnings: string[] = [];
	const candidate = record(body.candidate);
	if (!candidate) warnings.push('field_missing: candidate');
	const person = record(candidate?.person) ?? {};
	const id = firstText(person, ['id.value', 'id']);
	if (id === null) warnings.push('field_missing: candidate.person.id.value');
	const communication = record(person.communication) ?? {};
	const result: NormalisedEvent = {
		event: 'candidate.exported',
		occurredAt: null,
		subject: { type: 'candidate', id },
		candidate: {
			id,
			firstName: firstText(person, ['name.given']),
			lastName: firstText(person, ['name.family']),
			email: text(preferred(communication.email)?.address),
			phone: text(preferred(communication.phone)?.formattedNumber),
		},
	};
	// The profile link JazzHR puts in the `Link` header.
	const link = request ? readHeader(request.headers, 'link').value : undefined;
	const url = link ? (/<([^>]+)>/.exec(link)?.[1] ?? link.trim()) : undefined;
	if (url && /^https?:\/\//i.test(url)) result.subject.url = url;

	// One profile per job application; the export context header names the job the export was made from.
	const profiles = Array.isArray(candidate?.profiles) ? candidate.profiles.filter(isRecord) : [];
	const context = request
		? asText(readHeader(request.headers, 'x-jazzhr-export-context').value)
		: undefined;
	const jobOf = (profile: Record<string, unknown>) =>
		firstText(profile, ['associatedPositionOpenings.0.positionOpeningId.value']);
	const profile = (context && profiles.find((p) => jobOf(p) === context)) || profiles[0];
	if (profile) {
		const applicationId = firstText(profile, ['profileId.value']);
		const extra =
			record(getPath(body, `additionalProfileInformation.${applicationId ?? ''}`)) ?? {};
		result.application = {
			id: applicationId,
			stage: text(extra.workflowStatus),
			previousStage: null,
		};
		result.job = {
			id: jobOf(profile),
			title: firstText(profile, ['associatedPositionOpenings.0.positionTitle']),
		};
		result.occurredAt = null;
		const dispositionAt = text(extra.workflowDispositionDatetime);
		if (dispositionAt)
			result.extra = {
				workflowStatusCategory: text(extra.workflowStatusCategory),
				workflowDispositionAt: dispositionAt,
			};
		else if (extra.workflowStatusCategory !== undefined)
			result.extra = { workflowStatusCategory: text(extra.workflowStatusCategory) };
	}
	if (warnings.length) result.warnings = warnings;
	return result;
}

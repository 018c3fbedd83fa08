import { normaliseGeneric, toIsoDate } from '../core/event/extract';
import { subjectTypeOf } from '../core/event/taxonomy';
import {
	asText,
	firstText,
	getPath,
	isRecord,
	recordOrUndefined,
	textOrNull,
} from '../core/json/path';
import type {
	AuthResult,
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { answerGet } from '../core/pipeline/reply';
import { TEAMTAILOR_EVENT_MAP } from './teamtailorEvents';
import { verifyTeamtailor, type TeamtailorSignatureVersion } from './teamtailorSignature';

/**
 * Teamtailor Company Webhooks (partner.teamtailor.com/company_webhooks; tt-partner-docs
 * source/includes/company_webhooks/*.md.erb). Envelope `{ payload: { event_name, data: { id, type,
 * attributes } }, signature }`, JSON:API style with kebab-case attributes (the job-application
 * attribute list is written in snake_case on the same page: both spellings are read).
 * Set up in Teamtailor only (Settings → Integrations → Webhooks, once Teamtailor has switched the
 * feature on); there is no registration API. Teamtailor does not retry: "any non 2xx responses will
 * be logged as a failed delivery" (_authentication.md.erb).
 */
export interface TeamtailorSettings extends SourceSettings {
	signatureVersion: TeamtailorSignatureVersion;
}

function attributes(data: Record<string, unknown> | undefined): Record<string, unknown> {
	return recordOrUndefined(data?.attributes) ?? {};
}

/** An attribute in kebab-case or snake_case (`updated-at` / `updated_at`). */
function attr(attrs: Record<string, unknown>, name: string): unknown {
	const kebab = name.replace(/_/g, '-');
	return attrs[kebab] !== undefined ? attrs[kebab] : attrs[name.replace(/-/g, '_')];
}

function payloadOf(body: unknown): Record<string, unknown> | undefined {
	return isRecord(body) ? recordOrUndefined(body.payload) : undefined;
}

export const teamtailorSource: SourceDefinition<TeamtailorSettings> = {
	id: 'teamtailor',
	methods: ['POST', 'GET'],
	// No test call is documented; a GET (a browser, a URL check) gets 200 and no execution.
	handshake: answerGet('teamtailor'),
	authenticate(request, settings, body): AuthResult {
		const secrets = settings.auth.scheme === 'vendor' ? settings.auth.secrets : [];
		const toleranceSeconds =
			settings.auth.scheme === 'vendor' ? settings.auth.toleranceSeconds : 300;
		const parsed = settings.signatureVersion === 'v1' ? body() : undefined;
		const result = verifyTeamtailor(request.headers, request.rawBody ?? Buffer.alloc(0), {
			secrets,
			version: settings.signatureVersion,
			toleranceSeconds,
			nowSeconds: Math.floor(request.now / 1000),
			body: parsed?.ok ? parsed.value : undefined,
		});
		return result.ok ? { ok: true, scheme: 'vendor', verified: true } : result;
	},
	split(body) {
		if (!isRecord(body)) throw new Error('a Teamtailor delivery is one JSON object');
		const payload = payloadOf(body);
		const data = recordOrUndefined(payload?.data);
		const sourceEvent = asText(payload?.event_name) ?? '';
		// No delivery id is sent (and nothing is retried). A resource's change is identified by the event,
		// the id and its updated-at; without updated-at (destroy events) the pipeline hashes the raw body.
		const id = asText(data?.id);
		const updatedAt = asText(attr(attributes(data), 'updated_at'));
		return {
			events: [
				{
					sourceEvent,
					body,
					eventId: sourceEvent && id && updatedAt ? `${sourceEvent}:${id}:${updatedAt}` : undefined,
				},
			],
		};
	},
	normalise: normaliseTeamtailor,
};

const text = textOrNull;

/** Map one Teamtailor delivery to the canonical event. Never throws; reports gaps as warnings. */
export function normaliseTeamtailor(raw: RawEvent): NormalisedEvent {
	const payload = payloadOf(raw.body);
	const name = raw.sourceEvent;
	const known = TEAMTAILOR_EVENT_MAP.get(name);
	if (!name)
		return {
			event: 'unknown',
			subject: { type: 'unknown', id: null },
			warnings: ['event_name_missing: the body has no "payload.event_name"'],
		};
	if (!known) {
		const generic = normaliseGeneric(name, payload ?? raw.body);
		return {
			...generic,
			warnings: [
				`unknown_event: "${name}" is not a documented Teamtailor event`,
				...(generic.warnings ?? []),
			],
		};
	}
	const kind = subjectTypeOf(known.event);
	const data = recordOrUndefined(payload?.data);
	if (!data)
		return {
			event: known.event,
			subject: { type: kind, id: null },
			warnings: ['data_missing: the body has no "payload.data" object'],
		};

	const warnings: string[] = [];
	const attrs = attributes(data);
	const id = text(data.id);
	if (id === null) warnings.push('field_missing: payload.data.id');
	const destroyed = name.endsWith('.destroy');
	const result: NormalisedEvent = {
		event: known.event,
		occurredAt: toIsoDate(
			attr(
				attrs,
				destroyed ? 'updated_at' : name.endsWith('.create') ? 'created_at' : 'updated_at',
			) ?? null,
		),
		subject: { type: kind, id },
	};

	if (kind === 'candidate') {
		result.candidate = {
			id,
			firstName: text(attr(attrs, 'first_name')),
			lastName: text(attr(attrs, 'last_name')),
			email: text(attr(attrs, 'email')),
			phone: text(attr(attrs, 'phone')),
		};
	} else if (kind === 'job') {
		result.job = { id, title: text(attr(attrs, 'title')), status: text(attr(attrs, 'status')) };
	} else if (kind === 'application') {
		result.application = { id, stage: text(attr(attrs, 'stage_name')), previousStage: null };
		const jobId = text(attr(attrs, 'job_id')) ?? firstText(data, ['relationships.job.data.id']);
		if (jobId !== null || attr(attrs, 'job_title') !== undefined)
			result.job = { id: jobId, title: text(attr(attrs, 'job_title')), status: null };
		const candidateId =
			text(attr(attrs, 'candidate_id')) ?? firstText(data, ['relationships.candidate.data.id']);
		if (candidateId !== null) result.candidate = { id: candidateId };
		// job_application.update does not say which field changed, and a later update of a rejected
		// application still carries rejected_at: calling every such update a rejection would repeat it.
		// The event stays application.updated; rejectedAt (and the earliest date the candidate may be
		// told, which Teamtailor requires integrations to respect) travel as extra fields.
		const rejectedAt = toIsoDate(attr(attrs, 'rejected_at') ?? null);
		const visibleAt = toIsoDate(attr(attrs, 'transparent_recruiting_visible_at') ?? null);
		if (rejectedAt || visibleAt)
			result.extra = { rejectedAt, transparentRecruitingVisibleAt: visibleAt };
	}
	const url = text(getPath(data, 'links.self'));
	if (url) result.subject.url = url;
	if (warnings.length) result.warnings = warnings;
	return result;
}

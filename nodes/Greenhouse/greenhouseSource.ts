import { bodyHmacAuthenticate } from '../core/signature/bodyHmac';
import { normaliseGeneric, readPerson, toIsoDate } from '../core/event/extract';
import { asText, getPath, isRecord, recordOrUndefined, textOrNull } from '../core/json/path';
import { subjectTypeOf } from '../core/event/taxonomy';
import { readHeader } from '../core/signature/headers';
import type {
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { answerGet } from '../core/pipeline/reply';
import { GREENHOUSE_ACTION_MAP } from './greenhouseEvents';
import { GREENHOUSE_SIGNATURE } from './greenhouseSignature';

/**
 * Greenhouse Recruiting web hooks (developers.greenhouse.io/webhooks.html; docs/nodes/greenhouseTrigger.md).
 * Envelope `{ action, payload }`, signed `Signature: sha256 <hex>` over the raw body, one delivery id
 * per delivery in `Greenhouse-Event-ID`. No registration API: the user pastes the URL and secret key
 * into Configure → Dev Center → Web Hooks.
 */
export const GREENHOUSE_EVENT_ID_HEADER = 'greenhouse-event-id';

/**
 * Greenhouse pings the URL when a web hook is saved and creates it disabled if the ping fails. The
 * ping body is not documented ("a payload containing some configuration settings"; community code
 * sees `action: "ping"`), so a body without an `action` is taken as a ping too: every documented
 * event carries one. Pings are answered before the signature check (a 401 would disable the web
 * hook while the user is still typing the secret) and start nothing.
 */
export function isGreenhousePing(body: unknown): boolean {
	if (!isRecord(body)) return false;
	const action = body.action;
	if (action === undefined || action === null) return true;
	return typeof action === 'string' && action.trim().toLowerCase() === 'ping';
}

export const greenhouseSource: SourceDefinition<SourceSettings> = {
	id: 'greenhouse',
	methods: ['POST', 'GET'],
	// A GET (a browser, or a URL check) gets 200 and no execution.
	handshake: answerGet('greenhouse'),
	ping: { detect: isGreenhousePing, beforeAuth: true },
	authenticate: bodyHmacAuthenticate(GREENHOUSE_SIGNATURE),
	deliveryId(request) {
		return (
			readHeader(request.headers, GREENHOUSE_EVENT_ID_HEADER).value?.trim().slice(0, 200) ||
			undefined
		);
	},
	split(body) {
		if (Array.isArray(body))
			throw new Error('a Greenhouse delivery is one JSON object, not an array');
		const action = isRecord(body) ? asText(body.action) : undefined;
		return { events: [{ sourceEvent: action ?? (isGreenhousePing(body) ? 'ping' : ''), body }] };
	},
	normalise: normaliseGreenhouse,
};

const text = textOrNull;

const record = recordOrUndefined;

/** Candidate fields from a Greenhouse person (`first_name`, `email_addresses[].value`, ...). */
function person(value: unknown): NonNullable<NormalisedEvent['candidate']> {
	return readPerson(value ?? {});
}

/** The job of an application: `jobs[0]` (current), else the deprecated `job`. */
function applicationJob(application: Record<string, unknown>): NormalisedEvent['job'] | undefined {
	const job = record(getPath(application, 'jobs.0')) ?? record(application.job);
	if (!job) return undefined;
	return { id: text(job.id), title: text(job.name), status: text(job.status) };
}

/** Map one Greenhouse delivery to the canonical event. Never throws; reports gaps as warnings. */
export function normaliseGreenhouse(raw: RawEvent): NormalisedEvent {
	const body = record(raw.body) ?? {};
	const action = raw.sourceEvent;
	const known = GREENHOUSE_ACTION_MAP.get(action);
	const payload = record(body.payload);
	const warnings: string[] = [];

	if (action === 'ping') return { event: 'test', subject: { type: 'test', id: null } };
	if (!action) {
		return {
			event: 'unknown',
			subject: { type: 'unknown', id: null },
			warnings: ['event_name_missing: the body has no "action"'],
		};
	}
	if (!known) {
		const generic = normaliseGeneric(action, body);
		return {
			...generic,
			warnings: [
				`unknown_action: "${action}" is not a documented Greenhouse action`,
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

	const missing = (path: string) => warnings.push(`field_missing: payload.${path}`);
	const result: NormalisedEvent = {
		event: known.event,
		occurredAt: null,
		subject: { type: subjectTypeOf(known.event), id: null },
	};

	switch (action) {
		case 'new_candidate_application':
		case 'new_prospect_application':
		case 'application_updated':
		case 'candidate_stage_change':
		case 'hire_candidate':
		case 'reject_candidate':
		case 'unhire_candidate':
		case 'unreject_candidate': {
			const application = record(payload.application);
			if (!application) {
				missing('application');
				break;
			}
			const candidate = record(application.candidate);
			if (!candidate) missing('application.candidate');
			result.candidate = person(candidate);
			const job = applicationJob(application);
			if (job) result.job = job;
			result.application = {
				id: text(application.id),
				stage: text(getPath(application, 'current_stage.name')),
				// Greenhouse sends the new stage only; the previous one is not in the payload.
				previousStage: null,
			};
			if (result.application.id === null) missing('application.id');
			if (action === 'candidate_stage_change' && result.application.stage === null)
				missing('application.current_stage.name');
			const onCandidate = result.subject.type === 'candidate';
			const url = text(onCandidate ? candidate?.url : application.url);
			result.subject = {
				type: result.subject.type,
				id: onCandidate ? (result.candidate.id ?? null) : result.application.id,
				...(url ? { url } : {}),
			};
			result.occurredAt = toIsoDate(
				action === 'reject_candidate'
					? application.rejected_at
					: action.startsWith('new_')
						? application.applied_at
						: action === 'hire_candidate'
							? (getPath(application, 'offer.resolved_at') ?? application.last_activity_at)
							: application.last_activity_at,
			);
			break;
		}
		case 'delete_application': {
			const application = record(payload.application);
			if (!application) {
				missing('application');
				break;
			}
			result.subject.id = text(application.id);
			result.application = { id: text(application.id), stage: null, previousStage: null };
			if (application.candidate_id !== undefined)
				result.candidate = { id: text(application.candidate_id) };
			if (application.job_id !== undefined) result.job = { id: text(application.job_id) };
			break;
		}
		case 'update_candidate': {
			const candidate = record(payload.candidate);
			if (!candidate) {
				missing('candidate');
				break;
			}
			result.candidate = person(candidate);
			const url = text(candidate.url);
			result.subject = {
				type: 'candidate',
				id: result.candidate.id ?? null,
				...(url ? { url } : {}),
			};
			break;
		}
		case 'delete_candidate':
		case 'merge_candidate': {
			// The record that was deleted or merged away; merge_candidate names the survivor in new_candidate_id.
			const gone = record(payload.person);
			if (!gone) {
				missing('person');
				break;
			}
			result.candidate = person(gone);
			result.subject.id = result.candidate.id ?? null;
			break;
		}
		case 'candidate_anonymized':
			result.subject.id = text(payload.candidate_id);
			result.candidate = { id: result.subject.id };
			break;
		case 'offer_created':
		case 'offer_approved':
		case 'offer_updated':
		case 'offer_deleted': {
			// Offer events are flat (`payload.id`), except offer_deleted (`payload.offer`).
			const offer = record(payload.offer) ?? payload;
			result.subject.id = text(offer.id);
			if (offer.application_id !== undefined)
				result.application = { id: text(offer.application_id), stage: null, previousStage: null };
			if (offer.job_id !== undefined) result.job = { id: text(offer.job_id) };
			break;
		}
		case 'interview_deleted':
			result.subject.id = text(getPath(payload, 'interview.id'));
			break;
		case 'scorecard_deleted': {
			const scorecard = record(payload.scorecard) ?? {};
			result.subject.id = text(scorecard.id);
			if (scorecard.candidate_id !== undefined)
				result.candidate = { id: text(scorecard.candidate_id) };
			result.occurredAt = toIsoDate(scorecard.updated_at);
			break;
		}
		case 'job_created':
		case 'job_updated':
		case 'job_approved':
		case 'job_deleted': {
			const job = record(payload.job);
			if (!job) {
				missing('job');
				break;
			}
			result.job = { id: text(job.id), title: text(job.name), status: text(job.status) };
			result.subject.id = result.job.id ?? null;
			if (action === 'job_created') result.occurredAt = toIsoDate(job.created_at);
			break;
		}
		case 'job_post_created':
		case 'job_post_updated':
		case 'job_post_deleted': {
			// A post without job_id is a prospect post (documented); its own id is the best subject then.
			const post = record(payload.job_post) ?? payload;
			const jobId = text(post.job_id);
			result.subject.id = jobId ?? text(post.id);
			result.job = { id: jobId, title: text(post.title), status: null };
			result.occurredAt = toIsoDate(post.updated_at);
			break;
		}
		case 'job_interview_stage_deleted': {
			const stage = record(payload.job_interview_stage) ?? {};
			result.subject.id = text(stage.job_id);
			result.job = { id: text(stage.job_id) };
			result.occurredAt = toIsoDate(stage.updated_at);
			break;
		}
		case 'department_deleted':
		case 'office_deleted': {
			const kind = action === 'department_deleted' ? 'department' : 'office';
			result.subject.id = text(getPath(payload, `${kind}.id`));
			break;
		}
	}
	if (result.subject.id === null && warnings.length === 0)
		warnings.push('subject_id_missing: no id found in the payload');
	if (warnings.length) result.warnings = warnings;
	return result;
}

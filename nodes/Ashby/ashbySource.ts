import { bodyHmacAuthenticate } from '../core/signature/bodyHmac';
import { normaliseGeneric, toIsoDate } from '../core/event/extract';
import { asText, getPath, isRecord, recordOrUndefined, textOrNull } from '../core/json/path';
import { subjectTypeOf } from '../core/event/taxonomy';
import { parseJsonBody } from '../core/pipeline/parseBody';
import type {
	InboundRequest,
	NormalisedEvent,
	RawEvent,
	Reply,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { ASHBY_TYPE_MAP } from './ashbyEvents';
import { ASHBY_SIGNATURE } from './ashbySignature';

/**
 * Ashby webhooks (developers.ashbyhq.com/docs/setting-up-webhooks, /docs/common-payload-data,
 * /docs/authenticating-webhooks; docs/nodes/ashbyTrigger.md). Envelope `{ webhookActionId, action, data }`.
 * `webhookActionId` is the same across retries and across the related webhooks one action fires
 * (candidateHire also fires applicationUpdate and candidateStageChange), so the dedup key is
 * `webhookActionId` + `action`.
 */

/**
 * Ashby sends `{"action":"ping","data":{"webhookActionType":"ping"}}` when a webhook is created or
 * edited, and creates it disabled if the answer is an error. The trigger creates its webhooks inside
 * n8n's create(), before n8n has saved the secret it generated, so the ping is answered before the
 * signature check; it starts nothing.
 */
export function isAshbyPing(body: unknown): boolean {
	if (!isRecord(body)) return false;
	return body.action === 'ping' || getPath(body, 'data.webhookActionType') === 'ping';
}

/**
 * No stored secret means create() has not finished (n8n routes the URL before it saves what create()
 * wrote) or the registration was lost (node renamed). Ashby does not retry a 401 but does retry a
 * 5xx with backoff for hours (developers.ashbyhq.com/docs/retries), so such a delivery gets 503
 * "not ready" instead of being lost. The ping is still answered normally.
 */
export function ashbyNotReady(
	request: InboundRequest,
	settings: SourceSettings,
): Reply | undefined {
	if (settings.auth.scheme !== 'vendor' || settings.auth.secrets.some((s) => s.length > 0))
		return undefined;
	const parsed = parseJsonBody(request.rawBody);
	if (parsed.ok && isAshbyPing(parsed.value)) return undefined;
	return {
		status: 503,
		headers: { 'Retry-After': '60' },
		body: {
			error: 'not_ready',
			reason: 'no_secret',
			message:
				'This trigger has no webhook secret yet; publish the workflow so it registers its Ashby webhooks. Ashby will retry.',
		},
	};
}

export const ashbySource: SourceDefinition<SourceSettings> = {
	id: 'ashby',
	methods: ['POST'],
	handshake: ashbyNotReady,
	ping: { detect: isAshbyPing, beforeAuth: true },
	authenticate: bodyHmacAuthenticate(ASHBY_SIGNATURE),
	deliveryId(_request, body) {
		return isRecord(body) ? asText(body.webhookActionId)?.slice(0, 200) : undefined;
	},
	split(body) {
		if (!isRecord(body)) throw new Error('an Ashby delivery is one JSON object');
		const action = asText(body.action) ?? '';
		const actionId = asText(body.webhookActionId);
		return {
			events: [
				{ sourceEvent: action, body, eventId: actionId ? `${actionId}:${action}` : undefined },
			],
		};
	},
	normalise: normaliseAshby,
};

const text = textOrNull;
const record = recordOrUndefined;

/**
 * Ashby sends one `name`; the canonical event has first and last name. Split at the first space
 * (the full name stays in the payload); a single word is a first name.
 */
export function splitName(name: unknown): { firstName: string | null; lastName: string | null } {
	const full = typeof name === 'string' ? name.trim() : '';
	if (!full) return { firstName: null, lastName: null };
	const space = full.search(/\s/);
	if (space < 0) return { firstName: full, lastName: null };
	return { firstName: full.slice(0, space), lastName: full.slice(space).trim() || null };
}

function candidateOf(value: unknown): NonNullable<NormalisedEvent['candidate']> {
	const candidate = record(value) ?? {};
	return {
		id: text(candidate.id),
		...splitName(candidate.name),
		email: text(getPath(candidate, 'primaryEmailAddress.value')),
		phone: text(getPath(candidate, 'primaryPhoneNumber.value')),
	};
}

/** Map one Ashby delivery to the canonical event. Never throws; reports gaps as warnings. */
export function normaliseAshby(raw: RawEvent): NormalisedEvent {
	const body = record(raw.body) ?? {};
	const action = raw.sourceEvent;
	const known = ASHBY_TYPE_MAP.get(action);
	const data = record(body.data);
	const warnings: string[] = [];

	if (action === 'ping') return { event: 'test', subject: { type: 'test', id: null } };
	if (!action)
		return {
			event: 'unknown',
			subject: { type: 'unknown', id: null },
			warnings: ['event_name_missing: the body has no "action"'],
		};
	if (!known) {
		const generic = normaliseGeneric(action, body);
		return {
			...generic,
			warnings: [
				`unknown_action: "${action}" is not a documented Ashby webhook type`,
				...(generic.warnings ?? []),
			],
		};
	}
	const kind = subjectTypeOf(known.event);
	if (!data)
		return {
			event: known.event,
			subject: { type: kind, id: null },
			warnings: ['data_missing: the body has no "data" object'],
		};

	const missing = (path: string) => warnings.push(`field_missing: data.${path}`);
	const result: NormalisedEvent = {
		event: known.event,
		occurredAt: null,
		subject: { type: kind, id: null },
	};

	switch (action) {
		case 'applicationSubmit':
		case 'applicationUpdate':
		case 'candidateStageChange':
		case 'candidateHire':
		case 'pushToHRIS': {
			const application = record(data.application);
			if (!application) {
				missing('application');
				break;
			}
			if (!record(application.candidate)) missing('application.candidate');
			result.candidate = candidateOf(application.candidate);
			const job = record(application.job);
			if (job) result.job = { id: text(job.id), title: text(job.title), status: null };
			result.application = {
				id: text(application.id),
				stage: text(getPath(application, 'currentInterviewStage.title')),
				// Ashby sends the current stage only; the previous one is not in the payload.
				previousStage: null,
			};
			if (result.application.id === null) missing('application.id');
			if (action === 'candidateStageChange' && result.application.stage === null)
				missing('application.currentInterviewStage.title');
			result.subject.id =
				kind === 'candidate' ? (result.candidate.id ?? null) : result.application.id;
			result.occurredAt = toIsoDate(
				action === 'applicationSubmit'
					? (application.createdAt ?? application.updatedAt)
					: (application.updatedAt ?? application.createdAt),
			);
			break;
		}
		case 'candidateDelete':
			result.subject.id = text(getPath(data, 'candidate.id'));
			result.candidate = { id: result.subject.id };
			break;
		case 'candidateMerge':
			// The candidate merged away; the survivor is data.mergedCandidate.id (kept in the payload).
			result.subject.id = text(getPath(data, 'deletedCandidate.id'));
			result.candidate = { id: result.subject.id };
			break;
		case 'interviewScheduleCreate':
		case 'interviewScheduleUpdate': {
			const schedule = record(data.interviewSchedule);
			if (!schedule) {
				missing('interviewSchedule');
				break;
			}
			result.subject.id = text(schedule.id);
			if (schedule.applicationId !== undefined)
				result.application = { id: text(schedule.applicationId), stage: null, previousStage: null };
			if (schedule.candidateId !== undefined) result.candidate = { id: text(schedule.candidateId) };
			result.occurredAt = toIsoDate(schedule.updatedAt ?? schedule.createdAt);
			break;
		}
		case 'jobCreate':
		case 'jobUpdate': {
			const job = record(data.job);
			if (!job) {
				missing('job');
				break;
			}
			result.job = { id: text(job.id), title: text(job.title), status: text(job.status) };
			result.subject.id = result.job.id ?? null;
			result.occurredAt = toIsoDate(job.updatedAt);
			break;
		}
		case 'jobPostingUpdate':
		case 'jobPostingPublish':
		case 'jobPostingUnpublish': {
			const posting = record(data.jobPosting);
			if (!posting) {
				missing('jobPosting');
				break;
			}
			result.job = { id: text(posting.jobId), title: text(posting.title), status: null };
			result.subject.id = result.job.id ?? text(posting.id);
			const url = text(posting.externalLink);
			if (url) result.subject.url = url;
			result.occurredAt = toIsoDate(posting.updatedAt);
			break;
		}
		case 'interviewPlanTransition':
			result.subject.id = text(data.jobId);
			result.job = { id: result.subject.id };
			break;
		case 'openingCreate': {
			const jobId = text(getPath(data, 'opening.latestVersion.jobIds.0'));
			result.subject.id = jobId;
			result.job = { id: jobId };
			break;
		}
		case 'offerCreate':
		case 'offerUpdate':
		case 'offerDelete': {
			const offer = record(data.offer);
			if (!offer) {
				missing('offer');
				break;
			}
			result.subject.id = text(offer.id);
			if (offer.applicationId !== undefined)
				result.application = { id: text(offer.applicationId), stage: null, previousStage: null };
			break;
		}
		case 'signatureRequestUpdate': {
			// An e-signature request on an offer (offerId) or an application (applicationId).
			if (data.relatedEntityType === 'application') {
				result.event = 'application.updated';
				result.subject = { type: 'application', id: text(data.applicationId) };
			} else {
				result.subject.id = text(data.offerId);
			}
			break;
		}
		case 'surveySubmit': {
			const submission = record(data.surveySubmission) ?? {};
			result.subject.id = text(submission.id);
			if (submission.candidateId !== undefined)
				result.candidate = { id: text(submission.candidateId) };
			if (submission.applicationId !== undefined)
				result.application = {
					id: text(submission.applicationId),
					stage: null,
					previousStage: null,
				};
			result.occurredAt = toIsoDate(submission.submittedAt);
			break;
		}
	}
	if (result.subject.id === null && warnings.length === 0)
		warnings.push('subject_id_missing: no id found in the payload');
	if (warnings.length) result.warnings = warnings;
	return result;
}

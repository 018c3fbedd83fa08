import { toIsoDate } from '../core/event/extract';
import { subjectTypeOf } from '../core/event/taxonomy';
import { firstText, isRecord } from '../core/json/path';
import { readHeader } from '../core/signature/headers';
import type {
	AuthResult,
	InboundRequest,
	NormalisedEvent,
	RawEvent,
	Reply,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { mapSmartRecruitersEvent } from './smartRecruitersEvents';
import { TIMESTAMP_HEADER, verifySmartRecruiters } from './smartRecruitersSignature';

/**
 * SmartRecruiters as a source (docs/nodes/smartRecruitersTrigger.md, developers.smartrecruiters.com "Receiving webhook
 * notifications" and "Activating webhook subscriptions"):
 * - activation handshake: a POST with `X-Hook-Secret` is answered 200 with the same header, before
 *   anything else (it carries no signature);
 * - callbacks: thin body (`{"id": …}` or `{"job_id": …, "candidate_id": …}`), the event in headers
 *   `event-name` / `event-version` / `event-id` / `link`, signed in `smartrecruiters-signature`;
 * - `event-id` is the dedup key; accepted callbacks get 202 (SmartRecruiters counts only 202 as delivered).
 */
export const HOOK_SECRET_HEADER = 'x-hook-secret';
/** Visible ASCII only: the value goes back into a response header. */
const HOOK_SECRET_FORMAT = /^[\x21-\x7e]{1,1024}$/;

export function handshakeReply(request: InboundRequest): Reply | undefined {
	const header = readHeader(request.headers, HOOK_SECRET_HEADER);
	if (!header.multiple && header.value === undefined) return undefined;
	const value = header.value?.trim() ?? '';
	if (header.multiple || !HOOK_SECRET_FORMAT.test(value)) {
		return {
			status: 400,
			body: {
				error: 'bad_request',
				reason: 'bad_hook_secret',
				message: 'X-Hook-Secret must be one value of visible ASCII characters.',
			},
		};
	}
	return {
		status: 200,
		body: { status: 'ok', reason: 'handshake' },
		headers: { 'X-Hook-Secret': value },
	};
}

/** `<https://api…/jobs/1>; rel=self` -> the URL. */
export function linkUrl(link: string | undefined): string | undefined {
	if (!link) return undefined;
	const angle = /<([^>]+)>/.exec(link);
	if (angle) return angle[1].trim() || undefined;
	const bare = link.split(';')[0].trim();
	return /^https?:\/\//i.test(bare) ? bare : undefined;
}

const header = (request: InboundRequest, name: string) => {
	const h = readHeader(request.headers, name);
	return h.multiple ? undefined : h.value?.trim() || undefined;
};

export const smartRecruitersSource: SourceDefinition<SourceSettings> = {
	id: 'smartrecruiters',
	methods: ['POST'],
	acceptedStatus: 202,
	// SmartRecruiters counts only 202 as delivered and retries anything else ("Receiving webhook notifications").
	ackStatus: 202,
	handshake: (request) => handshakeReply(request),
	authenticate(request: InboundRequest, settings: SourceSettings): AuthResult {
		if (settings.auth.scheme !== 'vendor') {
			return {
				ok: false,
				reason: 'no_vendor_scheme',
				message: 'SmartRecruiters callbacks are checked with their secret keys.',
			};
		}
		const result = verifySmartRecruiters(request.headers, request.rawBody ?? Buffer.alloc(0), {
			secrets: settings.auth.secrets,
			toleranceSeconds: settings.auth.toleranceSeconds,
			nowSeconds: Math.floor(request.now / 1000),
		});
		return result.ok ? { ok: true, scheme: 'vendor', verified: true } : result;
	},
	deliveryId: (request) => header(request, 'event-id'),
	split(body, request) {
		if (!isRecord(body)) throw new Error('a SmartRecruiters callback body is a JSON object');
		return {
			events: [
				{
					sourceEvent: header(request, 'event-name') ?? '',
					body,
					eventId: header(request, 'event-id'),
				},
			],
		};
	},
	normalise: normaliseSmartRecruiters,
};

/** First path that holds text (an object at an earlier path does not hide a later one). */
const text = firstText;

export function normaliseSmartRecruiters(raw: RawEvent, request: InboundRequest): NormalisedEvent {
	const body = raw.body;
	const warnings: string[] = [];
	const { event, known } = mapSmartRecruitersEvent(raw.sourceEvent);
	if (!raw.sourceEvent) warnings.push('event_name_missing: the event-name header is missing');
	else if (!known)
		warnings.push(
			`event_unknown: "${raw.sourceEvent}" is not in this trigger's SmartRecruiters event list${event === 'unknown' ? '; see sourceEvent' : ''}`,
		);
	const version = header(request, 'event-version');
	const type = subjectTypeOf(event);

	const candidateId = text(body, ['candidate_id', 'candidateId', 'candidate.id']);
	const jobId = text(body, ['job_id', 'jobId', 'job.id']);
	const ownId = text(body, ['id', `${type}_id`, `${type}Id`]);
	let subjectId: string | null;
	switch (type) {
		case 'candidate':
			subjectId = candidateId ?? ownId;
			break;
		case 'job':
			subjectId = jobId ?? ownId;
			break;
		case 'application':
			// An application is a candidate on a job; SmartRecruiters names it by the pair.
			subjectId =
				text(body, ['application_id', 'applicationId']) ??
				ownId ??
				(candidateId && jobId ? `${jobId}:${candidateId}` : null);
			break;
		default:
			subjectId = ownId;
	}
	if (subjectId === null) warnings.push(`subject_id_missing: no ${type} id found in the body`);

	const url = linkUrl(header(request, 'link'));
	const result: NormalisedEvent = {
		event,
		occurredAt: toIsoDate(header(request, TIMESTAMP_HEADER)),
		subject: { type, id: subjectId, ...(url ? { url } : {}) },
		warnings: version
			? warnings
			: [...warnings, 'event_version_missing: the event-version header is missing'],
	};
	const personId = candidateId ?? (type === 'candidate' ? subjectId : null);
	if (personId !== null)
		result.candidate = { id: personId, firstName: null, lastName: null, email: null, phone: null };
	const job = jobId ?? (type === 'job' ? subjectId : null);
	if (job !== null) result.job = { id: job, title: null, status: null };
	if (type === 'application') {
		result.application = {
			id: subjectId,
			// Where a payload carries the status change, it is used; the documented body carries ids only.
			stage: text(body, ['status', 'newStatus', 'new_status', 'status.new', 'to']),
			previousStage: text(body, [
				'previousStatus',
				'oldStatus',
				'old_status',
				'status.old',
				'from',
			]),
		};
	}
	return result;
}

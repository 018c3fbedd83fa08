/** The one event taxonomy every source maps onto (CONTRIBUTING.md, "Canonical event"). */
export const CANONICAL_EVENTS = [
	'candidate.created',
	'candidate.updated',
	'candidate.deleted',
	'candidate.merged',
	'candidate.hired',
	'candidate.rejected',
	'candidate.anonymized',
	'candidate.exported',
	'application.created',
	'application.updated',
	'application.stage_changed',
	'application.rejected',
	'application.hired',
	'application.deleted',
	'job.created',
	'job.updated',
	'job.opened',
	'job.closed',
	'job.archived',
	'job.deleted',
	'job.published',
	'job.unpublished',
	'offer.created',
	'offer.updated',
	'offer.approved',
	'offer.deleted',
	'interview.scheduled',
	'interview.updated',
	'interview.deleted',
	'scorecard.submitted',
	'scorecard.deleted',
	'rating.created',
	'rating.updated',
	'note.created',
	'note.updated',
	'video.created',
	'video.updated',
	'project.created',
	'project.updated',
	'test',
] as const;

export type CanonicalEventName = (typeof CANONICAL_EVENTS)[number];

/** Used when a sender's event name cannot be mapped; the original name stays in `sourceEvent`. */
export const UNKNOWN_EVENT = 'unknown' as const;

export const SUBJECT_TYPES = [
	'candidate',
	'application',
	'job',
	'offer',
	'interview',
	'scorecard',
	'rating',
	'note',
	'video',
	'project',
	'test',
	'unknown',
] as const;

export type SubjectType = (typeof SUBJECT_TYPES)[number];

const canonicalSet: ReadonlySet<string> = new Set(CANONICAL_EVENTS);

export function isCanonicalEvent(name: string): name is CanonicalEventName {
	return canonicalSet.has(name);
}

/** `application.stage_changed` -> `application`; `test` -> `test`; anything else -> `unknown`. */
export function subjectTypeOf(event: string): SubjectType {
	const kind = event.split('.')[0];
	return (SUBJECT_TYPES as readonly string[]).includes(kind) ? (kind as SubjectType) : 'unknown';
}

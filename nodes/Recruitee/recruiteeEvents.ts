import type { CanonicalEventName } from '../core/event/taxonomy';

/**
 * Recruitee webhook events (docs.recruitee.com/docs/webhooks; the event list is in Recruitee's
 * webhook dialog). `event_type` plus, for `candidate_moved`, an `event_subtype`. The job ("offer")
 * events' exact names are UNCONFIRMED: any other name is accepted and mapped by name with a warning.
 */
export interface RecruiteeEvent {
	/** `event_type`, or `event_type:event_subtype` for a subtype with its own canonical event. */
	value: string;
	name: string;
	event: CanonicalEventName;
}

export const RECRUITEE_EVENTS: RecruiteeEvent[] = [
	{ value: 'candidate_created', name: 'Candidate Created', event: 'candidate.created' },
	// A candidate added to a job (offer) or talent pool: the start of an application.
	{ value: 'candidate_assigned', name: 'Candidate Assigned', event: 'application.created' },
	{
		value: 'candidate_moved',
		name: 'Candidate Moved (Stage Changed, Disqualified, Requalified)',
		event: 'application.stage_changed',
	},
	{ value: 'candidate_deleted', name: 'Candidate Deleted', event: 'candidate.deleted' },
];

/** What each `candidate_moved` subtype means canonically. */
export const RECRUITEE_MOVED_SUBTYPES: Record<string, CanonicalEventName> = {
	stage_changed: 'application.stage_changed',
	disqualified: 'application.rejected',
	requalified: 'application.updated',
};

export const RECRUITEE_EVENT_MAP: ReadonlyMap<string, RecruiteeEvent> = new Map(
	RECRUITEE_EVENTS.map((e) => [e.value, e]),
);

import type { CanonicalEventName } from '../core/event/taxonomy';

/**
 * Workable subscription events (workable.readme.io/reference/webhook-subscriptions-candidates-employees;
 * candidate_deleted from the newer webhook-subscriptions page; docs/nodes/workableTrigger.md). Candidate events
 * can be narrowed to one job and one stage; employee events take no filter. `candidate_moved` also
 * carries hires and disqualifications, so its canonical name depends on the payload (see the source).
 */
export interface WorkableEvent {
	event: string;
	name: string;
	canonical: CanonicalEventName | 'unknown';
	candidate: boolean;
}

export const WORKABLE_EVENTS: WorkableEvent[] = [
	{
		event: 'candidate_created',
		name: 'Candidate Created',
		canonical: 'candidate.created',
		candidate: true,
	},
	{
		event: 'candidate_moved',
		name: 'Candidate Moved',
		canonical: 'application.stage_changed',
		candidate: true,
	},
	{
		event: 'candidate_deleted',
		name: 'Candidate Deleted',
		canonical: 'candidate.deleted',
		candidate: true,
	},
	{ event: 'employee_created', name: 'Employee Created', canonical: 'unknown', candidate: false },
	{ event: 'employee_updated', name: 'Employee Updated', canonical: 'unknown', candidate: false },
	{
		event: 'employee_published',
		name: 'Employee Published',
		canonical: 'unknown',
		candidate: false,
	},
	{
		event: 'onboarding_completed',
		name: 'Onboarding Completed',
		canonical: 'unknown',
		candidate: false,
	},
	{ event: 'timeoff_updated', name: 'Time Off Updated', canonical: 'unknown', candidate: false },
];

export const WORKABLE_EVENT_MAP: ReadonlyMap<string, WorkableEvent> = new Map(
	WORKABLE_EVENTS.map((e) => [e.event, e]),
);

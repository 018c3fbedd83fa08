import type { CanonicalEventName } from '../core/event/taxonomy';

/**
 * The Company Webhook events Teamtailor documents (partner.teamtailor.com/company_webhooks, "Event
 * Types"; tt-partner-docs source/includes/company_webhooks/_event_types.md.erb), `resource.action`.
 * Teamtailor sends exactly the events picked in its webhook dialog, so the user picks the same here.
 * Custom-field update events exist as separate subscriptions; their names are UNCONFIRMED, so any
 * other name is accepted, mapped by the generic mapper, and carries a warning.
 */
export interface TeamtailorEvent {
	value: string;
	name: string;
	event: CanonicalEventName;
}

export const TEAMTAILOR_EVENTS: TeamtailorEvent[] = [
	{ value: 'candidate.create', name: 'Candidate Created', event: 'candidate.created' },
	{ value: 'candidate.update', name: 'Candidate Updated', event: 'candidate.updated' },
	{ value: 'candidate.destroy', name: 'Candidate Deleted', event: 'candidate.deleted' },
	{ value: 'job.create', name: 'Job Created', event: 'job.created' },
	{ value: 'job.update', name: 'Job Updated', event: 'job.updated' },
	{ value: 'job.destroy', name: 'Job Deleted', event: 'job.deleted' },
	{
		value: 'job_application.create',
		name: 'Job Application Created',
		event: 'application.created',
	},
	// Fires on stage_id, rejected_at, cover_letter, job_title or promotion_id changes; which one is not sent.
	{
		value: 'job_application.update',
		name: 'Job Application Updated',
		event: 'application.updated',
	},
	{
		value: 'job_application.destroy',
		name: 'Job Application Deleted',
		event: 'application.deleted',
	},
];

export const TEAMTAILOR_EVENT_MAP: ReadonlyMap<string, TeamtailorEvent> = new Map(
	TEAMTAILOR_EVENTS.map((e) => [e.value, e]),
);

import type { CanonicalEventName } from '../core/event/taxonomy';

/**
 * Every `action` documented in Greenhouse's web hook reference (grnhse/greenhouse-api-docs,
 * source/includes/webhooks/*.md), with the canonical event it maps to. Greenhouse configures one
 * web hook per action ("When"), so the user picks the same names here for filtering.
 */
export interface GreenhouseAction {
	action: string;
	name: string;
	event: CanonicalEventName | 'unknown';
}

export const GREENHOUSE_ACTIONS: GreenhouseAction[] = [
	// Application events
	{
		action: 'new_candidate_application',
		name: 'Application Created',
		event: 'application.created',
	},
	{ action: 'new_prospect_application', name: 'Prospect Created', event: 'application.created' },
	{ action: 'application_updated', name: 'Application Updated', event: 'application.updated' },
	{ action: 'delete_application', name: 'Application Deleted', event: 'application.deleted' },
	{ action: 'offer_created', name: 'Offer Created', event: 'offer.created' },
	{ action: 'offer_approved', name: 'Offer Approved', event: 'offer.approved' },
	{ action: 'offer_updated', name: 'Offer Updated', event: 'offer.updated' },
	{ action: 'offer_deleted', name: 'Offer Deleted', event: 'offer.deleted' },
	// Candidate events
	{
		action: 'candidate_stage_change',
		name: 'Candidate Stage Change',
		event: 'application.stage_changed',
	},
	{ action: 'hire_candidate', name: 'Candidate Hired', event: 'candidate.hired' },
	{ action: 'unhire_candidate', name: 'Candidate Unhired', event: 'application.updated' },
	{ action: 'reject_candidate', name: 'Candidate/Prospect Rejected', event: 'candidate.rejected' },
	{
		action: 'unreject_candidate',
		name: 'Candidate/Prospect Unrejected',
		event: 'application.updated',
	},
	{ action: 'update_candidate', name: 'Candidate/Prospect Updated', event: 'candidate.updated' },
	{ action: 'delete_candidate', name: 'Candidate Deleted', event: 'candidate.deleted' },
	{ action: 'merge_candidate', name: 'Candidate Merged', event: 'candidate.merged' },
	{ action: 'candidate_anonymized', name: 'Candidate Anonymized', event: 'candidate.anonymized' },
	// Interview events
	{ action: 'interview_deleted', name: 'Interview Deleted', event: 'interview.deleted' },
	{ action: 'scorecard_deleted', name: 'Scorecard Deleted', event: 'scorecard.deleted' },
	// Job events
	{ action: 'job_created', name: 'Job Created', event: 'job.created' },
	{ action: 'job_updated', name: 'Job Updated', event: 'job.updated' },
	{ action: 'job_approved', name: 'Job Approved', event: 'job.updated' },
	{ action: 'job_deleted', name: 'Job Deleted', event: 'job.deleted' },
	{ action: 'job_post_created', name: 'Job Post Created', event: 'job.updated' },
	{ action: 'job_post_updated', name: 'Job Post Updated', event: 'job.updated' },
	{ action: 'job_post_deleted', name: 'Job Post Deleted', event: 'job.updated' },
	{ action: 'job_interview_stage_deleted', name: 'Job Stage Deleted', event: 'job.updated' },
	// Organization events (no canonical kind for departments and offices)
	{ action: 'department_deleted', name: 'Department Deleted', event: 'unknown' },
	{ action: 'office_deleted', name: 'Office Deleted', event: 'unknown' },
];

export const GREENHOUSE_ACTION_MAP: ReadonlyMap<string, GreenhouseAction> = new Map(
	GREENHOUSE_ACTIONS.map((a) => [a.action, a]),
);

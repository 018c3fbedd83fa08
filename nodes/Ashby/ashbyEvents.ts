import type { CanonicalEventName } from '../core/event/taxonomy';

/**
 * Ashby webhook types (developers.ashbyhq.com/reference/webhookcreate, `webhookType` enum; payloads in
 * the webhook-payloads reference). One Ashby webhook carries one type, so the trigger creates one per
 * selected type. `subscribable` = accepted by webhook.create; the others can only be set up in
 * Ashby's UI but are still mapped when they arrive.
 */
export interface AshbyWebhookType {
	type: string;
	name: string;
	event: CanonicalEventName | 'unknown';
	subscribable: boolean;
}

export const ASHBY_WEBHOOK_TYPES: AshbyWebhookType[] = [
	{
		type: 'applicationSubmit',
		name: 'Application Submitted',
		event: 'application.created',
		subscribable: true,
	},
	{
		type: 'applicationUpdate',
		name: 'Application Updated',
		event: 'application.updated',
		subscribable: true,
	},
	{ type: 'candidateHire', name: 'Candidate Hired', event: 'candidate.hired', subscribable: true },
	{
		type: 'candidateStageChange',
		name: 'Candidate Stage Change',
		event: 'application.stage_changed',
		subscribable: true,
	},
	{
		type: 'candidateDelete',
		name: 'Candidate Deleted',
		event: 'candidate.deleted',
		subscribable: true,
	},
	{
		type: 'candidateMerge',
		name: 'Candidate Merged',
		event: 'candidate.merged',
		subscribable: true,
	},
	{
		type: 'interviewPlanTransition',
		name: 'Interview Plan Transition',
		event: 'job.updated',
		subscribable: true,
	},
	{
		type: 'interviewScheduleCreate',
		name: 'Interview Schedule Created',
		event: 'interview.scheduled',
		subscribable: true,
	},
	{
		type: 'interviewScheduleUpdate',
		name: 'Interview Schedule Updated',
		event: 'interview.updated',
		subscribable: true,
	},
	{
		type: 'jobPostingUpdate',
		name: 'Job Posting Updated',
		event: 'job.updated',
		subscribable: true,
	},
	{
		type: 'jobPostingPublish',
		name: 'Job Posting Published',
		event: 'job.published',
		subscribable: true,
	},
	{
		type: 'jobPostingUnpublish',
		name: 'Job Posting Unpublished',
		event: 'job.unpublished',
		subscribable: true,
	},
	{ type: 'offerCreate', name: 'Offer Created', event: 'offer.created', subscribable: true },
	{ type: 'offerUpdate', name: 'Offer Updated', event: 'offer.updated', subscribable: true },
	{ type: 'offerDelete', name: 'Offer Deleted', event: 'offer.deleted', subscribable: true },
	{ type: 'pushToHRIS', name: 'Pushed to HRIS', event: 'candidate.exported', subscribable: true },
	{ type: 'surveySubmit', name: 'Survey Submitted', event: 'unknown', subscribable: true },
	{ type: 'jobCreate', name: 'Job Created', event: 'job.created', subscribable: false },
	{ type: 'jobUpdate', name: 'Job Updated', event: 'job.updated', subscribable: false },
	{ type: 'openingCreate', name: 'Opening Created', event: 'job.updated', subscribable: false },
	{
		type: 'signatureRequestUpdate',
		name: 'Signature Request Updated',
		event: 'offer.updated',
		subscribable: false,
	},
];

export const ASHBY_TYPE_MAP: ReadonlyMap<string, AshbyWebhookType> = new Map(
	ASHBY_WEBHOOK_TYPES.map((t) => [t.type, t]),
);
export const ASHBY_SUBSCRIBABLE = ASHBY_WEBHOOK_TYPES.filter((t) => t.subscribable);

import { mapEventName } from '../core/event/mapEventName';
import type { CanonicalEventName, UNKNOWN_EVENT } from '../core/event/taxonomy';

/**
 * SmartRecruiters callback events. The names come from Knit's SmartRecruiters event list
 * (developers.getknit.dev/docs/smartrecruiters-ats-real-time-events, docs/nodes/smartRecruitersTrigger.md) and are
 * UNCONFIRMED against SmartRecruiters' own "Callbacks" list; the node therefore also takes extra
 * names as free text, and unknown names are still mapped by their first word.
 */
export interface SmartRecruitersEventInfo {
	value: string;
	name: string;
	canonical: CanonicalEventName;
}

export const SMARTRECRUITERS_EVENTS: readonly SmartRecruitersEventInfo[] = [
	{
		value: 'application.attachment.created',
		name: 'Application Attachment Created',
		canonical: 'application.updated',
	},
	{ value: 'application.created', name: 'Application Created', canonical: 'application.created' },
	{
		value: 'application.fields.updated',
		name: 'Application Fields Updated',
		canonical: 'application.updated',
	},
	{
		value: 'application.onboarding-status.updated',
		name: 'Application Onboarding Status Updated',
		canonical: 'application.updated',
	},
	{
		value: 'application.screening-answers.created',
		name: 'Application Screening Answers Created',
		canonical: 'application.updated',
	},
	{
		value: 'application.screening-answers.updated',
		name: 'Application Screening Answers Updated',
		canonical: 'application.updated',
	},
	{
		value: 'application.source.updated',
		name: 'Application Source Updated',
		canonical: 'application.updated',
	},
	{
		value: 'application.status.updated',
		name: 'Application Status Updated',
		canonical: 'application.stage_changed',
	},
	{ value: 'candidate.created', name: 'Candidate Created', canonical: 'candidate.created' },
	{ value: 'candidate.deleted', name: 'Candidate Deleted', canonical: 'candidate.deleted' },
	{ value: 'candidate.updated', name: 'Candidate Updated', canonical: 'candidate.updated' },
	{ value: 'interview.canceled', name: 'Interview Canceled', canonical: 'interview.deleted' },
	{ value: 'interview.created', name: 'Interview Created', canonical: 'interview.scheduled' },
	{ value: 'interview.updated', name: 'Interview Updated', canonical: 'interview.updated' },
	{ value: 'job.ad.created', name: 'Job Ad Created', canonical: 'job.updated' },
	{ value: 'job.ad.postings.updated', name: 'Job Ad Postings Updated', canonical: 'job.updated' },
	{ value: 'job.ad.updated', name: 'Job Ad Updated', canonical: 'job.updated' },
	{ value: 'job.created', name: 'Job Created', canonical: 'job.created' },
	{ value: 'job.hiring-team.updated', name: 'Job Hiring Team Updated', canonical: 'job.updated' },
	{ value: 'job.status.updated', name: 'Job Status Updated', canonical: 'job.updated' },
	{ value: 'job.updated', name: 'Job Updated', canonical: 'job.updated' },
	{ value: 'offer.created', name: 'Offer Created', canonical: 'offer.created' },
	{ value: 'offer.updated', name: 'Offer Updated', canonical: 'offer.updated' },
	{ value: 'position.created', name: 'Position Created', canonical: 'job.updated' },
	{ value: 'position.deleted', name: 'Position Deleted', canonical: 'job.updated' },
	{ value: 'position.updated', name: 'Position Updated', canonical: 'job.updated' },
];

const byName = new Map(SMARTRECRUITERS_EVENTS.map((e) => [e.value, e]));

export function smartRecruitersEvent(name: string): SmartRecruitersEventInfo | undefined {
	return byName.get(name);
}

/** Fallback by the first word for names not in the list (`job.approval.created` -> job.updated). */
const KIND_FALLBACK: Record<string, CanonicalEventName> = {
	job: 'job.updated',
	position: 'job.updated',
	application: 'application.updated',
	candidate: 'candidate.updated',
	offer: 'offer.updated',
	interview: 'interview.updated',
};

export function mapSmartRecruitersEvent(name: string): {
	event: CanonicalEventName | typeof UNKNOWN_EVENT;
	known: boolean;
} {
	const known = smartRecruitersEvent(name);
	if (known) return { event: known.canonical, known: true };
	const parts = name.split('.');
	// `<kind>.<action>` maps by its words; longer names describe a part of the resource
	// (`job.approval.created` is not a new job), so they are an update of their kind.
	const mapped = parts.length === 2 ? mapEventName(name) : 'unknown';
	if (mapped !== 'unknown') return { event: mapped, known: false };
	if (parts.length > 2 && parts[0] === 'offer' && parts[parts.length - 1] === 'approved')
		return { event: 'offer.approved', known: false };
	return { event: KIND_FALLBACK[parts[0]] ?? 'unknown', known: false };
}

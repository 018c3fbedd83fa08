import type { CanonicalEventName } from '../core/event/taxonomy';

/**
 * Lever webhook events (docs/nodes/leverTrigger.md, Lever developer documentation "Webhooks"): the exact
 * names, where they land in the canonical taxonomy, and whether Lever accepts
 * `configuration.conditions.origins` for them when a webhook is created through the API.
 */
export interface LeverEventInfo {
	value: string;
	name: string;
	canonical: CanonicalEventName;
	description: string;
	origins: boolean;
}

export const LEVER_EVENTS: readonly LeverEventInfo[] = [
	{
		value: 'applicationCreated',
		name: 'Application Created',
		canonical: 'application.created',
		origins: true,
		description: 'A candidate applied or was added to a posting',
	},
	{
		value: 'candidateArchiveChange',
		name: 'Candidate Archive Change',
		canonical: 'application.updated',
		origins: true,
		description:
			'An opportunity was archived or unarchived (the archive reason ID is in the payload)',
	},
	{
		value: 'candidateDeleted',
		name: 'Candidate Deleted',
		canonical: 'candidate.deleted',
		origins: false,
		description: 'A candidate was deleted',
	},
	{
		value: 'candidateHired',
		name: 'Candidate Hired',
		canonical: 'candidate.hired',
		origins: true,
		description: 'A candidate was hired',
	},
	{
		value: 'candidateStageChange',
		name: 'Candidate Stage Change',
		canonical: 'application.stage_changed',
		origins: true,
		description: 'An opportunity moved to another pipeline stage',
	},
	{
		value: 'contactCreated',
		name: 'Contact Created',
		canonical: 'candidate.created',
		origins: false,
		description: 'A contact (the person behind opportunities) was created',
	},
	{
		value: 'contactUpdated',
		name: 'Contact Updated',
		canonical: 'candidate.updated',
		origins: false,
		description: 'A contact was updated',
	},
	{
		value: 'interviewCreated',
		name: 'Interview Created (Beta)',
		canonical: 'interview.scheduled',
		origins: false,
		description: 'An interview was scheduled',
	},
	{
		value: 'interviewDeleted',
		name: 'Interview Deleted (Beta)',
		canonical: 'interview.deleted',
		origins: false,
		description: 'An interview was deleted',
	},
	{
		value: 'interviewUpdated',
		name: 'Interview Updated (Beta)',
		canonical: 'interview.updated',
		origins: false,
		description: 'An interview was changed',
	},
];

const byName = new Map(LEVER_EVENTS.map((e) => [e.value, e]));

export function leverEvent(name: string): LeverEventInfo | undefined {
	return byName.get(name);
}

/** Origins Lever documents for `configuration.conditions.origins`. */
export const LEVER_ORIGINS = [
	'agency',
	'applied',
	'internal',
	'referred',
	'sourced',
	'university',
] as const;

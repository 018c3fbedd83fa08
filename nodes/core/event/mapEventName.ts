import { isCanonicalEvent, type CanonicalEventName, UNKNOWN_EVENT } from './taxonomy';

/**
 * Best-effort mapping of a sender's event name onto the taxonomy, for senders we do not know
 * (the generic trigger) and as a fallback for known vendors. `candidate_created`, `candidateCreated`,
 * `Candidate.Created`, `application.stage.changed`, `job-published` all map; anything else is `unknown`.
 */
const KIND_SYNONYMS: Record<string, string> = {
	candidate: 'candidate',
	candidates: 'candidate',
	applicant: 'candidate',
	prospect: 'candidate',
	person: 'candidate',
	talent: 'candidate',
	application: 'application',
	applications: 'application',
	job: 'job',
	jobs: 'job',
	position: 'job',
	vacancy: 'job',
	requisition: 'job',
	opening: 'job',
	posting: 'job',
	req: 'job',
	offer: 'offer',
	offers: 'offer',
	interview: 'interview',
	interviews: 'interview',
	meeting: 'interview',
	scorecard: 'scorecard',
	scorecards: 'scorecard',
	feedback: 'scorecard',
	evaluation: 'scorecard',
	rating: 'rating',
	ratings: 'rating',
	note: 'note',
	notes: 'note',
	comment: 'note',
	video: 'video',
	answervideo: 'video',
	project: 'project',
	projects: 'project',
};

const ACTION_SYNONYMS: Record<string, string> = {
	created: 'created',
	create: 'created',
	creation: 'created',
	new: 'created',
	added: 'created',
	add: 'created',
	submitted: 'submitted',
	submit: 'submitted',
	updated: 'updated',
	update: 'updated',
	modified: 'updated',
	modify: 'updated',
	changed: 'updated',
	change: 'updated',
	edited: 'updated',
	edit: 'updated',
	deleted: 'deleted',
	delete: 'deleted',
	removed: 'deleted',
	remove: 'deleted',
	destroyed: 'deleted',
	hired: 'hired',
	hire: 'hired',
	rejected: 'rejected',
	reject: 'rejected',
	disqualified: 'rejected',
	stage: 'stage_changed',
	moved: 'stage_changed',
	move: 'stage_changed',
	opened: 'opened',
	open: 'opened',
	reopened: 'opened',
	closed: 'closed',
	close: 'closed',
	archived: 'archived',
	archive: 'archived',
	published: 'published',
	publish: 'published',
	unpublished: 'unpublished',
	unpublish: 'unpublished',
	withdrawn: 'unpublished',
	scheduled: 'scheduled',
	schedule: 'scheduled',
	approved: 'approved',
	approve: 'approved',
	merged: 'merged',
	merge: 'merged',
	anonymized: 'anonymized',
	anonymised: 'anonymized',
	exported: 'exported',
	export: 'exported',
};

function tokens(name: string): string[] {
	return name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}

export function mapEventName(
	sourceEvent: string | undefined,
): CanonicalEventName | typeof UNKNOWN_EVENT {
	if (!sourceEvent) return UNKNOWN_EVENT;
	const trimmed = sourceEvent.trim();
	if (isCanonicalEvent(trimmed)) return trimmed;
	const words = tokens(trimmed);
	if (words.length === 1 && (words[0] === 'ping' || words[0] === 'test')) return 'test';
	let kind: string | undefined;
	let action: string | undefined;
	for (const word of words) {
		if (!kind && KIND_SYNONYMS[word]) kind = KIND_SYNONYMS[word];
		else if (ACTION_SYNONYMS[word]) {
			// "stage changed": the stage word wins over the generic "changed".
			if (!action || ACTION_SYNONYMS[word] === 'stage_changed') action = ACTION_SYNONYMS[word];
		}
	}
	if (!kind || !action) return UNKNOWN_EVENT;
	if (action === 'stage_changed' && kind === 'candidate') kind = 'application';
	const candidate = `${kind}.${action}`;
	return isCanonicalEvent(candidate) ? candidate : UNKNOWN_EVENT;
}

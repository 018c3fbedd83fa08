import { asText, getPath } from '../core/json/path';

/**
 * The seven Recruitis webhook types (seed 000, "Webhooks for system events"; docs/nodes/recruitisTrigger.md).
 * Recruitis does not publish the JSON it sends, so the identifiers it uses are UNCONFIRMED: a name is
 * recognised by its words (`job_added`, `positionOpened`, `POSITION_CHANNEL_REMOVED`, `job.published`),
 * by the type number of the help page (1-7), or by the canonical name itself.
 */
export const RECRUITIS_EVENTS = [
	{
		number: 1,
		canonical: 'job.created',
		label: 'Position Added',
		description: 'A new position was added',
	},
	{
		number: 2,
		canonical: 'job.updated',
		label: 'Position Edited',
		description: 'The content of a position changed',
	},
	{
		number: 3,
		canonical: 'job.opened',
		label: 'Position Opened',
		description: 'The position status changed to Open',
	},
	{
		number: 4,
		canonical: 'job.closed',
		label: 'Position Closed',
		description: 'The position status changed to Closed',
	},
	{
		number: 5,
		canonical: 'job.archived',
		label: 'Position Archived',
		description: 'The position status changed to Archived',
	},
	{
		number: 6,
		canonical: 'job.published',
		label: 'Position Published on a Channel',
		description: 'The position was added to a publication channel',
	},
	{
		number: 7,
		canonical: 'job.unpublished',
		label: 'Position Withdrawn From a Channel',
		description: 'The position was removed from a publication channel',
	},
] as const;

export type RecruitisEvent = (typeof RECRUITIS_EVENTS)[number]['canonical'];

const CANONICAL = new Set<string>(RECRUITIS_EVENTS.map((e) => e.canonical));

/** Where the event name may sit; `type` comes after the explicit names because a job has a `type` too. */
export const RECRUITIS_EVENT_PATHS = [
	'event',
	'webhook_type',
	'webhookType',
	'event_type',
	'eventType',
	'event_name',
	'action',
	'type',
	'webhook.type',
	'webhook.event',
	'data.event',
	'data.webhook_type',
	'data.type',
];

const WORDS = {
	unpublish: [
		'withdraw',
		'withdrawn',
		'withdrawal',
		'unpublish',
		'unpublished',
		'unpublication',
		'depublish',
		'depublished',
		'unlisted',
	],
	publish: ['publish', 'published', 'publication', 'publishing', 'posted', 'listed'],
	channel: ['channel', 'channels', 'portal', 'board'],
	remove: ['remove', 'removed', 'removal', 'delete', 'deleted', 'off'],
	add: ['add', 'added', 'addition', 'new', 'create', 'created', 'creation', 'insert', 'inserted'],
	archive: ['archive', 'archived', 'archiving'],
	close: ['close', 'closed', 'closing'],
	open: ['open', 'opened', 'opening', 'reopen', 'reopened'],
	edit: [
		'edit',
		'edited',
		'editing',
		'update',
		'updated',
		'change',
		'changed',
		'modify',
		'modified',
	],
	test: ['test', 'ping', 'testing', 'check'],
};

function words(name: string): string[] {
	return name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}

const has = (list: string[], group: readonly string[]) => list.some((w) => group.includes(w));

/** A Recruitis event identifier (text or type number) as one of the seven canonical events, or undefined. */
export function mapRecruitisEvent(value: unknown): RecruitisEvent | undefined {
	if (typeof value === 'number' || (typeof value === 'string' && /^\s*[1-7]\s*$/.test(value))) {
		const n = Number(value);
		return RECRUITIS_EVENTS.find((e) => e.number === n)?.canonical;
	}
	if (typeof value !== 'string' || !value.trim()) return undefined;
	const trimmed = value.trim();
	if (CANONICAL.has(trimmed)) return trimmed as RecruitisEvent;
	const w = words(trimmed);
	if (has(w, WORDS.unpublish)) return 'job.unpublished';
	if (has(w, WORDS.channel) && has(w, WORDS.remove)) return 'job.unpublished';
	if (has(w, WORDS.publish) || (has(w, WORDS.channel) && has(w, WORDS.add))) return 'job.published';
	if (has(w, WORDS.archive)) return 'job.archived';
	if (has(w, WORDS.close)) return 'job.closed';
	if (has(w, WORDS.open)) return 'job.opened';
	if (has(w, WORDS.add)) return 'job.created';
	if (has(w, WORDS.edit)) return 'job.updated';
	return undefined;
}

/** True for names that say "this is a test call". */
export function isTestName(value: unknown): boolean {
	if (typeof value !== 'string') return false;
	const w = words(value);
	return (
		w.length > 0 &&
		w.length <= 3 &&
		has(w, WORDS.test) &&
		!has(w, [...WORDS.add, ...WORDS.edit, ...WORDS.open, ...WORDS.close])
	);
}

/** The event named in a body: the first path whose value maps, else the first name present (unmapped). */
export function findRecruitisEventName(
	body: unknown,
): { path: string; name: string; event?: RecruitisEvent } | undefined {
	let firstUnmapped: { path: string; name: string } | undefined;
	for (const path of RECRUITIS_EVENT_PATHS) {
		const value = getPath(body, path);
		const name = asText(value);
		if (name === undefined) continue;
		const event = mapRecruitisEvent(value);
		if (event) return { path, name, event };
		firstUnmapped ??= { path, name };
	}
	return firstUnmapped;
}

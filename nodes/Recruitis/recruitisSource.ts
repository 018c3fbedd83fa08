import { readOccurredAt } from '../core/event/extract';
import { asText, firstPath, getPath, isRecord } from '../core/json/path';
import type {
	InboundRequest,
	NormalisedEvent,
	Reply,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import {
	findRecruitisEventName,
	isTestName,
	mapRecruitisEvent,
	RECRUITIS_EVENT_PATHS,
	type RecruitisEvent,
} from './recruitisEvents';

/**
 * Recruitis ATS (seed 000; docs/nodes/recruitisTrigger.md). Seven position events, one URL per type, a "Test"
 * button that calls the URL before saving. The JSON is not public (the help page shows images), so
 * every field below is read from the likely places and whatever is not found becomes a warning.
 */
export interface RecruitisSettings extends SourceSettings {
	/** Used when neither the body nor the URL names the event (Recruitis has one URL per type). */
	fallbackEvent: RecruitisEvent | '';
}

/** Query parameters a user may add to the URL pasted into Recruitis, one URL per webhook type. */
export const RECRUITIS_QUERY_EVENT = ['event', 'type'];

/** Where the position object may sit; the first that is an object wins, else the body itself. */
const POSITION_OBJECT_PATHS = [
	'job',
	'position',
	'data.job',
	'data.position',
	'payload.job',
	'payload.position',
	'data',
	'payload',
];
/** Position id, on the body or on the position object. */
const POSITION_ID_PATHS = [
	'job_id',
	'position_id',
	'jobId',
	'positionId',
	'job.id',
	'position.id',
	'job.job_id',
	'position.position_id',
];
const TITLE_PATHS = ['title', 'name', 'job_title', 'position_name', 'jobTitle'];
const STATUS_PATHS = ['status.name', 'status.title', 'status', 'state', 'job_status'];
const CHANNEL_OBJECT_PATHS = [
	'channel',
	'publication_channel',
	'publicationChannel',
	'data.channel',
	'data.publication_channel',
	'payload.channel',
];
const CHANNEL_ID_PATHS = [
	'channel_id',
	'channelId',
	'publication_channel_id',
	'data.channel_id',
	'data.publication_channel_id',
];
const CHANNEL_NAME_PATHS = [
	'channel_name',
	'channelName',
	'publication_channel_name',
	'data.channel_name',
];

const ok: Reply = { status: 200, body: { status: 'ok', reason: 'test' } };

export interface RecruitisChannel {
	id: string | null;
	name: string | null;
}

/** The position object: a nested `job`/`position`/`data` object, else the body. */
export function positionObject(body: unknown): Record<string, unknown> | undefined {
	for (const path of POSITION_OBJECT_PATHS) {
		const value = getPath(body, path);
		if (isRecord(value)) return value;
	}
	return isRecord(body) ? body : undefined;
}

export function readPositionId(body: unknown): string | undefined {
	const onBody = firstPath(body, POSITION_ID_PATHS);
	if (onBody) return asText(onBody.value);
	const position = positionObject(body);
	const onPosition = firstPath(position, [...POSITION_ID_PATHS, 'id']);
	if (onPosition) return asText(onPosition.value);
	return asText(getPath(body, 'id'));
}

/** The publication channel of events 6 and 7: an object `{id, name}`, or flat `channel_id`/`channel_name`, or a bare value. */
export function readChannel(body: unknown): RecruitisChannel | undefined {
	let id: string | undefined;
	let name: string | undefined;
	for (const path of CHANNEL_OBJECT_PATHS) {
		const value = getPath(body, path);
		if (isRecord(value)) {
			id ??= asText(firstPath(value, ['id', 'channel_id', 'code'])?.value);
			name ??= asText(firstPath(value, ['name', 'title', 'label', 'channel_name'])?.value);
		} else if (value !== undefined && asText(value) !== undefined) {
			// A bare value: a number is an id, text is a name.
			if (typeof value === 'number' || /^\d+$/.test(String(value))) id ??= asText(value);
			else name ??= asText(value);
		}
	}
	id ??= asText(firstPath(body, CHANNEL_ID_PATHS)?.value);
	name ??= asText(firstPath(body, CHANNEL_NAME_PATHS)?.value);
	if (id === undefined && name === undefined) return undefined;
	return { id: id ?? null, name: name ?? null };
}

/** A body with nothing in it, or one whose event says test/ping: Recruitis' "Test" call (UNCONFIRMED shape). */
export function isRecruitisTestBody(body: unknown): boolean {
	if (isRecord(body) && Object.keys(body).length === 0) return true;
	if (Array.isArray(body) && body.length === 0) return true;
	if (isRecord(body) && (body.test === true || body.test === 'true')) return true;
	for (const path of RECRUITIS_EVENT_PATHS) {
		if (isTestName(getPath(body, path))) return true;
	}
	return false;
}

/** No body at all: a GET, or a POST with an empty or blank body. */
export function isBareRequest(request: Pick<InboundRequest, 'method' | 'rawBody'>): boolean {
	if (request.method.toUpperCase() === 'GET' || request.method.toUpperCase() === 'HEAD')
		return true;
	return !request.rawBody || request.rawBody.toString('utf8').trim().length === 0;
}

function queryEvent(request: InboundRequest): { name: string; event?: RecruitisEvent } | undefined {
	for (const key of RECRUITIS_QUERY_EVENT) {
		const raw = request.query?.[key];
		const name = asText(Array.isArray(raw) ? raw[0] : raw);
		if (name) return { name, event: mapRecruitisEvent(name) };
	}
	return undefined;
}

const STATUS_EVENTS: Record<string, RecruitisEvent> = {
	open: 'job.opened',
	opened: 'job.opened',
	active: 'job.opened',
	otevrena: 'job.opened',
	otevřená: 'job.opened',
	closed: 'job.closed',
	close: 'job.closed',
	uzavrena: 'job.closed',
	uzavřená: 'job.closed',
	archived: 'job.archived',
	archive: 'job.archived',
	archivovana: 'job.archived',
	archivovaná: 'job.archived',
};

export const recruitisSource: SourceDefinition<RecruitisSettings> = {
	id: 'recruitis',
	methods: ['POST', 'GET'],
	// The "Test" call may carry no body (a GET, an empty POST): read as `{}`, which is a test call.
	emptyBody: {},
	handshake(request, settings) {
		// The "Test" button, or a browser opening the URL: answered, no execution (unless asked for).
		if (settings.emitTestEvents) return undefined;
		return isBareRequest(request) ? ok : undefined;
	},
	ping: { detect: (body) => isRecruitisTestBody(body), beforeAuth: true, reply: ok },
	split(body, request) {
		// A test call the user asked to see gets a unique id, so pressing "Test" twice shows twice.
		const eventId = isRecruitisTestBody(body) ? `test:${request.now}` : undefined;
		const found = findRecruitisEventName(body);
		const fromQuery = queryEvent(request);
		const sourceEvent = found?.event ? found.name : (fromQuery?.name ?? found?.name ?? '');
		return { events: [{ sourceEvent, body, eventId }] };
	},
	normalise(raw, request, settings): NormalisedEvent {
		const body = raw.body;
		if (isRecruitisTestBody(body))
			return {
				event: 'test',
				occurredAt: readOccurredAt(body),
				subject: { type: 'test', id: null },
			};
		const warnings: string[] = [];
		const found = findRecruitisEventName(body);
		const fromQuery = queryEvent(request);
		let event: RecruitisEvent | undefined = found?.event;
		if (!event && found)
			warnings.push(
				`event_unrecognised: "${found.name}" at "${found.path}" is not one of the seven Recruitis position events`,
			);
		if (!event && fromQuery) {
			event = fromQuery.event;
			if (!event)
				warnings.push(
					`event_unrecognised: "${fromQuery.name}" in the URL query is not one of the seven Recruitis position events`,
				);
		}
		if (!event && settings.fallbackEvent) {
			event = settings.fallbackEvent;
			warnings.push(
				`event_assumed: no recognised event name in the body or URL; "${event}" from the node setting "Event If Not Named"`,
			);
		}
		if (!found && !fromQuery && !settings.fallbackEvent) {
			warnings.push(
				`event_name_missing: none of ${RECRUITIS_EVENT_PATHS.slice(0, 8).join(', ')} holds an event name; add ?event=<type> to the URL or set "Event If Not Named"`,
			);
		}

		const position = positionObject(body);
		const statusValue = asText(firstPath(position, STATUS_PATHS)?.value);
		// A generic "status changed" name: the new status tells which of open/close/archive it was.
		const nameWords = (found?.name ?? fromQuery?.name ?? '').toLowerCase();
		if (
			(event === undefined || event === 'job.updated') &&
			/status|stav/.test(nameWords) &&
			statusValue
		) {
			const byStatus = STATUS_EVENTS[statusValue.toLowerCase()];
			if (byStatus) event = byStatus;
		}

		const id = readPositionId(body) ?? null;
		if (id === null)
			warnings.push(
				'position_id_missing: no job_id, position_id, id or nested job/position id found',
			);
		const title = asText(firstPath(position, TITLE_PATHS)?.value) ?? null;
		// The publication channel (events 6 and 7) has no canonical field: it goes on the event as
		// `channel`, read here from the raw body, so the Privacy option (which minimises the payload
		// only) keeps it. A channel's id and name ("Jobs.cz") are not personal data.
		const channel = readChannel(body);
		if ((event === 'job.published' || event === 'job.unpublished') && !channel) {
			warnings.push('channel_missing: a channel event without channel, channel_id or channel_name');
		}
		return {
			event: event ?? 'unknown',
			occurredAt: readOccurredAt(body),
			subject: { type: 'job', id },
			job: { id, title, status: statusValue ?? null },
			warnings,
			...(channel ? { extra: { channel } } : {}),
		};
	},
};

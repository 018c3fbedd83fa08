import type { CanonicalEvent } from '../event/schema';
import { changeKeyOf } from './changeIdentity';
import type { CursorState, HttpRequest, HttpResponse, ReconcileAdapter } from './vendors/types';
import { headerOf } from './vendors/types';

/**
 * One poll of a vendor's "updated since" list (docs/nodes/atsReconcileTrigger.md): page through
 * the changes since the committed cursor minus the overlap, map each record to a canonical event
 * with `delivery.scheme: "poll"`, drop changes the union already holds (either path stored them),
 * and say where the cursor may move once the execution carrying the events is stored. Pure apart
 * from the injected transport, clock and sleep; never writes state (the node does, see
 * nodes/AtsReconcile/AtsReconcileTrigger.node.ts).
 */

export type PollFailureKind =
	| 'rate_limited'
	| 'server_error'
	| 'network'
	| 'http'
	| 'vendor'
	| 'budget';

/** A poll that failed: nothing is emitted and no cursor moves. The message holds no secret and no candidate data. */
export class PollError extends Error {
	constructor(
		readonly kind: PollFailureKind,
		message: string,
		readonly status?: number,
	) {
		super(message);
		this.name = 'PollError';
	}
}

export interface PollSettings {
	baseUrl: string;
	/** Changes updated at most this long before the cursor are fetched again (clock skew, changes during a poll). */
	overlapMs: number;
	pageSize: number;
	/** At most this many events per poll; the rest come with the next poll (the cursor stays). */
	maxEvents: number;
	/** Wall-clock budget of the whole poll, retries included. */
	budgetMs: number;
	/** First run (no cursor): `baseline` emits nothing; a number emits the changes since that time (bounded by maxEvents). */
	firstRun: 'baseline' | number;
	/** Attempts per request for 429, 5xx and network errors, within the budget. */
	maxAttempts: number;
}

export interface PollDeps {
	send(request: HttpRequest): Promise<HttpResponse>;
	sleep(ms: number): Promise<void>;
	now(): number;
	/**
	 * Union check and claim of a change key: `new` (claimed for this poll), `seen` (stored by either
	 * path), `in_flight` (the other path holds it and n8n has not stored it yet).
	 */
	claim(key: string): 'new' | 'seen' | 'in_flight';
}

export interface PollOutcome {
	events: CanonicalEvent[];
	/** Where the cursor may move: after the execution is stored (events), or at once (none). Undefined = stays. */
	nextCursor: CursorState | undefined;
	/** This poll set the baseline (first run). */
	baseline: boolean;
	/** Every page was read (not stopped by maxEvents). */
	complete: boolean;
	stats: {
		pages: number;
		requests: number;
		retries: number;
		records: number;
		known: number;
		inFlight: number;
		unreadable: number;
	};
}

export async function runPoll(
	adapter: ReconcileAdapter,
	cursor: CursorState | undefined,
	settings: PollSettings,
	deps: PollDeps,
	runId: string,
): Promise<PollOutcome> {
	const started = deps.now();
	const stats = {
		pages: 0,
		requests: 0,
		retries: 0,
		records: 0,
		known: 0,
		inFlight: 0,
		unreadable: 0,
	};
	if (!cursor && settings.firstRun === 'baseline') {
		// The first poll emits nothing: from now on, changes are reconciled. One request for one
		// record checks the credential and the endpoint (n8n runs this poll when it activates the
		// workflow, so a wrong key fails the activation with the vendor's answer).
		const probe = adapter.firstPage(settings.baseUrl, { sinceMs: started, pageSize: 1 });
		const response = await sendWithRetry(
			adapter,
			probe,
			settings,
			deps,
			started + settings.budgetMs,
			stats,
		);
		const page = adapter.readPage(response, probe, { sinceMs: started, pageSize: 1 });
		if (page.error)
			throw new PollError('vendor', `${adapter.displayName}: ${page.error}`, response.status);
		stats.pages += 1;
		return {
			events: [],
			nextCursor: { watermark: started },
			baseline: true,
			complete: true,
			stats,
		};
	}
	const sinceMs = cursor
		? Math.max(0, cursor.watermark - settings.overlapMs)
		: (settings.firstRun as number);
	const pageSize = Math.max(1, Math.min(settings.pageSize, adapter.maxPageSize));
	const deadline = started + settings.budgetMs;
	let token = cursor?.token;
	let events: CanonicalEvent[] = [];
	let watermark = cursor?.watermark ?? sinceMs;
	let newToken: string | undefined;
	let complete = false;
	let restarted = false;
	const receivedAt = new Date(started).toISOString();

	let request: HttpRequest | undefined = adapter.firstPage(settings.baseUrl, {
		sinceMs,
		token,
		pageSize,
	});
	while (request) {
		const response = await sendWithRetry(adapter, request, settings, deps, deadline, stats);
		const page = adapter.readPage(response, request, { sinceMs, token, pageSize });
		stats.pages += 1;
		if (page.tokenExpired && token && !restarted) {
			// The sync token is no longer valid: read the list again without it, filtered by the watermark.
			restarted = true;
			token = undefined;
			events = [];
			request = adapter.firstPage(settings.baseUrl, { sinceMs, token, pageSize });
			continue;
		}
		if (page.error || page.tokenExpired)
			throw new PollError(
				'vendor',
				`${adapter.displayName}: ${page.error ?? 'the sync token was refused'}`,
				response.status,
			);
		for (const record of page.records) {
			stats.records += 1;
			const change = safeChange(adapter, record);
			if (!change) {
				stats.unreadable += 1;
				continue;
			}
			// The vendor filters by time; filtering here as well keeps a poll correct where a filter
			// parameter is UNCONFIRMED or a full resync reads the whole list.
			if (change.updatedAtMs < sinceMs) continue;
			if (change.updatedAtMs > watermark) watermark = change.updatedAtMs;
			if (events.length >= settings.maxEvents) continue;
			const key = changeKeyOf(change.change);
			const claim = deps.claim(key);
			if (claim === 'seen') {
				stats.known += 1;
				continue;
			}
			if (claim === 'in_flight') {
				stats.inFlight += 1;
				continue;
			}
			events.push(toEvent(adapter, change, record, key, runId, receivedAt));
		}
		if (page.token) newToken = page.token;
		if (!page.next) {
			complete = true;
			break;
		}
		if (events.length >= settings.maxEvents) break;
		request = page.next;
	}
	// The cursor moves only when every page was read and nothing was left to another path's
	// pending execution; otherwise the next poll starts from the same place (the union drops what
	// this poll emitted).
	const nextCursor =
		complete && stats.inFlight === 0
			? { watermark, ...(newToken ? { token: newToken } : {}) }
			: undefined;
	return { events, nextCursor, baseline: false, complete, stats };
}

function safeChange(adapter: ReconcileAdapter, record: unknown) {
	try {
		return adapter.toChange(record);
	} catch {
		return undefined;
	}
}

function toEvent(
	adapter: ReconcileAdapter,
	change: NonNullable<ReturnType<ReconcileAdapter['toChange']>>,
	record: unknown,
	key: string,
	runId: string,
	receivedAt: string,
): CanonicalEvent {
	const { source, recordType, id, version } = change.change;
	const event: CanonicalEvent = {
		id: `poll:${source}:${recordType}:${id}:${version}`,
		source: adapter.source,
		event: change.event,
		sourceEvent: `poll.${recordType}`,
		occurredAt: new Date(change.updatedAtMs).toISOString(),
		receivedAt,
		subject: change.subject,
		...(change.candidate ? { candidate: change.candidate } : {}),
		...(change.job ? { job: change.job } : {}),
		...(change.application ? { application: change.application } : {}),
		delivery: { id: runId, verified: true, scheme: 'poll', dedupKey: key, changeKey: key },
		payload: record,
		...(change.warnings?.length ? { warnings: change.warnings } : {}),
	};
	return event;
}

/** Parse Retry-After: seconds, or an HTTP date. */
export function retryAfterMs(
	value: string | string[] | undefined,
	now: number,
): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (!text) return undefined;
	const seconds = Number(text);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const at = Date.parse(text);
	return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

async function sendWithRetry(
	adapter: ReconcileAdapter,
	request: HttpRequest,
	settings: PollSettings,
	deps: PollDeps,
	deadline: number,
	stats: PollOutcome['stats'],
): Promise<HttpResponse> {
	for (let attempt = 1; ; attempt++) {
		let response: HttpResponse | undefined;
		let failure: { kind: PollFailureKind; message: string; status?: number };
		stats.requests += 1;
		try {
			response = await deps.send(request);
		} catch {
			// No answer (connection refused, reset, timeout): retried like a 5xx.
			response = undefined;
		}
		if (response && response.status >= 200 && response.status < 300) return response;
		if (!response) {
			failure = { kind: 'network', message: `${adapter.displayName} could not be reached` };
		} else if (response.status === 429) {
			failure = {
				kind: 'rate_limited',
				message: `${adapter.displayName} kept answering 429 (rate limit)`,
				status: 429,
			};
		} else if (response.status >= 500) {
			failure = {
				kind: 'server_error',
				message: `${adapter.displayName} answered ${response.status}`,
				status: response.status,
			};
		} else {
			throw new PollError(
				'http',
				httpMessage(adapter.displayName, response.status),
				response.status,
			);
		}
		const backoff = Math.min(30_000, 1000 * 2 ** (attempt - 1));
		const wait = response
			? (retryAfterMs(headerOf(response.headers, 'retry-after'), deps.now()) ?? backoff)
			: backoff;
		if (attempt >= settings.maxAttempts)
			throw new PollError(
				failure.kind,
				`${failure.message} after ${attempt} attempts`,
				failure.status,
			);
		if (deps.now() + wait > deadline)
			throw new PollError(
				'budget',
				`${failure.message}; waiting ${Math.ceil(wait / 1000)} s more would pass the poll's time budget`,
				failure.status,
			);
		stats.retries += 1;
		await deps.sleep(wait);
	}
}

function httpMessage(vendor: string, status: number): string {
	if (status === 401)
		return `${vendor} refused the credential (401): check the API key or client secret`;
	if (status === 403)
		return `${vendor} refused access (403): the key needs read access to this list`;
	if (status === 404) return `${vendor} answered 404: check the API base URL`;
	return `${vendor} answered ${status}`;
}

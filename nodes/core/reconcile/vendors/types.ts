import type { CanonicalEvent } from '../../event/schema';
import type { ChangeIdentity } from '../changeIdentity';

/** One HTTP call of a poll; the node's transport sends it (n8n's request helper and credential). */
export interface HttpRequest {
	method: 'GET' | 'POST';
	/** Absolute URL (a `Link: rel="next"` URL is used as it is). */
	url: string;
	qs?: Record<string, string | number>;
	body?: Record<string, unknown>;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** Where a poll starts: a time watermark, and for Ashby its sync token. */
export interface CursorState {
	/** Epoch ms of the newest change seen by a completed poll (the next poll starts at this minus the overlap). */
	watermark: number;
	/** Ashby `syncToken` (developers.ashbyhq.com/docs/pagination-and-incremental-sync). */
	token?: string;
}

/** What an adapter reads from one record: the change identity and the canonical fields. */
export interface PolledChange {
	change: ChangeIdentity;
	/** The record's update time (epoch ms), used for the client-side filter and the watermark. */
	updatedAtMs: number;
	event: CanonicalEvent['event'];
	subject: CanonicalEvent['subject'];
	candidate?: CanonicalEvent['candidate'];
	job?: CanonicalEvent['job'];
	application?: CanonicalEvent['application'];
	warnings?: string[];
}

export interface PageRead {
	records: unknown[];
	/** The next page's request, when the vendor says there is one. */
	next?: HttpRequest;
	/** Ashby: the sync token that comes with the last page. */
	token?: string;
	/** The vendor said the stored sync token is no longer valid: run again without it. */
	tokenExpired?: boolean;
	/** The vendor answered 2xx but reported an error in the body (Ashby `success: false`). */
	error?: string;
}

export interface PageQuery {
	/** Fetch changes at or after this time (epoch ms); undefined = everything. */
	sinceMs: number | undefined;
	token?: string;
	pageSize: number;
}

/**
 * One vendor's "updated since" list endpoint (docs/nodes/atsReconcileTrigger.md lists them with
 * their sources). Pure functions over plain data: the engine (poll.ts) pages, retries and filters;
 * the node supplies the transport. Adding a vendor = one file like this + a fake API for its tests.
 */
export interface ReconcileAdapter {
	/** The `source` of emitted events; the same id as the vendor's webhook trigger. */
	source: string;
	displayName: string;
	/** The largest page the vendor allows. */
	maxPageSize: number;
	firstPage(baseUrl: string, query: PageQuery): HttpRequest;
	readPage(response: HttpResponse, request: HttpRequest, query: PageQuery): PageRead;
	/** Undefined when the record lacks an id or an update time (it is skipped with a warning count). */
	toChange(record: unknown): PolledChange | undefined;
}

/** A plain-object view of an unknown value. */
export function obj(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: {};
}

export function text(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/** The `rel="next"` URL of an RFC 8288 Link header (Greenhouse Harvest v3, Teamtailor). */
export function linkNext(header: string | string[] | undefined): string | undefined {
	const value = Array.isArray(header) ? header.join(',') : header;
	if (!value) return undefined;
	for (const part of value.split(/,(?=\s*<)/)) {
		const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
		if (match && /rel="?next"?/i.test(match[2])) return match[1];
	}
	return undefined;
}

export function headerOf(
	headers: Record<string, string | string[] | undefined>,
	name: string,
): string | string[] | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers))
		if (key.toLowerCase() === wanted) return value;
	return undefined;
}

/** The canonical event for a record from its created / stage-change / rejection times. */
export function eventFor(
	recordType: 'application' | 'candidate',
	updatedAtMs: number,
	times: { createdAt?: number; stageChangedAt?: number; rejectedAt?: number },
): CanonicalEvent['event'] {
	const sameSecond = (t: number | undefined) =>
		t !== undefined && Math.floor(t / 1000) === Math.floor(updatedAtMs / 1000);
	if (sameSecond(times.createdAt)) return `${recordType}.created`;
	if (recordType === 'application') {
		if (sameSecond(times.rejectedAt)) return 'application.rejected';
		if (sameSecond(times.stageChangedAt)) return 'application.stage_changed';
	}
	return `${recordType}.updated`;
}

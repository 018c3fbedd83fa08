import { readPerson, toIsoDate } from '../core/event/extract';
import type { CanonicalEventName } from '../core/event/taxonomy';
import { asText, firstText, isRecord, recordOrUndefined, textOrNull } from '../core/json/path';
import { minimise } from '../core/json/privacy';

/**
 * "Fetch Changed Records": a Kombo `data-changed` notification names changed models, not records.
 * Kombo's guide (https://docs.kombo.dev/ats/getting-started/fetching-data): call the endpoints that
 * serve those models with `updated_after` = the start time of your previous successful fetch, and
 * page through `data.next` (https://docs.kombo.dev/ats/v1/get-candidates: `cursor`, `page_size`,
 * `updated_after`, `include_deleted`). Each changed record becomes one canonical event.
 *
 * This runs in the trigger's execute(), after n8n has answered Kombo and stored the execution, never
 * in webhook(). Pure apart from the injected `getPage`, so it is tested without n8n.
 */

export type KomboRecordKind = 'applications' | 'candidates' | 'jobs' | 'interviews' | 'offers';

/** Endpoint → the changed models that make it worth calling (the table on the fetching-data page). */
export const KOMBO_ENDPOINTS: Record<
	KomboRecordKind,
	{ path: string; name: string; models: readonly string[] }
> = {
	applications: {
		path: '/ats/applications',
		name: 'Applications',
		models: [
			'ats_applications',
			'ats_application_stages',
			'ats_candidates',
			'ats_interviews',
			'ats_jobs',
			'ats_join_candidates_tags',
			'ats_offers',
			'ats_tags',
		],
	},
	candidates: {
		path: '/ats/candidates',
		name: 'Candidates',
		models: [
			'ats_candidates',
			'ats_application_stages',
			'ats_applications',
			'ats_jobs',
			'ats_join_candidates_tags',
			'ats_join_jobs_application_stages',
			'ats_tags',
		],
	},
	interviews: {
		path: '/ats/interviews',
		name: 'Interviews',
		models: [
			'ats_interviews',
			'ats_applications',
			'ats_candidates',
			'ats_jobs',
			'ats_join_interviews_users',
			'ats_users',
		],
	},
	jobs: {
		path: '/ats/jobs',
		name: 'Jobs',
		models: [
			'ats_jobs',
			'ats_application_stages',
			'ats_job_postings',
			'ats_join_jobs_application_stages',
			'ats_join_jobs_screening_questions',
			'ats_join_jobs_users',
			'ats_screening_questions',
			'ats_users',
		],
	},
	offers: {
		path: '/ats/offers',
		name: 'Offers',
		models: ['ats_offers', 'ats_applications', 'ats_candidates', 'ats_jobs'],
	},
};

export const KOMBO_RECORD_KINDS = Object.keys(KOMBO_ENDPOINTS) as KomboRecordKind[];

/**
 * The selected endpoints that serve a changed model, in a fixed order. No `changed_models` at all
 * (an older or unexpected payload): every selected endpoint, Kombo's "simplified approach".
 */
export function endpointsFor(
	changedModels: readonly string[],
	selected: readonly KomboRecordKind[],
): KomboRecordKind[] {
	const wanted = KOMBO_RECORD_KINDS.filter((kind) => selected.includes(kind));
	if (changedModels.length === 0) return wanted;
	return wanted.filter((kind) =>
		KOMBO_ENDPOINTS[kind].models.some((m) => changedModels.includes(m)),
	);
}

/** One GET of a Kombo list endpoint; returns the parsed JSON body, throws on a failed request. */
export type GetPage = (path: string, query: Record<string, string>) => Promise<unknown>;

export interface FetchChangedOptions {
	getPage: GetPage;
	/** ISO time: only records changed after it. */
	updatedAfter: string;
	kinds: readonly KomboRecordKind[];
	pageSize: number;
	/** Stop paging after this many records; the next notification resumes at the page where this one stopped. */
	maxRecords: number;
	privacy: boolean;
	/** Where a previous, truncated fetch of the same window stopped: that endpoint continues at that page. */
	resume?: { kind: KomboRecordKind; cursor: string };
}

export interface FetchChangedResult {
	events: Array<Record<string, unknown>>;
	/** Every endpoint was read to its last page: the cursor may move to this fetch's start. */
	complete: boolean;
	/** Endpoints read to their last page by this call. */
	done: KomboRecordKind[];
	/** Set when Max Records stopped the paging: the endpoint and the page cursor to continue with. */
	stoppedAt?: { kind: KomboRecordKind; cursor: string };
	/** Set when a request failed (the events fetched before it are dropped; the cursor stays). */
	failure?: string;
	/** The failed request was the resumed page (a page cursor Kombo may no longer accept). */
	failedOnResume?: boolean;
	warnings: string[];
}

/** A short reason for a failed request: status or error code only (no URL, headers or body). */
export function requestFailure(error: unknown): string {
	if (isRecord(error)) {
		const response = recordOrUndefined(error.response);
		const status = error.httpCode ?? response?.status ?? response?.statusCode ?? error.statusCode;
		if (status !== undefined && status !== null && String(status) !== '')
			return `HTTP ${String(status)}`;
		const cause = isRecord(error.cause) ? error.cause.code : undefined;
		const code = error.code ?? cause;
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
	}
	return 'request failed';
}

/** `{ status: "success", data: { next, results } }` → results and the next cursor. */
export function readPage(body: unknown): { results: unknown[]; next: string | null } | undefined {
	const data = recordOrUndefined(recordOrUndefined(body)?.data);
	if (!data || !Array.isArray(data.results)) return undefined;
	return { results: data.results, next: asText(data.next) ?? null };
}

/**
 * Fetch every changed record of the given endpoints and map each to a canonical event derived from
 * the notification event. A failed request fails the whole fetch (nothing is half-emitted, the
 * caller keeps its cursor and the next notification fetches the same window again).
 */
export async function fetchChangedRecords(
	notification: Record<string, unknown>,
	options: FetchChangedOptions,
): Promise<FetchChangedResult> {
	const events: Array<Record<string, unknown>> = [];
	const warnings: string[] = [];
	const done: KomboRecordKind[] = [];
	for (const kind of options.kinds) {
		const endpoint = KOMBO_ENDPOINTS[kind];
		const query: Record<string, string> = {
			updated_after: options.updatedAfter,
			include_deleted: 'true',
			page_size: String(options.pageSize),
		};
		let cursor: string | null = options.resume?.kind === kind ? options.resume.cursor : null;
		let resuming = cursor !== null;
		for (;;) {
			let body: unknown;
			try {
				body = await options.getPage(endpoint.path, cursor ? { ...query, cursor } : query);
			} catch (error) {
				return {
					events: [],
					complete: false,
					done: [],
					failure: requestFailure(error),
					failedOnResume: resuming,
					warnings,
				};
			}
			resuming = false;
			const page = readPage(body);
			if (!page)
				return {
					events: [],
					complete: false,
					done: [],
					failure: `unexpected answer from ${endpoint.path} (no data.results)`,
					warnings,
				};
			for (const record of page.results)
				if (isRecord(record)) events.push(recordEvent(notification, kind, record, options.privacy));
			cursor = page.next;
			if (!cursor) break;
			if (events.length >= options.maxRecords) {
				warnings.push(
					`records_truncated: more than ${options.maxRecords} changed records; the next notification continues where this fetch stopped`,
				);
				return { events, complete: false, done, stoppedAt: { kind, cursor }, warnings };
			}
		}
		done.push(kind);
	}
	return { events, complete: true, done, warnings };
}

const text = textOrNull;

/** A Kombo reference: an id, or the expanded object. */
function refId(record: Record<string, unknown>, idKey: string, objectKey: string): string | null {
	const expanded = recordOrUndefined(record[objectKey]);
	return text(record[idKey]) ?? (expanded ? text(expanded.id) : null);
}

function person(value: unknown): Record<string, unknown> {
	const obj = recordOrUndefined(value) ?? {};
	const read = readPerson(obj);
	return {
		id: text(obj.id),
		firstName: text(obj.first_name) ?? read.firstName ?? null,
		lastName: text(obj.last_name) ?? read.lastName ?? null,
		email: firstText(obj, ['email_addresses.0.email_address', 'email']) ?? read.email ?? null,
		phone: firstText(obj, ['phone_numbers.0.phone_number', 'phone']) ?? read.phone ?? null,
	};
}

const EVENTS: Record<KomboRecordKind, [CanonicalEventName, CanonicalEventName]> = {
	applications: ['application.updated', 'application.deleted'],
	candidates: ['candidate.updated', 'candidate.deleted'],
	jobs: ['job.updated', 'job.deleted'],
	interviews: ['interview.updated', 'interview.deleted'],
	offers: ['offer.updated', 'offer.deleted'],
};

const SUBJECTS: Record<KomboRecordKind, string> = {
	applications: 'application',
	candidates: 'candidate',
	jobs: 'job',
	interviews: 'interview',
	offers: 'offer',
};

/**
 * One changed record as a canonical event. Kombo says a record changed, not how: every record is an
 * `.updated` event, or `.deleted` when `remote_deleted_at` is set. The id is stable per record
 * version (`<integration>:<endpoint>:<record id>:<changed_at>`), so a downstream step can drop a
 * record that two overlapping fetches both returned.
 */
export function recordEvent(
	notification: Record<string, unknown>,
	kind: KomboRecordKind,
	record: Record<string, unknown>,
	privacy: boolean,
): Record<string, unknown> {
	const warnings: string[] = [];
	const id = text(record.id);
	if (!id) warnings.push('field_missing: id');
	const deleted = Boolean(record.remote_deleted_at);
	const event = EVENTS[kind][deleted ? 1 : 0];
	const changedAt = toIsoDate(record.changed_at ?? record.remote_updated_at ?? null);
	const subject: Record<string, unknown> = { type: SUBJECTS[kind], id };
	if (typeof record.remote_url === 'string' && record.remote_url) subject.url = record.remote_url;
	const out: Record<string, unknown> = {
		id: `${String(notification.integrationId ?? 'kombo')}:${kind}:${id ?? '?'}:${changedAt ?? '?'}`,
		source: notification.source ?? 'kombo',
		event,
		sourceEvent: `data-changed:${kind}`,
		occurredAt: changedAt,
		receivedAt: notification.receivedAt,
		subject,
	};
	switch (kind) {
		case 'candidates':
			out.candidate = person(record);
			break;
		case 'applications': {
			const stage = recordOrUndefined(record.current_stage);
			out.application = {
				id,
				stage: stage ? text(stage.name) : null,
				previousStage: null,
			};
			const candidate = recordOrUndefined(record.candidate);
			out.candidate = candidate
				? { ...person(candidate), id: refId(record, 'candidate_id', 'candidate') }
				: { id: refId(record, 'candidate_id', 'candidate') };
			const job = recordOrUndefined(record.job);
			out.job = { id: refId(record, 'job_id', 'job'), title: job ? text(job.name) : null };
			break;
		}
		case 'jobs':
			out.job = { id, title: text(record.name), status: text(record.status) };
			break;
		default: {
			const applicationId = refId(record, 'application_id', 'application');
			if (applicationId) out.application = { id: applicationId, stage: null, previousStage: null };
		}
	}
	if (privacy && isRecord(out.candidate)) out.candidate = { id: out.candidate.id ?? null };
	out.delivery = notification.delivery;
	out.payload = privacy ? minimise(record) : record;
	const notificationWarnings = Array.isArray(notification.warnings) ? notification.warnings : [];
	if (notificationWarnings.length || warnings.length)
		out.warnings = [...(notificationWarnings as string[]), ...warnings];
	// Not personal: the real tool, Kombo's ids and what Kombo computed about the record.
	out.integration = notification.integration ?? null;
	out.integrationId = notification.integrationId ?? null;
	out.integrationCategory = notification.integrationCategory ?? null;
	out.notificationId = notification.id ?? null;
	out.record = kind;
	if (kind === 'applications') out.outcome = text(record.outcome);
	return out;
}

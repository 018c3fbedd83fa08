import { idText, timeVersion, toEpochMs, type ChangeIdentity } from '../changeIdentity';
import {
	eventFor,
	obj,
	text,
	type PageQuery,
	type PolledChange,
	type ReconcileAdapter,
} from './types';

/**
 * Workable `GET /spi/v3/candidates` (the base URL is `https://{subdomain}.workable.com/spi/v3`) (https://workable.readme.io/reference/job-candidates-index):
 * `updated_after` (ISO 8601), `limit` ≤ 100, the next page is `paging.next` (an absolute URL).
 * Bearer token with `r_candidates`. Workable's rate limit is answered with 429 (the engine waits
 * for `Retry-After` or backs off).
 *
 * Change identity: candidate id + `updated_at`; Workable's candidate webhooks carry the candidate
 * details including `updated_at` under `data` (https://workable.readme.io/reference/candidate-events).
 */
export const workableAdapter: ReconcileAdapter = {
	source: 'workable',
	displayName: 'Workable',
	maxPageSize: 100,
	firstPage(baseUrl: string, query: PageQuery) {
		const qs: Record<string, string | number> = { limit: query.pageSize };
		if (query.sinceMs !== undefined) qs.updated_after = new Date(query.sinceMs).toISOString();
		return { method: 'GET', url: `${baseUrl}/candidates`, qs };
	},
	readPage(response) {
		const body = obj(response.body);
		if (!Array.isArray(body.candidates))
			return { records: [], error: 'the answer has no candidates list' };
		const next = text(obj(body.paging).next);
		return { records: body.candidates, next: next ? { method: 'GET', url: next } : undefined };
	},
	toChange(record: unknown): PolledChange | undefined {
		const c = obj(record);
		const id = idText(c.id);
		const updatedAtMs = toEpochMs(c.updated_at);
		if (!id || updatedAtMs === undefined) return undefined;
		const job = obj(c.job);
		return {
			change: {
				source: 'workable',
				recordType: 'candidate',
				id,
				version: timeVersion(updatedAtMs)!,
			},
			updatedAtMs,
			event: eventFor('candidate', updatedAtMs, { createdAt: toEpochMs(c.created_at) }),
			subject: { type: 'candidate', id },
			candidate: {
				id,
				firstName: text(c.firstname),
				lastName: text(c.lastname),
				email: text(c.email),
				phone: text(c.phone),
			},
			...(job.shortcode !== undefined
				? { job: { id: text(job.shortcode), title: text(job.title) } }
				: {}),
			application: { id, stage: text(c.stage), previousStage: null },
		};
	},
};

/** The same identity from a Workable candidate webhook (`data.id` + `data.updated_at`). */
export function workableWebhookChange(body: unknown): ChangeIdentity | undefined {
	const data = obj(obj(body).data);
	const id = idText(data.id);
	const version = timeVersion(data.updated_at);
	if (!id || !version) return undefined;
	return { source: 'workable', recordType: 'candidate', id, version };
}

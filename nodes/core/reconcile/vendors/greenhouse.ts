import { idText, timeVersion, toEpochMs, type ChangeIdentity } from '../changeIdentity';
import {
	eventFor,
	headerOf,
	linkNext,
	obj,
	text,
	type HttpRequest,
	type PageQuery,
	type PolledChange,
	type ReconcileAdapter,
} from './types';

/**
 * Greenhouse Harvest v3 applications (https://harvestdocs.greenhouse.io/docs/list-endpoints):
 * `GET /v3/applications?updated_at=gte|<ISO>&per_page=…`; the next page is the `Link` header's
 * rel="next" URL, which carries a cursor and is used as it is (a cursor is not combined with other
 * parameters, per_page only on the first request). Harvest v1/v2 reached their sunset on
 * 31 Aug 2026, so v3 only. Auth (OAuth client credentials) is the node's transport
 * (nodes/AtsReconcile/transport.ts).
 *
 * Change identity: application id + `last_activity_at` (what Greenhouse's application webhooks
 * carry in `payload.application`, https://developers.greenhouse.io/webhooks.html), else
 * `updated_at`. UNCONFIRMED: the v3 application fields (read from the v1 shape); a record with
 * only `updated_at` gets an identity a webhook cannot match (docs/nodes/atsReconcileTrigger.md).
 */
export const greenhouseAdapter: ReconcileAdapter = {
	source: 'greenhouse',
	displayName: 'Greenhouse',
	maxPageSize: 500,
	firstPage(baseUrl: string, query: PageQuery): HttpRequest {
		const qs: Record<string, string | number> = { per_page: query.pageSize };
		if (query.sinceMs !== undefined) qs.updated_at = `gte|${new Date(query.sinceMs).toISOString()}`;
		return { method: 'GET', url: `${baseUrl}/v3/applications`, qs };
	},
	readPage(response) {
		const body = response.body;
		const records = Array.isArray(body)
			? body
			: Array.isArray(obj(body).data)
				? (obj(body).data as unknown[])
				: undefined;
		if (!records) return { records: [], error: 'the answer is not a list of applications' };
		const nextUrl = linkNext(headerOf(response.headers, 'link'));
		return { records, next: nextUrl ? { method: 'GET', url: nextUrl } : undefined };
	},
	toChange(record: unknown): PolledChange | undefined {
		const app = obj(record);
		const id = idText(app.id);
		const activity = toEpochMs(app.last_activity_at);
		const updated = toEpochMs(app.updated_at);
		const versionTime = activity ?? updated;
		if (!id || versionTime === undefined) return undefined;
		const candidate = obj(app.candidate);
		const candidateId = idText(app.candidate_id) ?? idText(candidate.id) ?? null;
		const job = obj(Array.isArray(app.jobs) ? app.jobs[0] : undefined);
		const stage = obj(app.current_stage);
		const updatedAtMs = Math.max(activity ?? 0, updated ?? 0);
		return {
			change: {
				source: 'greenhouse',
				recordType: 'application',
				id,
				version: timeVersion(versionTime)!,
			},
			updatedAtMs,
			event: eventFor('application', versionTime, {
				createdAt: toEpochMs(app.applied_at ?? app.created_at),
				rejectedAt: toEpochMs(app.rejected_at),
			}),
			subject: { type: 'application', id },
			candidate: {
				id: candidateId,
				firstName: text(candidate.first_name),
				lastName: text(candidate.last_name),
			},
			...(job.id !== undefined
				? { job: { id: idText(job.id) ?? null, title: text(job.name), status: text(job.status) } }
				: {}),
			application: { id, stage: text(stage.name), previousStage: null },
		};
	},
};

/** The same identity from a Greenhouse webhook: application events carry `payload.application`. */
export function greenhouseWebhookChange(body: unknown): ChangeIdentity | undefined {
	const app = obj(obj(obj(body).payload).application);
	const id = idText(app.id);
	const version = timeVersion(app.last_activity_at) ?? timeVersion(app.updated_at);
	if (!id || !version) return undefined;
	return { source: 'greenhouse', recordType: 'application', id, version };
}

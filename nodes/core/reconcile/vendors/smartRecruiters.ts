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
 * SmartRecruiters `GET /candidates` (https://developers.smartrecruiters.com/reference/candidatesall-1):
 * `limit` ≤ 100, the next page by `pageId` = the previous answer's `nextPageId`, the list in
 * `content`. UNCONFIRMED: the update-time filter's name (`updatedAfter` is sent); the engine filters
 * by `updatedOn` itself as well.
 *
 * Change identity: candidate id + `updatedOn`. SmartRecruiters' webhooks are thin (ids and a link,
 * https://developers.smartrecruiters.com/docs/receiving-webhook-notifications) and carry no update
 * time, so a webhook cannot compute it: a change it delivered may be emitted again by the poll.
 */
export const smartRecruitersAdapter: ReconcileAdapter = {
	source: 'smartrecruiters',
	displayName: 'SmartRecruiters',
	maxPageSize: 100,
	firstPage(baseUrl: string, query: PageQuery) {
		const qs: Record<string, string | number> = { limit: query.pageSize };
		if (query.sinceMs !== undefined) qs.updatedAfter = new Date(query.sinceMs).toISOString();
		return { method: 'GET', url: `${baseUrl}/candidates`, qs };
	},
	readPage(response, request) {
		const body = obj(response.body);
		if (!Array.isArray(body.content))
			return { records: [], error: 'the answer has no content list' };
		const nextPageId = text(body.nextPageId);
		return {
			records: body.content,
			next:
				nextPageId && body.content.length > 0
					? { ...request, qs: { ...(request.qs ?? {}), pageId: nextPageId } }
					: undefined,
		};
	},
	toChange(record: unknown): PolledChange | undefined {
		const c = obj(record);
		const id = idText(c.id);
		const updatedAtMs = toEpochMs(c.updatedOn);
		if (!id || updatedAtMs === undefined) return undefined;
		const assignment = obj(c.primaryAssignment);
		const job = obj(assignment.job);
		return {
			change: {
				source: 'smartrecruiters',
				recordType: 'candidate',
				id,
				version: timeVersion(updatedAtMs)!,
			},
			updatedAtMs,
			event: eventFor('candidate', updatedAtMs, { createdAt: toEpochMs(c.createdOn) }),
			subject: { type: 'candidate', id },
			candidate: {
				id,
				firstName: text(c.firstName),
				lastName: text(c.lastName),
				email: text(c.email),
			},
			...(job.id !== undefined
				? { job: { id: idText(job.id) ?? null, title: text(job.title) } }
				: {}),
		};
	},
};

export function smartRecruitersWebhookChange(): ChangeIdentity | undefined {
	return undefined;
}

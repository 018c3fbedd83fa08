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
 * Lever `GET /v1/opportunities` (https://hire.lever.co/developer/documentation, "List all
 * opportunities"): `updated_at_start` in Unix milliseconds, `limit` ≤ 100, `offset` = the previous
 * answer's `next` while `hasNext`. UNCONFIRMED: the filter's name comes from secondary sources; the
 * engine also filters by `updatedAt` itself, so a server that ignored it costs pages, not changes.
 *
 * Change identity: opportunity id + `updatedAt`. Lever's webhooks carry ids and `triggeredAt` but no
 * update time of the opportunity, so a webhook cannot compute it (leverWebhookChange returns
 * nothing): a change delivered by a Lever webhook may be emitted again by the poll.
 */
export const leverAdapter: ReconcileAdapter = {
	source: 'lever',
	displayName: 'Lever',
	maxPageSize: 100,
	firstPage(baseUrl: string, query: PageQuery) {
		const qs: Record<string, string | number> = { limit: query.pageSize };
		if (query.sinceMs !== undefined) qs.updated_at_start = Math.floor(query.sinceMs);
		return { method: 'GET', url: `${baseUrl}/opportunities`, qs };
	},
	readPage(response, request) {
		const body = obj(response.body);
		if (!Array.isArray(body.data)) return { records: [], error: 'the answer has no data list' };
		const next = body.hasNext === true && body.next !== undefined && body.next !== null;
		return {
			records: body.data,
			next: next
				? { ...request, qs: { ...(request.qs ?? {}), offset: String(body.next) } }
				: undefined,
		};
	},
	toChange(record: unknown): PolledChange | undefined {
		const opp = obj(record);
		const id = idText(opp.id);
		const updatedAtMs = toEpochMs(opp.updatedAt);
		if (!id || updatedAtMs === undefined) return undefined;
		const [firstName, ...rest] = (text(opp.name) ?? '').split(' ');
		const emails = Array.isArray(opp.emails) ? opp.emails : [];
		return {
			change: {
				source: 'lever',
				recordType: 'application',
				id,
				version: timeVersion(updatedAtMs)!,
			},
			updatedAtMs,
			event: eventFor('application', updatedAtMs, {
				createdAt: toEpochMs(opp.createdAt),
				stageChangedAt: toEpochMs(opp.lastAdvancedAt),
				rejectedAt: toEpochMs(obj(opp.archived).archivedAt),
			}),
			subject: { type: 'application', id },
			candidate: {
				id: idText(opp.contact) ?? null,
				firstName: firstName || null,
				lastName: rest.join(' ') || null,
				email: text(emails[0]),
			},
			application: {
				id,
				stage: text(typeof opp.stage === 'object' ? obj(opp.stage).text : opp.stage),
				previousStage: null,
			},
		};
	},
};

export function leverWebhookChange(): ChangeIdentity | undefined {
	return undefined;
}

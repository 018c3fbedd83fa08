import { idText, timeVersion, toEpochMs, type ChangeIdentity } from '../changeIdentity';
import {
	eventFor,
	linkNext,
	obj,
	text,
	type PageQuery,
	type PolledChange,
	type ReconcileAdapter,
} from './types';

/**
 * Teamtailor `GET /v1/candidates` (JSON:API, https://docs.teamtailor.com/#candidates; connector
 * notes https://docs.airbyte.com/integrations/sources/teamtailor): `page[size]` ≤ 30, the next page
 * in `links.next`; `Authorization: Token token=<key>` and `X-Api-Version`. UNCONFIRMED: the
 * update-time filter's syntax (`filter[updated-at][from]` is sent) and `links.next`; the engine
 * filters by `updated-at` itself as well. Teamtailor's webhooks are not retried at all (changelog
 * 2026-03-19 in https://partner.teamtailor.com/company_webhooks), which is why this poll matters.
 *
 * Change identity: candidate id + `updated-at`, which Teamtailor's company webhooks carry in
 * `payload.data.attributes` (https://partner.teamtailor.com/company_webhooks, "Payloads").
 */
export const teamtailorAdapter: ReconcileAdapter = {
	source: 'teamtailor',
	displayName: 'Teamtailor',
	maxPageSize: 30,
	firstPage(baseUrl: string, query: PageQuery) {
		const qs: Record<string, string | number> = { 'page[size]': query.pageSize };
		if (query.sinceMs !== undefined)
			qs['filter[updated-at][from]'] = new Date(query.sinceMs).toISOString();
		return { method: 'GET', url: `${baseUrl}/v1/candidates`, qs };
	},
	readPage(response) {
		const body = obj(response.body);
		if (!Array.isArray(body.data)) return { records: [], error: 'the answer has no data list' };
		const next = text(obj(body.links).next) ?? linkNext(response.headers.link);
		return { records: body.data, next: next ? { method: 'GET', url: next } : undefined };
	},
	toChange(record: unknown): PolledChange | undefined {
		const r = obj(record);
		const a = obj(r.attributes);
		const id = idText(r.id);
		const updatedAtMs = toEpochMs(a['updated-at']);
		if (!id || updatedAtMs === undefined) return undefined;
		return {
			change: {
				source: 'teamtailor',
				recordType: 'candidate',
				id,
				version: timeVersion(updatedAtMs)!,
			},
			updatedAtMs,
			event: eventFor('candidate', updatedAtMs, { createdAt: toEpochMs(a['created-at']) }),
			subject: { type: 'candidate', id },
			candidate: {
				id,
				firstName: text(a['first-name']),
				lastName: text(a['last-name']),
				email: text(a.email),
				phone: text(a.phone),
			},
		};
	},
};

/** The same identity from a Teamtailor company webhook about a candidate. */
export function teamtailorWebhookChange(body: unknown): ChangeIdentity | undefined {
	const data = obj(obj(obj(body).payload).data);
	if (data.type !== 'candidates') return undefined;
	const id = idText(data.id);
	const version = timeVersion(obj(data.attributes)['updated-at']);
	if (!id || !version) return undefined;
	return { source: 'teamtailor', recordType: 'candidate', id, version };
}

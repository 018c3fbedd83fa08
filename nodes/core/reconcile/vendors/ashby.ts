import { idText, timeVersion, toEpochMs, type ChangeIdentity } from '../changeIdentity';
import {
	eventFor,
	obj,
	text,
	type HttpRequest,
	type PageQuery,
	type PolledChange,
	type ReconcileAdapter,
} from './types';

/**
 * Ashby `POST /application.list` (https://developers.ashbyhq.com/docs/pagination-and-incremental-sync,
 * https://developers.ashbyhq.com/reference/applicationlist): body `{limit, cursor?, syncToken?}`;
 * the answer `{success, results, moreDataAvailable, nextCursor, syncToken}`, the sync token coming
 * with the last page. A poll with a token gets the changes since it; without one (the first poll
 * after the baseline, or when Ashby says the token expired) the whole list is read and filtered
 * here by the watermark. Errors come as 200 with `success: false` (`errors`/`errorInfo`).
 * UNCONFIRMED: the exact error code of an expired token; any error that mentions "sync" and
 * "token"/"expired" is read as one.
 *
 * Change identity: application id + `updatedAt`, which Ashby's application webhooks carry in
 * `data.application` (https://developers.ashbyhq.com/docs/common-payload-data).
 */
export const ashbyAdapter: ReconcileAdapter = {
	source: 'ashby',
	displayName: 'Ashby',
	maxPageSize: 100,
	firstPage(baseUrl: string, query: PageQuery): HttpRequest {
		return {
			method: 'POST',
			url: `${baseUrl}/application.list`,
			body: { limit: query.pageSize, ...(query.token ? { syncToken: query.token } : {}) },
		};
	},
	readPage(response, request) {
		const body = obj(response.body);
		if (body.success === false) {
			const info = JSON.stringify([body.errors, obj(body.errorInfo).code]).toLowerCase();
			const tokenExpired = info.includes('sync') && /token|expired/.test(info);
			return { records: [], tokenExpired, error: tokenExpired ? undefined : errorText(body) };
		}
		if (!Array.isArray(body.results))
			return { records: [], error: 'the answer has no results list' };
		const more = body.moreDataAvailable === true && typeof body.nextCursor === 'string';
		return {
			records: body.results,
			next: more
				? { ...request, body: { ...(request.body ?? {}), cursor: body.nextCursor } }
				: undefined,
			token: !more && typeof body.syncToken === 'string' ? body.syncToken : undefined,
		};
	},
	toChange(record: unknown): PolledChange | undefined {
		const app = obj(record);
		const id = idText(app.id);
		const updatedAtMs = toEpochMs(app.updatedAt);
		if (!id || updatedAtMs === undefined) return undefined;
		const candidate = obj(app.candidate);
		const job = obj(app.job);
		const stage = obj(app.currentInterviewStage);
		const email = obj(candidate.primaryEmailAddress).value;
		const [firstName, ...rest] = (text(candidate.name) ?? '').split(' ');
		return {
			change: {
				source: 'ashby',
				recordType: 'application',
				id,
				version: timeVersion(updatedAtMs)!,
			},
			updatedAtMs,
			event: eventFor('application', updatedAtMs, { createdAt: toEpochMs(app.createdAt) }),
			subject: { type: 'application', id },
			candidate: {
				id: idText(candidate.id) ?? null,
				firstName: firstName || null,
				lastName: rest.join(' ') || null,
				email: text(email),
			},
			...(job.id !== undefined
				? { job: { id: idText(job.id) ?? null, title: text(job.title), status: text(job.status) } }
				: {}),
			application: { id, stage: text(stage.title), previousStage: null },
		};
	},
};

function errorText(body: Record<string, unknown>): string {
	// Error codes only: Ashby's messages may quote submitted data.
	const codes = Array.isArray(body.errors) ? body.errors.filter((e) => typeof e === 'string') : [];
	const code = text(obj(body.errorInfo).code);
	return `Ashby reported an error (${[code, ...codes].filter(Boolean).join(', ').slice(0, 200) || 'no code'})`;
}

/** The same identity from an Ashby webhook: application events carry `data.application`. */
export function ashbyWebhookChange(body: unknown): ChangeIdentity | undefined {
	const app = obj(obj(obj(body).data).application);
	const id = idText(app.id);
	const version = timeVersion(app.updatedAt);
	if (!id || !version) return undefined;
	return { source: 'ashby', recordType: 'application', id, version };
}

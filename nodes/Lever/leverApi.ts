import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { asText, firstPath, getPath, isRecord } from '../core/json/path';
import { asNodeError, unexpectedAnswer } from '../shared/apiError';
import { vendorRequest } from '../shared/vendorRequest';
import { leverEvent } from './leverEvents';

/**
 * Lever's webhook subscription API (docs/nodes/leverTrigger.md, Lever developer documentation "Webhooks via
 * the API"), base `https://api.lever.co/v1`, HTTP Basic with the API key as user:
 *   GET /webhooks                -> { data: [{ id, url, event, configuration }], hasNext?, next? }
 *   POST /webhooks {url, event, configuration?} -> 201 { data: { id, ..., configuration: { signatureToken } } }
 *                                  (the docs' example nests it twice, data.data: both are read)
 *   DELETE /webhooks/:id         -> 204
 * One webhook per selected event; each has its own signature token, kept in workflow static data.
 */
export const LEVER_API_CREDENTIAL = 'leverApi';
export const LEVER_STORE_FIELD = 'leverWebhooks';

export interface StoredLeverWebhook {
	id: string;
	event: string;
	url: string;
	/** Signature token Lever returned at creation; signs `token + triggeredAt`. */
	token: string;
	/** Origins condition it was created with (empty: none). */
	origins: string[];
}

export interface LeverStore {
	webhooks: StoredLeverWebhook[];
}

export interface RemoteLeverWebhook {
	id: string;
	url?: string;
	event?: string;
}

export function readStore(staticData: IDataObject): LeverStore {
	const value = staticData[LEVER_STORE_FIELD];
	const webhooks = isRecord(value) && Array.isArray(value.webhooks) ? value.webhooks : [];
	return {
		webhooks: webhooks
			.filter(
				(w): w is StoredLeverWebhook =>
					isRecord(w) &&
					typeof w.id === 'string' &&
					typeof w.event === 'string' &&
					typeof w.token === 'string',
			)
			.map((w) => ({
				...w,
				url: String(w.url ?? ''),
				origins: Array.isArray(w.origins) ? w.origins.map(String) : [],
			})),
	};
}

export function writeStore(staticData: IDataObject, store: LeverStore): void {
	if (store.webhooks.length === 0) delete staticData[LEVER_STORE_FIELD];
	else staticData[LEVER_STORE_FIELD] = { webhooks: store.webhooks } as unknown as IDataObject;
}

/** Every signature token this trigger holds, for verification. */
export function storedTokens(staticData: IDataObject): string[] {
	return readStore(staticData).webhooks.map((w) => w.token);
}

export interface LeverWanted {
	url: string;
	events: string[];
	origins: string[];
}

/** Origins apply only to the events Lever documents them for. */
export function originsFor(event: string, origins: string[]): string[] {
	return origins.length > 0 && leverEvent(event)?.origins ? [...origins].sort() : [];
}

export interface LeverPlan {
	keep: StoredLeverWebhook[];
	/** Events that need a webhook created. */
	create: string[];
	/** Stored webhooks that are no longer wanted (event deselected, URL or origins changed). */
	remove: StoredLeverWebhook[];
	/** Webhooks at Lever pointing at our URL that we hold no token for (left over from an earlier activation). */
	orphans: RemoteLeverWebhook[];
}

/** What to do, from what is wanted, what we stored and what Lever lists. Pure. */
export function planLever(
	wanted: LeverWanted,
	store: LeverStore,
	remote: RemoteLeverWebhook[],
): LeverPlan {
	const remoteIds = new Set(remote.map((r) => r.id));
	const keep: StoredLeverWebhook[] = [];
	const remove: StoredLeverWebhook[] = [];
	const covered = new Set<string>();
	for (const stored of store.webhooks) {
		const origins = originsFor(stored.event, wanted.origins);
		const same =
			wanted.events.includes(stored.event) &&
			!covered.has(stored.event) &&
			stored.url === wanted.url &&
			stored.origins.join(',') === origins.join(',');
		if (same && remoteIds.has(stored.id)) {
			keep.push(stored);
			covered.add(stored.event);
		} else if (remoteIds.has(stored.id)) {
			remove.push(stored);
		}
		// Stored but gone at Lever: forget it (it was deleted on the Lever side).
	}
	const known = new Set([...keep, ...remove].map((w) => w.id));
	const orphans = remote.filter((r) => r.url === wanted.url && !known.has(r.id));
	const create = [...new Set(wanted.events)].filter((event) => !covered.has(event));
	return { keep, create, remove, orphans };
}

export function isSettled(plan: LeverPlan): boolean {
	return plan.create.length === 0 && plan.remove.length === 0 && plan.orphans.length === 0;
}

export function leverBaseUrl(credentials: IDataObject): string {
	const environment = String(credentials.environment ?? 'production');
	if (environment === 'sandbox') return 'https://api.sandbox.lever.co/v1';
	if (environment === 'custom') return String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	return 'https://api.lever.co/v1';
}

const api = { name: 'Lever', credential: LEVER_API_CREDENTIAL, baseUrl: leverBaseUrl };

function leverRequest(
	context: IHookFunctions,
	method: IHttpRequestMethods,
	path: string,
	action: string,
	extra: Pick<IHttpRequestOptions, 'body' | 'qs'> = {},
	hint = '',
): Promise<unknown> {
	return vendorRequest(context, api, method, path, action, extra, hint);
}

const MAX_PAGES = 50;

/** GET /webhooks, following Lever's `hasNext`/`next` pagination. */
export async function listLeverWebhooks(context: IHookFunctions): Promise<RemoteLeverWebhook[]> {
	const found: RemoteLeverWebhook[] = [];
	let offset: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const response = await leverRequest(context, 'GET', '/webhooks', 'listing webhooks', {
			qs: { limit: 100, ...(offset ? { offset } : {}) },
		});
		const data = getPath(response, 'data');
		const list = Array.isArray(data)
			? data
			: Array.isArray(getPath(data, 'data'))
				? (getPath(data, 'data') as unknown[])
				: [];
		for (const entry of list) {
			const id = asText(getPath(entry, 'id'));
			if (id)
				found.push({
					id,
					url: asText(getPath(entry, 'url')),
					event: asText(getPath(entry, 'event')),
				});
		}
		const next = asText(getPath(response, 'next'));
		if (getPath(response, 'hasNext') !== true || !next) break;
		offset = next;
	}
	return found;
}

/** Reads id and signature token from a POST /webhooks answer (single or double `data` nesting). */
export function readCreatedWebhook(response: unknown): { id?: string; token?: string } {
	const id = firstPath(response, ['data.data.id', 'data.id', 'id']);
	const token = firstPath(response, [
		'data.data.configuration.signatureToken',
		'data.configuration.signatureToken',
		'configuration.signatureToken',
		'data.signatureToken',
		'signatureToken',
	]);
	return { id: id ? asText(id.value) : undefined, token: token ? asText(token.value) : undefined };
}

export async function createLeverWebhook(
	context: IHookFunctions,
	url: string,
	event: string,
	origins: string[],
): Promise<StoredLeverWebhook> {
	const body: IDataObject = { url, event };
	if (origins.length > 0) body.configuration = { conditions: { origins } };
	const hint = url.startsWith('https://')
		? ''
		: 'Lever delivers only to public HTTPS URLs: set WEBHOOK_URL of your n8n to its https address.';
	const action = `creating the "${event}" webhook`;
	const response = await leverRequest(context, 'POST', '/webhooks', action, { body }, hint);
	const created = readCreatedWebhook(response);
	if (!created.id) throw unexpectedAnswer(context.getNode(), 'Lever', action, 'a webhook id');
	if (!created.token) {
		// Without its token no delivery of this webhook could be verified: remove it again.
		await deleteLeverWebhook(context, created.id).catch((error: Error) =>
			context.logger.warn(
				'Lever Trigger: could not remove a webhook created without signature token',
				{ error: error.message },
			),
		);
		throw unexpectedAnswer(
			context.getNode(),
			'Lever',
			action,
			'configuration.signatureToken (needed to verify deliveries)',
		);
	}
	return { id: created.id, event, url, token: created.token, origins };
}

/** DELETE /webhooks/:id; true when it is gone (404 counts as gone). */
export async function deleteLeverWebhook(context: IHookFunctions, id: string): Promise<boolean> {
	try {
		await leverRequest(
			context,
			'DELETE',
			`/webhooks/${encodeURIComponent(id)}`,
			'deleting a webhook',
		);
		return true;
	} catch (error) {
		if ((error as { httpCode?: string }).httpCode === '404') return true;
		throw asNodeError(context.getNode(), 'Lever', 'deleting a webhook', error);
	}
}

import { randomBytes } from 'node:crypto';
import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';
import { asText, isRecord, recordOrUndefined } from '../core/json/path';
import { asNodeError } from '../shared/apiError';
import { parseEventList } from '../shared/readSettings';
import { isManualRegistration } from '../shared/registration';
import { vendorRequest, type VendorApi } from '../shared/vendorRequest';

/**
 * Personio Webhooks Management API (API v2):
 * - `POST /v2/webhooks` {url, description, status, auth_type, token, enabled_events[]} → 201 with the
 *   webhook (https://developer.personio.de/reference/post_v2-webhooks; status defaults to DISABLED,
 *   so ENABLED is sent; auth_type TOKEN: "The callback will include this exact value in the
 *   Authorization header"); 409 conflict, 422 unprocessable;
 * - `GET /v2/webhooks` (limit ≤ 200, cursor) and `GET /v2/webhooks/{id}`
 *   (https://developer.personio.de/reference/get_v2-webhooks, /reference/get_v2-webhooks-id);
 * - `DELETE /v2/webhooks/{id}` → 204, 404 when unknown (https://developer.personio.de/reference/delete_v2-webhooks-id).
 * Scopes personio:webhooks:read / :write. The node generates the token and keeps it in static data.
 * UNCONFIRMED: the answer envelopes (the webhook at the top level, or under `_data` / `data`; the list
 * as an array or under `_data` / `data`, the next cursor in `_meta.links.next.href`): all are read.
 */
export const PERSONIO_CREDENTIAL = 'personioApi';

export const PERSONIO_API: VendorApi = {
	name: 'Personio',
	credential: PERSONIO_CREDENTIAL,
	baseUrl: (c) =>
		(typeof c.baseUrl === 'string' && c.baseUrl ? c.baseUrl : 'https://api.personio.de').replace(
			/\/+$/,
			'',
		),
};

/** What the trigger keeps in static data about the webhook it created. */
export interface PersonioStore {
	webhookId?: string;
	token?: string;
	/** The token of the webhook this one replaced, accepted for deliveries already under way. */
	previousToken?: string;
	url?: string;
	events?: string[];
}

export interface RemoteWebhook {
	id: string;
	url: string;
	events: string[];
	status?: string;
}

export function readPersonioStore(staticData: IDataObject): PersonioStore {
	const store = isRecord(staticData.personio) ? staticData.personio : {};
	return {
		webhookId: asText(store.webhookId),
		token: asText(store.token),
		previousToken: asText(store.previousToken),
		url: asText(store.url),
		events: Array.isArray(store.events) ? store.events.map(String) : undefined,
	};
}

/** The tokens deliveries may carry (automatic registration). */
export function storedPersonioTokens(staticData: IDataObject): string[] {
	const store = readPersonioStore(staticData);
	return [store.token, store.previousToken].filter((t): t is string => Boolean(t));
}

/** A webhook object from any of the envelopes Personio may use. */
export function readRemoteWebhook(value: unknown): RemoteWebhook | undefined {
	const candidates = [value, recordOrUndefined(value)?._data, recordOrUndefined(value)?.data];
	for (const candidate of candidates) {
		if (!isRecord(candidate)) continue;
		const id = asText(candidate.id);
		if (!id) continue;
		return {
			id,
			url: asText(candidate.url) ?? '',
			events: Array.isArray(candidate.enabled_events)
				? candidate.enabled_events.map((e) => String(e).toLowerCase())
				: [],
			status: asText(candidate.status),
		};
	}
	return undefined;
}

function listOf(answer: unknown): unknown[] {
	if (Array.isArray(answer)) return answer;
	const record = recordOrUndefined(answer);
	if (Array.isArray(record?._data)) return record._data;
	if (Array.isArray(record?.data)) return record.data;
	return [];
}

function nextCursor(answer: unknown): string | undefined {
	const meta = recordOrUndefined(recordOrUndefined(answer)?._meta);
	const href = asText(recordOrUndefined(recordOrUndefined(meta?.links)?.next)?.href);
	if (href) {
		try {
			return new URL(href, 'https://api.personio.de').searchParams.get('cursor') ?? undefined;
		} catch {
			return undefined;
		}
	}
	return asText(meta?.next_cursor);
}

const HINT = 'The Personio API credential needs the scopes personio:webhooks:read and :write.';

async function call(
	context: IHookFunctions,
	method: 'GET' | 'POST' | 'DELETE',
	path: string,
	action: string,
	extra: { body?: IDataObject; qs?: IDataObject } = {},
): Promise<unknown> {
	return vendorRequest(context, PERSONIO_API, method, path, action, extra, HINT);
}

const is404 = (error: unknown) =>
	String((error as { httpCode?: unknown }).httpCode ?? '') === '404';

export async function listPersonioWebhooks(context: IHookFunctions): Promise<RemoteWebhook[]> {
	const out: RemoteWebhook[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < 20; page++) {
		const answer = await call(context, 'GET', '/v2/webhooks', 'listing webhooks', {
			qs: cursor ? { limit: 200, cursor } : { limit: 200 },
		});
		for (const item of listOf(answer)) {
			const hook = readRemoteWebhook(item);
			if (hook) out.push(hook);
		}
		cursor = nextCursor(answer);
		if (!cursor) break;
	}
	return out;
}

/** DELETE one webhook; 404 counts as gone. */
export async function deletePersonioWebhook(context: IHookFunctions, id: string): Promise<void> {
	try {
		await call(context, 'DELETE', `/v2/webhooks/${encodeURIComponent(id)}`, 'deleting a webhook');
	} catch (error) {
		if (is404(error)) return;
		throw asNodeError(context.getNode(), 'Personio', 'deleting a webhook', error);
	}
}

function wanted(context: IHookFunctions): { url: string; events: string[] } {
	return {
		url: context.getNodeWebhookUrl('default') ?? '',
		events: parseEventList(context.getNodeParameter('events', [])).map((e) => e.toLowerCase()),
	};
}

const sameEvents = (a: string[], b: string[]) =>
	a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Personio is the truth: the stored webhook must still exist there, enabled, for this URL and these events. */
export async function personioCheckExists(this: IHookFunctions): Promise<boolean> {
	if (isManualRegistration(this)) return true;
	const store = readPersonioStore(this.getWorkflowStaticData('node') as IDataObject);
	if (!store.webhookId || !store.token) return false;
	let remote: RemoteWebhook | undefined;
	try {
		remote = readRemoteWebhook(
			await call(
				this,
				'GET',
				`/v2/webhooks/${encodeURIComponent(store.webhookId)}`,
				'reading the webhook',
			),
		);
	} catch (error) {
		if (is404(error)) return false;
		throw asNodeError(this.getNode(), 'Personio', 'reading the webhook', error);
	}
	const want = wanted(this);
	return (
		remote !== undefined &&
		remote.url === want.url &&
		sameEvents(remote.events, want.events) &&
		(remote.status === undefined || remote.status.toUpperCase() === 'ENABLED')
	);
}

export async function personioCreate(this: IHookFunctions): Promise<boolean> {
	if (isManualRegistration(this)) return true;
	const want = wanted(this);
	if (!want.url)
		throw new NodeOperationError(
			this.getNode(),
			'n8n has no production URL for this trigger yet; save the workflow and publish it again.',
		);
	if (want.events.length === 0)
		throw new NodeOperationError(
			this.getNode(),
			'Select at least one Personio event to subscribe to.',
		);
	const staticData = this.getWorkflowStaticData('node') as IDataObject;
	const old = readPersonioStore(staticData);
	// One webhook per trigger: remove ours and any leftover for this URL (its token may be lost).
	const stale = (await listPersonioWebhooks(this)).filter(
		(w) => w.url === want.url || w.id === old.webhookId,
	);
	for (const hook of stale) await deletePersonioWebhook(this, hook.id);

	const token = `n8n_${randomBytes(32).toString('base64url')}`;
	const answer = await call(this, 'POST', '/v2/webhooks', 'creating the webhook', {
		body: {
			url: want.url,
			description: `n8n: ${this.getWorkflow().name ?? this.getWorkflow().id ?? 'workflow'}`.slice(
				0,
				200,
			),
			status: 'ENABLED',
			auth_type: 'TOKEN',
			token,
			enabled_events: want.events,
		},
	});
	const created = readRemoteWebhook(answer);
	if (!created) {
		// A webhook without a known id could never be deleted by unpublishing: remove what this call made.
		try {
			for (const hook of (await listPersonioWebhooks(this)).filter((w) => w.url === want.url))
				await deletePersonioWebhook(this, hook.id);
		} catch (error) {
			this.logger.warn('Personio Trigger: could not roll back a webhook created without an id', {
				error: (error as Error).message,
			});
		}
		throw new NodeOperationError(
			this.getNode(),
			'Personio created no usable webhook (no id in its answer); nothing was kept. Try publishing again.',
		);
	}
	staticData.personio = {
		webhookId: created.id,
		token,
		...(old.token ? { previousToken: old.token } : {}),
		url: want.url,
		events: want.events,
	};
	return true;
}

export async function personioDelete(this: IHookFunctions): Promise<boolean> {
	if (isManualRegistration(this)) return true;
	const staticData = this.getWorkflowStaticData('node') as IDataObject;
	const store = readPersonioStore(staticData);
	if (store.webhookId) await deletePersonioWebhook(this, store.webhookId);
	delete staticData.personio;
	return true;
}

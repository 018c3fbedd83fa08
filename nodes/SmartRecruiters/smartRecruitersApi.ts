import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { asText, getPath, isRecord } from '../core/json/path';
import { asNodeError, statusOf, unexpectedAnswer } from '../shared/apiError';
import { vendorRequest } from '../shared/vendorRequest';

/**
 * SmartRecruiters Webhooks Subscription API (docs/nodes/smartRecruitersTrigger.md; developers.smartrecruiters.com
 * "Creating webhook subscriptions", "Activating webhook subscriptions", reference
 * subscriptionsactivate-1 and subscriptionsgeneratesecretkey-1), base
 * `https://api.smartrecruiters.com/webhooks-api/v201907`, header `X-SmartToken: <API key>`:
 *   POST   /subscriptions {callbackUrl, events, alertEmailAddress?} -> {id, callbackUrl, events:[{name,version}], status:"inactive"}
 *   GET    /subscriptions/{id}               -> the same shape
 *   POST   /subscriptions/{id}/secret-key    -> the new key (path and answer field UNCONFIRMED; several field names are read)
 *   PUT    /subscriptions/{id}/activation    -> SmartRecruiters POSTs X-Hook-Secret to the callback, then answers 204
 *   DELETE /subscriptions/{id}
 *   GET    /subscriptions                    -> list (shape UNCONFIRMED; only used to clean up leftovers, best effort)
 */
export const SR_API_CREDENTIAL = 'smartRecruitersApi';
export const SR_STORE_FIELD = 'smartRecruitersSubscriptions';
export const WEBHOOKS_API_PATH = '/webhooks-api/v201907';

export interface StoredSubscription {
	id: string;
	url: string;
	events: string[];
	/** Secret keys generated for this subscription (signing `smartrecruiters-signature`). */
	secretKeys: string[];
}

export interface SrStore {
	subscriptions: StoredSubscription[];
}

export interface RemoteSubscription {
	id: string;
	exists: boolean;
	status?: string;
	url?: string;
	events?: string[];
}

const strings = (value: unknown): string[] =>
	Array.isArray(value) ? value.map((v) => asText(v)).filter((v): v is string => !!v) : [];

export function readSrStore(staticData: IDataObject): SrStore {
	const value = staticData[SR_STORE_FIELD];
	const list = isRecord(value) && Array.isArray(value.subscriptions) ? value.subscriptions : [];
	return {
		subscriptions: list
			.filter((s): s is Record<string, unknown> => isRecord(s) && typeof s.id === 'string')
			.map((s) => ({
				id: s.id as string,
				url: String(s.url ?? ''),
				events: strings(s.events),
				secretKeys: strings(s.secretKeys),
			})),
	};
}

export function writeSrStore(staticData: IDataObject, store: SrStore): void {
	if (store.subscriptions.length === 0) delete staticData[SR_STORE_FIELD];
	else
		staticData[SR_STORE_FIELD] = { subscriptions: store.subscriptions } as unknown as IDataObject;
}

export function storedSecretKeys(staticData: IDataObject): string[] {
	return readSrStore(staticData).subscriptions.flatMap((s) => s.secretKeys);
}

/** A subscription as SmartRecruiters returns it (events as `{name, version}` or plain names). */
export function readRemoteSubscription(
	value: unknown,
	fallbackId?: string,
): RemoteSubscription | undefined {
	const id = asText(getPath(value, 'id')) ?? fallbackId;
	if (!id) return undefined;
	const events = getPath(value, 'events');
	return {
		id,
		exists: true,
		status: asText(getPath(value, 'status'))?.toLowerCase(),
		url: asText(getPath(value, 'callbackUrl')),
		events: Array.isArray(events)
			? events.map((e) => asText(isRecord(e) ? e.name : e)).filter((e): e is string => !!e)
			: undefined,
	};
}

export interface SrWanted {
	url: string;
	events: string[];
}

export interface SrPlan {
	keep: StoredSubscription[];
	/** Kept, but SmartRecruiters shows them inactive: activate again. */
	reactivate: StoredSubscription[];
	remove: StoredSubscription[];
	orphans: RemoteSubscription[];
	/** Events no kept subscription covers. */
	create: string[];
}

const sameSet = (a: string[], b: string[]) =>
	a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** Pure: what to do from what is wanted, stored, and seen at SmartRecruiters. */
export function planSmartRecruiters(
	wanted: SrWanted,
	store: SrStore,
	remote: Map<string, RemoteSubscription>,
	listed: RemoteSubscription[] = [],
): SrPlan {
	const keep: StoredSubscription[] = [];
	const reactivate: StoredSubscription[] = [];
	const remove: StoredSubscription[] = [];
	const covered = new Set<string>();
	for (const stored of store.subscriptions) {
		const seen = remote.get(stored.id);
		if (!seen?.exists) continue; // deleted at SmartRecruiters: forget it, it is re-created below
		const good =
			stored.url === wanted.url &&
			(seen.url === undefined || seen.url === wanted.url) &&
			stored.events.every((e) => wanted.events.includes(e) && !covered.has(e)) &&
			(seen.events === undefined || sameSet(seen.events, stored.events)) &&
			stored.secretKeys.length > 0;
		if (!good) {
			remove.push(stored);
			continue;
		}
		keep.push(stored);
		stored.events.forEach((e) => covered.add(e));
		if (seen.status !== undefined && seen.status !== 'active') reactivate.push(stored);
	}
	const known = new Set(store.subscriptions.map((s) => s.id));
	const orphans = listed.filter((s) => s.url === wanted.url && !known.has(s.id));
	const create = [...new Set(wanted.events)].filter((e) => !covered.has(e));
	return { keep, reactivate, remove, orphans, create };
}

export function isSrSettled(plan: SrPlan): boolean {
	return (
		plan.create.length === 0 &&
		plan.remove.length === 0 &&
		plan.reactivate.length === 0 &&
		plan.orphans.length === 0
	);
}

export function smartRecruitersBaseUrl(credentials: IDataObject): string {
	const custom = String(credentials.environment ?? 'production') === 'custom';
	const root = custom
		? String(credentials.baseUrl ?? '').replace(/\/+$/, '')
		: 'https://api.smartrecruiters.com';
	return `${root}${WEBHOOKS_API_PATH}`;
}

const api = {
	name: 'SmartRecruiters',
	credential: SR_API_CREDENTIAL,
	baseUrl: smartRecruitersBaseUrl,
};

function srRequest(
	context: IHookFunctions,
	method: IHttpRequestMethods,
	path: string,
	action: string,
	extra: Pick<IHttpRequestOptions, 'body' | 'qs'> = {},
	hint = '',
): Promise<unknown> {
	return vendorRequest(context, api, method, path, action, extra, hint);
}

const subscriptionPath = (id: string, suffix = '') =>
	`/subscriptions/${encodeURIComponent(id)}${suffix}`;

export async function getSubscription(
	context: IHookFunctions,
	id: string,
): Promise<RemoteSubscription> {
	try {
		const response = await srRequest(
			context,
			'GET',
			subscriptionPath(id),
			'reading the webhook subscription',
		);
		return readRemoteSubscription(response, id) ?? { id, exists: true };
	} catch (error) {
		if (statusOf(error) === 404) return { id, exists: false };
		throw asNodeError(
			context.getNode(),
			'SmartRecruiters',
			'reading the webhook subscription',
			error,
		);
	}
}

/** Best effort: the list is only used to remove leftovers; a failure is logged, not fatal. */
export async function listSubscriptions(context: IHookFunctions): Promise<RemoteSubscription[]> {
	try {
		const response = await srRequest(
			context,
			'GET',
			'/subscriptions',
			'listing webhook subscriptions',
			{ qs: { limit: 100 } },
		);
		const list = [
			response,
			getPath(response, 'content'),
			getPath(response, 'data'),
			getPath(response, 'subscriptions'),
			getPath(response, 'items'),
		].find(Array.isArray);
		return (list ?? [])
			.map((entry) => readRemoteSubscription(entry))
			.filter((s): s is RemoteSubscription => !!s);
	} catch (error) {
		context.logger.warn(
			'SmartRecruiters Trigger: could not list subscriptions to clean up leftovers',
			{ error: (error as Error).message },
		);
		return [];
	}
}

export async function createSubscription(
	context: IHookFunctions,
	url: string,
	events: string[],
	alertEmailAddress: string,
): Promise<string> {
	const body: IDataObject = { callbackUrl: url, events };
	if (alertEmailAddress) body.alertEmailAddress = alertEmailAddress;
	const action = `creating a webhook subscription for ${events.join(', ')}`;
	const hint = url.startsWith('https://')
		? 'Check the event names.'
		: 'Check the event names, and that the callback URL is public HTTPS (set WEBHOOK_URL of your n8n).';
	const response = await srRequest(context, 'POST', '/subscriptions', action, { body }, hint);
	const id = asText(getPath(response, 'id'));
	if (!id)
		throw unexpectedAnswer(context.getNode(), 'SmartRecruiters', action, 'a subscription id');
	return id;
}

/** Reads the generated key from the answer; the field name is UNCONFIRMED, so several are tried. */
export function readSecretKey(response: unknown): string | undefined {
	if (typeof response === 'string') return response.trim() || undefined;
	for (const path of [
		'secretKey',
		'secret',
		'key',
		'value',
		'data.secretKey',
		'data.secret',
		'data.key',
	]) {
		const found = asText(getPath(response, path));
		if (found) return found;
	}
	return undefined;
}

export async function generateSecretKey(context: IHookFunctions, id: string): Promise<string> {
	const action = "generating the subscription's secret key";
	const response = await srRequest(context, 'POST', subscriptionPath(id, '/secret-key'), action);
	const key = readSecretKey(response);
	if (!key)
		throw unexpectedAnswer(
			context.getNode(),
			'SmartRecruiters',
			action,
			'a secret key (needed to verify callbacks)',
		);
	return key;
}

export async function activateSubscription(
	context: IHookFunctions,
	id: string,
	url: string,
): Promise<void> {
	await srRequest(
		context,
		'PUT',
		subscriptionPath(id, '/activation'),
		'activating the webhook subscription',
		{},
		`SmartRecruiters could not complete the X-Hook-Secret handshake with ${url}: make sure this URL is reachable from the internet.`,
	);
}

/** True when the subscription is gone (404 counts as gone). */
export async function deleteSubscription(context: IHookFunctions, id: string): Promise<boolean> {
	try {
		await srRequest(context, 'DELETE', subscriptionPath(id), 'deleting a webhook subscription');
		return true;
	} catch (error) {
		if (statusOf(error) === 404) return true;
		throw asNodeError(
			context.getNode(),
			'SmartRecruiters',
			'deleting a webhook subscription',
			error,
		);
	}
}

import { asNodeError } from '../shared/apiError';
import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';
import { asText, isRecord } from '../core/json/path';
import { parseEventList } from '../shared/readSettings';
import { isManualRegistration } from '../shared/registration';
import { vendorRequest, type VendorApi } from '../shared/vendorRequest';

/**
 * Breezy HR webhook management API (developer.breezy.hr/reference/webhook-management-api):
 * `POST /v3/company/{company_id}/webhook_endpoints` with `{ url, description, events[] }` answers the
 * endpoint with its `secret` (shown once); `GET` lists them, `DELETE .../webhook_endpoints/{id}`
 * removes one. Header `Authorization: <api token>`. One endpoint carries every selected event.
 * UNCONFIRMED: the endpoint's id field (`_id`, as in Breezy's other objects, or `id`): both are read.
 */
export const BREEZY_CREDENTIAL = 'breezyHrApi';

export const BREEZY_API: VendorApi = {
	name: 'Breezy HR',
	credential: BREEZY_CREDENTIAL,
	baseUrl: (c) =>
		c.useCustomBaseUrl && typeof c.baseUrl === 'string' && c.baseUrl
			? c.baseUrl.replace(/\/+$/, '')
			: 'https://api.breezy.hr/v3',
};

/** What the trigger keeps in its static data about the endpoint it created. */
export interface BreezyStore {
	endpointId?: string;
	secret?: string;
	url?: string;
	events?: string[];
}

export interface RemoteEndpoint {
	id: string;
	url: string;
	events: string[];
}

export function readBreezyStore(staticData: IDataObject): BreezyStore {
	const store = isRecord(staticData.breezy) ? staticData.breezy : {};
	return {
		endpointId: asText(store.endpointId),
		secret: asText(store.secret),
		url: asText(store.url),
		events: Array.isArray(store.events) ? store.events.map(String) : undefined,
	};
}

/** The secret Breezy gave the endpoint this trigger created (automatic registration). */
export function storedBreezySecrets(staticData: IDataObject): string[] {
	const secret = readBreezyStore(staticData).secret;
	return secret ? [secret] : [];
}

export function readRemoteEndpoint(value: unknown): RemoteEndpoint | undefined {
	if (!isRecord(value)) return undefined;
	const id = asText(value._id) ?? asText(value.id);
	const url = asText(value.url);
	if (!id || !url) return undefined;
	return { id, url, events: Array.isArray(value.events) ? value.events.map(String) : [] };
}

function companyPath(context: IHookFunctions, credentials: IDataObject): string {
	const company = asText(credentials.companyId)?.trim();
	if (!company)
		throw new NodeOperationError(context.getNode(), 'The Breezy HR credential has no Company ID.');
	return `/company/${encodeURIComponent(company)}/webhook_endpoints`;
}

async function request(
	context: IHookFunctions,
	method: 'GET' | 'POST' | 'DELETE',
	suffix: string,
	action: string,
	body?: IDataObject,
): Promise<unknown> {
	const credentials = await context.getCredentials(BREEZY_CREDENTIAL);
	return vendorRequest(
		context,
		BREEZY_API,
		method,
		`${companyPath(context, credentials)}${suffix}`,
		action,
		body ? { body } : {},
		"Webhook endpoints need Breezy HR's Pro plan.",
	);
}

export async function listBreezyEndpoints(context: IHookFunctions): Promise<RemoteEndpoint[]> {
	const answer = await request(context, 'GET', '', 'listing webhook endpoints');
	const list = Array.isArray(answer)
		? answer
		: isRecord(answer) && Array.isArray(answer.data)
			? answer.data
			: [];
	return list.map(readRemoteEndpoint).filter((e): e is RemoteEndpoint => e !== undefined);
}

/** DELETE one endpoint; true when it is gone (404 counts as gone). */
export async function deleteBreezyEndpoint(context: IHookFunctions, id: string): Promise<boolean> {
	try {
		await request(context, 'DELETE', `/${encodeURIComponent(id)}`, 'deleting a webhook endpoint');
		return true;
	} catch (error) {
		if ((error as { httpCode?: string }).httpCode === '404') return true;
		throw asNodeError(context.getNode(), 'Breezy HR', 'deleting a webhook endpoint', error);
	}
}

function wanted(context: IHookFunctions): { url: string; events: string[] } {
	return {
		url: context.getNodeWebhookUrl('default') ?? '',
		events: parseEventList(context.getNodeParameter('events', [])),
	};
}

const sameEvents = (a: string[], b: string[]) =>
	a.length === b.length && [...a].sort().join() === [...b].sort().join();

export async function breezyCheckExists(this: IHookFunctions): Promise<boolean> {
	if (isManualRegistration(this)) return true;
	const store = readBreezyStore(this.getWorkflowStaticData('node') as IDataObject);
	if (!store.endpointId || !store.secret) return false;
	const want = wanted(this);
	const remote = (await listBreezyEndpoints(this)).find((e) => e.id === store.endpointId);
	return remote !== undefined && remote.url === want.url && sameEvents(remote.events, want.events);
}

export async function breezyCreate(this: IHookFunctions): Promise<boolean> {
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
			'Select at least one Breezy HR event to subscribe to.',
		);
	const staticData = this.getWorkflowStaticData('node') as IDataObject;
	// One endpoint per trigger: remove ours and any other endpoint already pointing at this URL.
	const stale = (await listBreezyEndpoints(this)).filter(
		(e) => e.url === want.url || e.id === readBreezyStore(staticData).endpointId,
	);
	for (const endpoint of stale) await deleteBreezyEndpoint(this, endpoint.id);
	delete staticData.breezy;

	const answer = await request(this, 'POST', '', 'creating the webhook endpoint', {
		url: want.url,
		description: `n8n: ${this.getWorkflow().name ?? this.getWorkflow().id ?? 'workflow'}`.slice(
			0,
			200,
		),
		events: want.events,
	});
	const data = isRecord(answer) && isRecord(answer.data) ? answer.data : answer;
	const created = readRemoteEndpoint(data);
	const secret = isRecord(data) ? asText(data.secret) : undefined;
	if (!created || !secret) {
		// Without the secret no delivery could be verified: leave nothing half set up.
		if (created) {
			await deleteBreezyEndpoint(this, created.id).catch((error: Error) =>
				this.logger.warn(
					'Breezy HR Trigger: could not roll back a webhook endpoint created without a secret',
					{ endpointId: created.id, error: error.message },
				),
			);
		}
		throw new NodeOperationError(
			this.getNode(),
			'Breezy HR created no usable webhook endpoint (no id or no secret in its answer); nothing was kept. Try publishing again.',
		);
	}
	staticData.breezy = { endpointId: created.id, secret, url: want.url, events: want.events };
	return true;
}

export async function breezyDelete(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node') as IDataObject;
	if (isManualRegistration(this)) return true;
	const store = readBreezyStore(staticData);
	if (store.endpointId) await deleteBreezyEndpoint(this, store.endpointId);
	delete staticData.breezy;
	return true;
}

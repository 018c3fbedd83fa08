import { randomBytes } from 'node:crypto';
import { NodeApiError, type IDataObject, type IHookFunctions, type JsonObject } from 'n8n-workflow';
import { asText, isRecord } from '../core/json/path';
import { asNodeError } from '../shared/apiError';
import { vendorResponse } from '../shared/vendorRequest';

/**
 * Ashby webhook registration (developers.ashbyhq.com/reference/webhookcreate, webhookinfo,
 * webhookdelete; /docs/responses; docs/nodes/ashbyTrigger.md). All calls are POST with a JSON body and HTTP
 * Basic auth (API key as user name). "What would be 4XX errors will return 200 with success being
 * false" and an `errorInfo` (older responses: `errors`), so both the status and the body are read.
 *
 * Static data (node scope), as n8n's GithubTrigger keeps it: `webhookIds` (type → id),
 * `webhookSecret` (generated here, handed to Ashby as secretToken, used by webhook() to verify) and
 * `webhookUrl` (the URL the webhooks point at).
 */
export const ASHBY_CREDENTIAL = 'ashbyApi';
export const ASHBY_DEFAULT_BASE_URL = 'https://api.ashbyhq.com';

export interface AshbyStaticData {
	webhookIds?: Record<string, string>;
	webhookSecret?: string;
	webhookUrl?: string;
}

export type AshbyOutcome =
	| { ok: true; results: Record<string, unknown> }
	| {
			ok: false;
			kind: 'auth' | 'not_found' | 'api' | 'http' | 'network';
			status?: number;
			code?: string;
			message: string;
	  };

export function ashbyBaseUrl(credentials: IDataObject): string {
	const custom =
		credentials.useCustomBaseUrl === true && typeof credentials.baseUrl === 'string'
			? credentials.baseUrl.trim()
			: '';
	return (custom || ASHBY_DEFAULT_BASE_URL).replace(/\/+$/, '');
}

const NOT_FOUND = /not[\s_-]?found|does not exist|no such/i;

/** Read one Ashby answer: HTTP status first, then `success` / `errorInfo` / `errors`. */
export function interpretAshbyResponse(status: number, body: unknown): AshbyOutcome {
	const json = isRecord(body) ? body : {};
	const info = isRecord(json.errorInfo) ? json.errorInfo : undefined;
	const errors = Array.isArray(json.errors)
		? json.errors
				.map((e) => asText(e) ?? (isRecord(e) ? asText(e.message) : undefined))
				.filter(Boolean)
		: [];
	const code = asText(info?.code) ?? (errors.length ? asText(errors[0]) : undefined);
	const message = (asText(info?.message) ?? errors.join('; ')) || asText(json.message) || '';
	if (status === 401 || status === 403) return { ok: false, kind: 'auth', status, code, message };
	if (status === 404) return { ok: false, kind: 'not_found', status, code, message };
	if (status < 200 || status >= 300) return { ok: false, kind: 'http', status, code, message };
	if (json.success === false) {
		const kind = NOT_FOUND.test(`${code ?? ''} ${message}`) ? 'not_found' : 'api';
		return { ok: false, kind, status, code, message };
	}
	return { ok: true, results: isRecord(json.results) ? json.results : {} };
}

const ashbyApi = { name: 'Ashby', credential: ASHBY_CREDENTIAL, baseUrl: ashbyBaseUrl };

export async function callAshby(
	context: IHookFunctions,
	endpoint: string,
	body: IDataObject,
): Promise<AshbyOutcome> {
	const response = await vendorResponse(context, ashbyApi, 'POST', `/${endpoint}`, body);
	if (response.networkError !== undefined) {
		return { ok: false, kind: 'network', message: response.networkError };
	}
	return interpretAshbyResponse(response.statusCode, response.body);
}

/** A message that says what went wrong and what to do. Never holds the API key or the secret. */
export function ashbyErrorMessage(
	outcome: Extract<AshbyOutcome, { ok: false }>,
	what: string,
): string {
	const detail = [
		outcome.message,
		outcome.code && !outcome.message.includes(outcome.code) ? `(${outcome.code})` : '',
	]
		.filter(Boolean)
		.join(' ');
	const permission = /permission|scope|forbidden|unauthori[sz]ed/i.test(
		`${outcome.code ?? ''} ${outcome.message}`,
	);
	switch (outcome.kind) {
		case 'auth':
			return outcome.status === 403
				? `Ashby refused to ${what} (403): give the API key the apiKeysRead and apiKeysWrite permissions (Ashby → Admin → API Keys).`
				: `Ashby rejected the API key (401) when trying to ${what}: check the key in the Ashby credential is correct and still active.`;
		case 'network':
			return `Could not reach Ashby to ${what}: ${outcome.message}`;
		case 'http':
			return `Ashby answered HTTP ${outcome.status} when trying to ${what}${detail ? `: ${detail}` : ''}.`;
		default:
			return `Ashby could not ${what}${detail ? `: ${detail}` : ''}.${permission ? ' Check that the API key has the apiKeysWrite permission (it is needed to create webhooks).' : ''}`;
	}
}

function fail(
	context: IHookFunctions,
	outcome: Extract<AshbyOutcome, { ok: false }>,
	what: string,
): NodeApiError {
	const message = ashbyErrorMessage(outcome, what);
	return new NodeApiError(
		context.getNode(),
		{
			kind: outcome.kind,
			status: outcome.status ?? null,
			code: outcome.code ?? null,
		} as JsonObject,
		{
			message,
			description: outcome.message || undefined,
			httpCode: outcome.status ? String(outcome.status) : undefined,
		},
	);
}

/** `api`: the trigger creates its webhooks; `manual`: the user made them in Ashby with a secret from the credential. */
export function registrationOf(context: IHookFunctions): 'api' | 'manual' {
	return context.getNodeParameter('registration', 'api') === 'manual' ? 'manual' : 'api';
}

function selectedTypes(context: IHookFunctions): string[] {
	const value = context.getNodeParameter('events', []) as unknown;
	const list = Array.isArray(value) ? value.map(String) : [];
	return [...new Set(list.filter(Boolean))].sort();
}

function staticData(context: IHookFunctions): AshbyStaticData {
	return context.getWorkflowStaticData('node') as AshbyStaticData;
}

/**
 * true when every selected type has a stored webhook that Ashby still knows, enabled, pointing at this
 * URL. Anything else (deleted in Ashby, disabled after a failed ping, other URL or events) gives
 * false, and n8n then calls create().
 */
export async function ashbyCheckExists(this: IHookFunctions): Promise<boolean> {
	if (registrationOf(this) === 'manual') return true;
	const data = staticData(this);
	const url = this.getNodeWebhookUrl('default');
	const wanted = selectedTypes(this);
	const ids = data.webhookIds ?? {};
	if (
		!data.webhookSecret ||
		wanted.length === 0 ||
		Object.keys(ids).sort().join() !== wanted.join()
	)
		return false;
	for (const type of wanted) {
		const info = await callAshby(this, 'webhook.info', { webhookId: ids[type] });
		if (!info.ok) {
			if (info.kind === 'auth' || info.kind === 'network')
				throw fail(this, info, `read the ${type} webhook`);
			this.logger.debug(
				`Ashby Trigger: stored ${type} webhook not usable (${info.kind}); it will be created again`,
			);
			return false;
		}
		const { requestUrl, webhookType, enabled } = info.results;
		if (requestUrl !== url || webhookType !== type || enabled === false) return false;
	}
	return true;
}

/**
 * Removes what an earlier activation left, then creates one webhook per selected type, all with one
 * new secret. On any failure the webhooks created so far are deleted again and the error says what
 * to do; nothing half-made is left in Ashby.
 */
export async function ashbyCreate(this: IHookFunctions): Promise<boolean> {
	if (registrationOf(this) === 'manual') return true;
	const data = staticData(this);
	const url = this.getNodeWebhookUrl('default');
	const wanted = selectedTypes(this);
	if (!url)
		throw new NodeApiError(
			this.getNode(),
			{},
			{ message: 'n8n has no URL for this trigger yet; save the workflow and try again.' },
		);
	if (wanted.length === 0)
		throw new NodeApiError(
			this.getNode(),
			{},
			{
				message:
					'Select at least one Ashby event: the trigger creates one Ashby webhook per event.',
			},
		);

	await removeStoredWebhooks(this, data);

	const secret = randomBytes(32).toString('hex');
	const created: Record<string, string> = {};
	try {
		for (const type of wanted) {
			const outcome = await callAshby(this, 'webhook.create', {
				webhookType: type,
				requestUrl: url,
				secretToken: secret,
			});
			if (!outcome.ok) throw fail(this, outcome, `create the ${type} webhook`);
			const id = asText(outcome.results.id);
			if (!id)
				throw new NodeApiError(
					this.getNode(),
					{},
					{
						message: `Ashby created the ${type} webhook but returned no id; delete it in Ashby → Admin → Webhooks and publish again.`,
					},
				);
			created[type] = id;
			// Ashby creates a webhook disabled when its ping fails (developers.ashbyhq.com/docs/setting-up-webhooks).
			if (outcome.results.enabled === false) await enableWebhook(this, type, id);
		}
	} catch (error) {
		const rollback = { webhookIds: created };
		await removeStoredWebhooks(this, rollback);
		throw asNodeError(this.getNode(), 'Ashby', 'creating the webhooks', error);
	}
	data.webhookIds = created;
	data.webhookSecret = secret;
	data.webhookUrl = url;
	return true;
}

async function enableWebhook(context: IHookFunctions, type: string, id: string): Promise<void> {
	const outcome = await callAshby(context, 'webhook.update', { webhookId: id, enabled: true });
	if (!outcome.ok)
		context.logger.warn(
			`Ashby Trigger: the ${type} webhook was created disabled (its ping failed) and could not be enabled: ${ashbyErrorMessage(outcome, 'enable it')}`,
		);
}

/** Deletes the stored webhooks; a webhook Ashby no longer knows counts as deleted. */
export async function ashbyDelete(this: IHookFunctions): Promise<boolean> {
	const data = staticData(this);
	// Manual registration: nothing of ours in Ashby, unless an earlier automatic setup left some.
	if (registrationOf(this) === 'manual' && Object.keys(data.webhookIds ?? {}).length === 0)
		return true;
	const removedAll = await removeStoredWebhooks(this, data);
	if (removedAll) {
		delete data.webhookIds;
		delete data.webhookSecret;
		delete data.webhookUrl;
	}
	return removedAll;
}

async function removeStoredWebhooks(
	context: IHookFunctions,
	data: AshbyStaticData,
): Promise<boolean> {
	const ids = data.webhookIds ?? {};
	let removedAll = true;
	for (const [type, id] of Object.entries(ids)) {
		const outcome = await callAshby(context, 'webhook.delete', { webhookId: id });
		if (outcome.ok || outcome.kind === 'not_found') {
			delete ids[type];
		} else {
			removedAll = false;
			context.logger.warn(
				`Ashby Trigger: ${ashbyErrorMessage(outcome, `delete the ${type} webhook ${id}`)} Delete it in Ashby → Admin → Webhooks if it is still there.`,
			);
		}
	}
	return removedAll;
}

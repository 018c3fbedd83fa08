import {
	NodeApiError,
	type IDataObject,
	type IHookFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type INodePropertyOptions,
	type JsonObject,
} from 'n8n-workflow';
import { asText, isRecord } from '../core/json/path';
import { asNodeError } from '../shared/apiError';
import { vendorResponse } from '../shared/vendorRequest';
import { WORKABLE_EVENT_MAP } from './workableEvents';
import { workableTarget } from './workableSource';

/**
 * Workable subscriptions (workable.readme.io/reference/webhook-subscriptions; docs/nodes/workableTrigger.md;
 * the same calls n8n's own WorkableTrigger makes): `POST /spi/v3/subscriptions`
 * `{target, event, args?: {account_id, job_shortcode, stage_slug}}` → `{id}`; duplicate target →
 * 409; `GET /spi/v3/subscriptions` → `{subscriptions: [{id, event, target, ...}]}`;
 * `DELETE /spi/v3/subscriptions/:id`. Bearer token. Employee events take no args.
 *
 * Static data (node scope): `subscriptionIds` (event → id) and `webhookUrl`.
 */
export const WORKABLE_CREDENTIAL = 'workableAtsApi';

export interface WorkableStaticData {
	subscriptionIds?: Record<string, string>;
	webhookUrl?: string;
}

type Context = IHookFunctions | ILoadOptionsFunctions;

export type WorkableOutcome =
	| { ok: true; status: number; body: unknown }
	| {
			ok: false;
			kind: 'auth' | 'forbidden' | 'not_found' | 'conflict' | 'invalid' | 'http' | 'network';
			status?: number;
			message: string;
	  };

/** `acme`, `acme.workable.com` and `https://acme.workable.com/` all give `acme`. */
export function normaliseSubdomain(value: unknown): string {
	return String(value ?? '')
		.trim()
		.replace(/^https?:\/\//i, '')
		.replace(/\.workable\.com.*$/i, '')
		.replace(/\/.*$/, '');
}

export function workableBaseUrl(credentials: IDataObject): string {
	const custom =
		credentials.useCustomBaseUrl === true && typeof credentials.baseUrl === 'string'
			? credentials.baseUrl.trim()
			: '';
	return (
		custom || `https://${normaliseSubdomain(credentials.subdomain)}.workable.com/spi/v3`
	).replace(/\/+$/, '');
}

export function interpretWorkableResponse(status: number, body: unknown): WorkableOutcome {
	if (status >= 200 && status < 300) return { ok: true, status, body };
	const json = isRecord(body) ? body : {};
	const message =
		asText(json.error) ??
		asText(json.message) ??
		(typeof body === 'string' ? body.slice(0, 300) : '');
	const kind =
		status === 401
			? 'auth'
			: status === 403
				? 'forbidden'
				: status === 404
					? 'not_found'
					: status === 409
						? 'conflict'
						: status === 422 || status === 400
							? 'invalid'
							: 'http';
	return { ok: false, kind, status, message };
}

const workableApi = { name: 'Workable', credential: WORKABLE_CREDENTIAL, baseUrl: workableBaseUrl };

export async function callWorkable(
	context: Context,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
): Promise<WorkableOutcome> {
	const response = await vendorResponse(context, workableApi, method, path, body);
	if (response.networkError !== undefined) {
		return { ok: false, kind: 'network', message: response.networkError };
	}
	return interpretWorkableResponse(response.statusCode, response.body);
}

/** A message that says what went wrong and what to do. Never holds the token. */
export function workableErrorMessage(
	outcome: Extract<WorkableOutcome, { ok: false }>,
	what: string,
): string {
	const detail = outcome.message ? `: ${outcome.message}` : '';
	switch (outcome.kind) {
		case 'auth':
			return `Workable rejected the access token (401) when trying to ${what}: check the subdomain and the token in the Workable credential.`;
		case 'forbidden':
			return `Workable refused to ${what} (403): the access token needs the r_candidates scope (r_employees for employee events).`;
		case 'invalid':
			return `Workable refused to ${what} (HTTP ${outcome.status})${detail}. Check the job shortcode and stage slug (employee events take no job or stage).`;
		case 'network':
			return `Could not reach Workable to ${what}: ${outcome.message}`;
		default:
			return `Workable answered HTTP ${outcome.status} when trying to ${what}${detail}.`;
	}
}

function fail(
	context: Context,
	outcome: Extract<WorkableOutcome, { ok: false }>,
	what: string,
): NodeApiError {
	return new NodeApiError(
		context.getNode(),
		{ kind: outcome.kind, status: outcome.status ?? null } as JsonObject,
		{
			message: workableErrorMessage(outcome, what),
			description: outcome.message || undefined,
			httpCode: outcome.status ? String(outcome.status) : undefined,
		},
	);
}

interface Subscription {
	id: string;
	event?: string;
	target?: string;
	jobShortcode?: string | null;
	stageSlug?: string | null;
}

async function listSubscriptions(context: IHookFunctions): Promise<Subscription[]> {
	const outcome = await callWorkable(context, 'GET', '/subscriptions');
	if (!outcome.ok) throw fail(context, outcome, 'list its webhook subscriptions');
	const body = outcome.body;
	const list =
		isRecord(body) && Array.isArray(body.subscriptions)
			? body.subscriptions
			: Array.isArray(body)
				? body
				: [];
	return list.filter(isRecord).flatMap((s) => {
		const id = asText(s.id);
		if (!id) return [];
		const filter = (key: string) => (key in s ? (asText(s[key]) ?? '') : undefined);
		return [
			{
				id,
				event: asText(s.event),
				target: asText(s.target),
				jobShortcode: filter('job_shortcode'),
				stageSlug: filter('stage_slug'),
			},
		];
	});
}

interface Wanted {
	event: string;
	target: string;
	args?: { account_id: string; job_shortcode: string; stage_slug: string };
}

async function wantedSubscriptions(context: IHookFunctions): Promise<Wanted[]> {
	const url = context.getNodeWebhookUrl('default');
	if (!url)
		throw new NodeApiError(
			context.getNode(),
			{},
			{ message: 'n8n has no URL for this trigger yet; save the workflow and try again.' },
		);
	const value = context.getNodeParameter('events', []) as unknown;
	const events = [
		...new Set((Array.isArray(value) ? value.map(String) : []).filter(Boolean)),
	].sort();
	const credentials = await context.getCredentials(WORKABLE_CREDENTIAL);
	const job = String(context.getNodeParameter('jobShortcode', '') ?? '').trim();
	const stage = String(context.getNodeParameter('stageSlug', '') ?? '').trim();
	return events.map((event) => ({
		event,
		target: workableTarget(url, event),
		// "If the args object is present, job_shortcode and stage_slug are required" ("" = all);
		// "the employee related events do not use it".
		...(WORKABLE_EVENT_MAP.get(event)?.candidate === false
			? {}
			: {
					args: {
						account_id: normaliseSubdomain(credentials.subdomain),
						job_shortcode: job,
						stage_slug: stage,
					},
				}),
	}));
}

/** `api`: the trigger subscribes itself; `manual`: the subscriptions were made outside n8n. */
export function registrationOf(context: IHookFunctions): 'api' | 'manual' {
	return context.getNodeParameter('registration', 'api') === 'manual' ? 'manual' : 'api';
}

function staticData(context: IHookFunctions): WorkableStaticData {
	return context.getWorkflowStaticData('node') as WorkableStaticData;
}

/**
 * true when Workable lists a subscription for every selected event at this trigger's target (with
 * the same job and stage filter where Workable reports them). Their ids are stored for delete().
 */
export async function workableCheckExists(this: IHookFunctions): Promise<boolean> {
	if (registrationOf(this) === 'manual') return true;
	const wanted = await wantedSubscriptions(this);
	if (wanted.length === 0) return false;
	const existing = await listSubscriptions(this);
	const found: Record<string, string> = {};
	for (const w of wanted) {
		const match = existing.find(
			(s) => s.target === w.target && (s.event === undefined || s.event === w.event),
		);
		if (!match) return false;
		if (w.args && match.jobShortcode !== undefined && match.jobShortcode !== w.args.job_shortcode)
			return false;
		if (w.args && match.stageSlug !== undefined && match.stageSlug !== w.args.stage_slug)
			return false;
		found[w.event] = match.id;
	}
	const data = staticData(this);
	data.subscriptionIds = found;
	data.webhookUrl = this.getNodeWebhookUrl('default');
	return true;
}

/**
 * Subscribes once per selected event. A target Workable already knows (409: an old subscription with
 * other filters) is deleted and subscribed again. On failure the subscriptions made so far are
 * removed and the error says what to do.
 */
export async function workableCreate(this: IHookFunctions): Promise<boolean> {
	if (registrationOf(this) === 'manual') return true;
	const wanted = await wantedSubscriptions(this);
	if (wanted.length === 0)
		throw new NodeApiError(
			this.getNode(),
			{},
			{ message: 'Select at least one Workable event: the trigger subscribes once per event.' },
		);
	const data = staticData(this);
	await removeSubscriptions(this, data.subscriptionIds ?? {});

	const created: Record<string, string> = {};
	try {
		for (const w of wanted) {
			const body: IDataObject = {
				target: w.target,
				event: w.event,
				...(w.args ? { args: w.args } : {}),
			};
			let outcome = await callWorkable(this, 'POST', '/subscriptions', body);
			if (!outcome.ok && outcome.kind === 'conflict') {
				const stale = (await listSubscriptions(this)).filter((s) => s.target === w.target);
				await removeSubscriptions(
					this,
					Object.fromEntries(stale.map((s, i) => [`${w.event}#${i}`, s.id])),
				);
				outcome = await callWorkable(this, 'POST', '/subscriptions', body);
			}
			if (!outcome.ok) throw fail(this, outcome, `subscribe to ${w.event}`);
			const id = isRecord(outcome.body) ? asText(outcome.body.id) : undefined;
			if (!id)
				throw new NodeApiError(
					this.getNode(),
					{},
					{
						message: `Workable accepted the ${w.event} subscription but returned no id; delete it in Workable and publish again.`,
					},
				);
			created[w.event] = id;
		}
	} catch (error) {
		await removeSubscriptions(this, { ...created });
		throw asNodeError(this.getNode(), 'Workable', 'creating the subscriptions', error);
	}
	data.subscriptionIds = created;
	data.webhookUrl = this.getNodeWebhookUrl('default');
	return true;
}

/** Unsubscribes the stored subscriptions; one Workable no longer knows counts as removed. */
export async function workableDelete(this: IHookFunctions): Promise<boolean> {
	const data = staticData(this);
	const ids = data.subscriptionIds ?? {};
	// Manual registration: nothing of ours in Workable, unless an earlier automatic setup left some.
	if (registrationOf(this) === 'manual' && Object.keys(ids).length === 0) return true;
	const removedAll = await removeSubscriptions(this, ids);
	if (removedAll) {
		delete data.subscriptionIds;
		delete data.webhookUrl;
	}
	return removedAll;
}

async function removeSubscriptions(
	context: IHookFunctions,
	ids: Record<string, string>,
): Promise<boolean> {
	let removedAll = true;
	for (const [event, id] of Object.entries(ids)) {
		const outcome = await callWorkable(
			context,
			'DELETE',
			`/subscriptions/${encodeURIComponent(id)}`,
		);
		if (outcome.ok || outcome.kind === 'not_found') {
			delete ids[event];
		} else {
			removedAll = false;
			context.logger.warn(
				`Workable Trigger: ${workableErrorMessage(outcome, `delete subscription ${id} (${event})`)} Remove it in Workable if it is still there.`,
			);
		}
	}
	return removedAll;
}

/** Jobs for the Job dropdown (GET /jobs, `{jobs: [{shortcode, title, state}]}`). */
export async function getWorkableJobs(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const outcome = await callWorkable(this, 'GET', '/jobs?limit=100');
	if (!outcome.ok) throw fail(this, outcome, 'list jobs');
	const jobs =
		isRecord(outcome.body) && Array.isArray(outcome.body.jobs)
			? outcome.body.jobs.filter(isRecord)
			: [];
	const options = jobs.flatMap((job) => {
		const shortcode = asText(job.shortcode);
		if (!shortcode) return [];
		const state = asText(job.state);
		return [
			{ name: `${asText(job.title) ?? shortcode}${state ? ` (${state})` : ''}`, value: shortcode },
		];
	});
	return [{ name: 'All Jobs', value: '' }, ...options.sort((a, b) => a.name.localeCompare(b.name))];
}

/** Stages for the Stage dropdown (GET /stages, `{stages: [{slug, name, position}]}`). */
export async function getWorkableStages(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const outcome = await callWorkable(this, 'GET', '/stages');
	if (!outcome.ok) throw fail(this, outcome, 'list stages');
	const stages =
		isRecord(outcome.body) && Array.isArray(outcome.body.stages)
			? outcome.body.stages.filter(isRecord)
			: [];
	const options = stages.flatMap((stage) => {
		const slug = asText(stage.slug);
		return slug ? [{ name: asText(stage.name) ?? slug, value: slug }] : [];
	});
	return [{ name: 'All Stages', value: '' }, ...options];
}

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mock } from 'jest-mock-extended';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	Logger,
	Workflow,
} from 'n8n-workflow';

/**
 * Local fakes of the vendor APIs the Ashby and Workable triggers call, on 127.0.0.1 with an
 * ephemeral port, each written from the vendor's documented contract (cited per endpoint), plus a
 * mocked IHookFunctions whose httpRequestWithAuthentication applies the credential class's own
 * `authenticate` block (as n8n does) and really sends the request. So a test proves the credential's
 * auth, the node's method, path and body, and its reading of the vendor's answers.
 */

export interface RecordedRequest {
	method: string;
	path: string;
	authorization?: string;
	body: unknown;
}

interface Reply {
	status: number;
	body: unknown;
}

export abstract class FakeServer {
	readonly requests: RecordedRequest[] = [];
	private server?: Server;
	private readonly queued = new Map<string, Reply[]>();
	port = 0;

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.receive(req, res));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.port = (this.server!.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	/** The next request to `METHOD /path` gets this answer instead of the normal one (an outage, a refusal). */
	failNext(method: string, path: string, reply: Reply): void {
		const key = `${method} ${path}`;
		this.queued.set(key, [...(this.queued.get(key) ?? []), reply]);
	}

	calls(method: string, pathPrefix: string): RecordedRequest[] {
		return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
	}

	protected abstract handle(
		method: string,
		path: string,
		body: unknown,
		authorization: string | undefined,
	): Promise<Reply> | Reply;

	private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		let body: unknown = raw;
		try {
			body = raw ? JSON.parse(raw) : undefined;
		} catch {
			body = raw;
		}
		const method = req.method ?? 'GET';
		const path = req.url ?? '/';
		const authorization = req.headers.authorization;
		this.requests.push({ method, path, authorization, body });
		const queued = this.queued.get(`${method} ${path.split('?')[0]}`);
		const reply = queued?.length
			? queued.shift()!
			: await this.handle(method, path, body, authorization);
		res.writeHead(reply.status, { 'content-type': 'application/json' });
		res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
	}
}

/* ------------------------------------------------------------------------------------------------
 * Ashby (https://api.ashbyhq.com). Contract: developers.ashbyhq.com/reference/webhookcreate,
 * /reference/webhookinfo, /reference/webhookupdate, /reference/webhookdelete, /reference/apikeyinfo,
 * /docs/responses, /docs/setting-up-webhooks; docs/nodes/ashbyTrigger.md.
 *  - every endpoint is POST with a JSON body; HTTP Basic auth, API key as user name, blank password;
 *  - "What would be 4XX errors will return 200 with success being false" + errorInfo {code, message};
 *    a missing or unknown key is answered 401 here (the one case modelled as an HTTP error);
 *  - webhook.create {webhookType, requestUrl, secretToken} (all required, apiKeysWrite) →
 *    {success, results: {id, enabled, requestUrl, secretToken, webhookType}};
 *  - on create Ashby pings the URL; "any code >400" → the webhook is created disabled.
 * ---------------------------------------------------------------------------------------------- */
export const ASHBY_WEBHOOK_TYPES = [
	'applicationSubmit',
	'applicationUpdate',
	'candidateHire',
	'candidateStageChange',
	'candidateDelete',
	'candidateMerge',
	'interviewPlanTransition',
	'interviewScheduleCreate',
	'interviewScheduleUpdate',
	'jobPostingUpdate',
	'jobPostingPublish',
	'jobPostingUnpublish',
	'offerCreate',
	'offerUpdate',
	'offerDelete',
	'pushToHRIS',
	'surveySubmit',
];

export interface AshbyWebhook {
	id: string;
	webhookType: string;
	requestUrl: string;
	secretToken: string;
	enabled: boolean;
}

export class FakeAshby extends FakeServer {
	readonly webhooks = new Map<string, AshbyWebhook>();
	/** API keys and their permissions. */
	readonly keys = new Map<string, string[]>([['ashby-key', ['apiKeysRead', 'apiKeysWrite']]]);
	/** Called like Ashby's ping on create/edit; returns the HTTP status the receiver answered. */
	ping?: (webhook: AshbyWebhook) => Promise<number>;

	/** Someone deletes the webhook in Ashby's UI. */
	deleteRemotely(id: string): void {
		this.webhooks.delete(id);
	}

	protected async handle(
		method: string,
		path: string,
		body: unknown,
		authorization: string | undefined,
	): Promise<Reply> {
		const key = basicUser(authorization);
		if (key === undefined || !this.keys.has(key)) {
			return {
				status: 401,
				body: {
					success: false,
					errorInfo: { code: 'unauthenticated', message: 'Invalid API key' },
				},
			};
		}
		if (method !== 'POST')
			return {
				status: 404,
				body: { success: false, errorInfo: { code: 'not_found', message: 'Use POST' } },
			};
		const permissions = this.keys.get(key)!;
		const input = (body ?? {}) as Record<string, unknown>;
		const error = (code: string, message: string): Reply => ({
			status: 200,
			body: { success: false, errorInfo: { code, message, requestId: randomUUID() } },
		});
		const needs = (permission: string) =>
			permissions.includes(permission)
				? undefined
				: error('missing_permission', `The API key is missing the ${permission} permission`);
		const found = () => this.webhooks.get(String(input.webhookId));
		switch (path) {
			case '/apiKey.info':
				return (
					needs('apiKeysRead') ?? {
						status: 200,
						body: {
							success: true,
							results: { title: 'n8n', createdAt: '2026-01-01T00:00:00.000Z', scopes: permissions },
						},
					}
				);
			case '/webhook.create': {
				const denied = needs('apiKeysWrite');
				if (denied) return denied;
				if (!ASHBY_WEBHOOK_TYPES.includes(String(input.webhookType)))
					return error('invalid_input', 'webhookType is invalid');
				if (typeof input.requestUrl !== 'string' || !input.requestUrl)
					return error('invalid_input', 'requestUrl is required');
				if (typeof input.secretToken !== 'string' || !input.secretToken)
					return error('invalid_input', 'secretToken is required');
				const webhook: AshbyWebhook = {
					id: randomUUID(),
					webhookType: String(input.webhookType),
					requestUrl: input.requestUrl,
					secretToken: input.secretToken,
					enabled: true,
				};
				if (this.ping) webhook.enabled = (await this.ping(webhook)) <= 400;
				this.webhooks.set(webhook.id, webhook);
				return { status: 200, body: { success: true, results: { ...webhook } } };
			}
			case '/webhook.info': {
				const webhook = found();
				if (!webhook) return error('webhook_not_found', 'Webhook not found');
				const { secretToken: _secret, ...visible } = webhook;
				return needs('apiKeysRead') ?? { status: 200, body: { success: true, results: visible } };
			}
			case '/webhook.update': {
				const webhook = found();
				if (!webhook) return error('webhook_not_found', 'Webhook not found');
				if (typeof input.enabled === 'boolean') webhook.enabled = input.enabled;
				return (
					needs('apiKeysWrite') ?? { status: 200, body: { success: true, results: { ...webhook } } }
				);
			}
			case '/webhook.delete': {
				const denied = needs('apiKeysWrite');
				if (denied) return denied;
				if (!found()) return error('webhook_not_found', 'Webhook not found');
				this.webhooks.delete(String(input.webhookId));
				return { status: 200, body: { success: true, results: { webhookId: input.webhookId } } };
			}
			default:
				return {
					status: 404,
					body: {
						success: false,
						errorInfo: { code: 'not_found', message: `No endpoint ${path}` },
					},
				};
		}
	}
}

/* ------------------------------------------------------------------------------------------------
 * Workable (https://{subdomain}.workable.com/spi/v3). Contract: workable.readme.io/reference/
 * webhook-subscriptions (POST), /webhook-subscriptions-candidates-employees, /jobs, /stages;
 * docs/nodes/workableTrigger.md; the shapes n8n's WorkableTrigger and Botpress' Workable integration rely on.
 *  - `Authorization: Bearer <token>`; scope r_candidates for candidate events, r_employees for
 *    employee events;
 *  - POST /subscriptions {target, event, args?}: "If the args object is present, job_shortcode and
 *    stage_slug are required" (account_id too); employee events do not take args (422 here);
 *    "The target URLs should be unique. If a target URL is already registered ... 409 - Conflict";
 *    answer {id} (a number);
 *  - GET /subscriptions → {subscriptions: [{id, event, target, job_shortcode, stage_slug, created_at}]};
 *  - DELETE /subscriptions/:id.
 * ---------------------------------------------------------------------------------------------- */
export const WORKABLE_CANDIDATE_EVENTS = [
	'candidate_created',
	'candidate_moved',
	'candidate_deleted',
];
export const WORKABLE_EMPLOYEE_EVENTS = [
	'employee_created',
	'employee_updated',
	'employee_published',
	'onboarding_completed',
	'timeoff_updated',
];

export interface WorkableSubscription {
	id: number;
	event: string;
	target: string;
	job_shortcode: string | null;
	stage_slug: string | null;
	created_at: string;
}

export class FakeWorkable extends FakeServer {
	readonly subscriptions = new Map<number, WorkableSubscription>();
	readonly tokens = new Map<string, string[]>([
		['wk-token', ['r_candidates', 'r_employees', 'r_jobs']],
	]);
	subdomain = 'acme';
	private nextId = 1000;

	get baseUrl(): string {
		return `${this.url}/spi/v3`;
	}

	deleteRemotely(id: number | string): void {
		this.subscriptions.delete(Number(id));
	}

	protected handle(
		method: string,
		fullPath: string,
		body: unknown,
		authorization: string | undefined,
	): Reply {
		const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
		if (!token || !this.tokens.has(token))
			return { status: 401, body: { error: 'Not authorized' } };
		const scopes = this.tokens.get(token)!;
		const [path] = fullPath.split('?');
		if (!path.startsWith('/spi/v3/')) return { status: 404, body: { error: 'Not found' } };
		const route = path.slice('/spi/v3'.length);
		if (method === 'GET' && route === '/subscriptions')
			return { status: 200, body: { subscriptions: [...this.subscriptions.values()] } };
		if (method === 'GET' && route === '/jobs') {
			return {
				status: 200,
				body: {
					jobs: [
						{ id: '61884e2', title: 'Sales Intern', shortcode: 'GROOV005', state: 'published' },
						{ id: '61884e3', title: 'Office Manager', shortcode: 'GROOV003', state: 'draft' },
					],
					paging: {},
				},
			};
		}
		if (method === 'GET' && route === '/stages') {
			return {
				status: 200,
				body: {
					stages: [
						{ slug: 'sourced', name: 'Sourced', kind: 'sourced', position: 0 },
						{ slug: 'interview', name: 'Interview', kind: 'interview', position: 3 },
						{ slug: 'hired', name: 'Hired', kind: 'hired', position: 6 },
					],
				},
			};
		}
		if (method === 'POST' && route === '/subscriptions') {
			const input = (body ?? {}) as Record<string, unknown>;
			const event = String(input.event ?? '');
			const candidateEvent = WORKABLE_CANDIDATE_EVENTS.includes(event);
			if (!candidateEvent && !WORKABLE_EMPLOYEE_EVENTS.includes(event))
				return { status: 422, body: { error: `Unknown event ${event}` } };
			if (!scopes.includes(candidateEvent ? 'r_candidates' : 'r_employees'))
				return { status: 403, body: { error: 'Insufficient scope' } };
			if (typeof input.target !== 'string' || !/^https?:\/\//.test(input.target))
				return { status: 422, body: { error: 'target is invalid' } };
			let job: string | null = null;
			let stage: string | null = null;
			if (input.args !== undefined) {
				if (!candidateEvent)
					return { status: 422, body: { error: 'args are not supported for employee events' } };
				const args = input.args as Record<string, unknown>;
				if (args.account_id !== this.subdomain)
					return { status: 422, body: { error: 'account_id must be the account subdomain' } };
				if (typeof args.job_shortcode !== 'string' || typeof args.stage_slug !== 'string')
					return { status: 422, body: { error: 'job_shortcode and stage_slug are required' } };
				job = args.job_shortcode;
				stage = args.stage_slug;
			}
			if ([...this.subscriptions.values()].some((s) => s.target === input.target))
				return { status: 409, body: { error: 'Conflict' } };
			const subscription: WorkableSubscription = {
				id: this.nextId++,
				event,
				target: input.target,
				job_shortcode: job,
				stage_slug: stage,
				created_at: new Date().toISOString(),
			};
			this.subscriptions.set(subscription.id, subscription);
			return { status: 201, body: { id: subscription.id } };
		}
		const match = /^\/subscriptions\/(\d+)$/.exec(route);
		if (method === 'DELETE' && match) {
			if (!this.subscriptions.delete(Number(match[1])))
				return { status: 404, body: { error: 'Not found' } };
			return { status: 200, body: {} };
		}
		return { status: 404, body: { error: 'Not found' } };
	}
}

function basicUser(authorization: string | undefined): string | undefined {
	const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	return colon < 0 ? undefined : decoded.slice(0, colon);
}

/* ------------------------------------------------------------------------------------------------
 * n8n's request helpers, for hook and load-options contexts.
 * ---------------------------------------------------------------------------------------------- */

/** Resolve `={{$credentials.x}}`, `=Bearer {{$credentials.x}}` and `={{ js expression }}` against a credential. */
export function resolveCredentialExpression(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const template = value.slice(1);
	const whole = /^\{\{([\s\S]+)\}\}$/.exec(template);
	const evaluate = (expr: string) =>
		new Function('$credentials', `return (${expr});`)(credentials) as unknown;
	if (whole) return evaluate(whole[1]);
	return template.replace(/\{\{([\s\S]+?)\}\}/g, (_m, expr: string) => String(evaluate(expr)));
}

export interface HttpResult {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
}

/** Send a request the way n8n's httpRequest does for the options our nodes use. */
export async function sendRequest(options: IHttpRequestOptions): Promise<HttpResult | unknown> {
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(options.headers ?? {})) headers[k] = String(v);
	if (options.auth)
		headers.Authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
	let payload: string | undefined;
	if (options.body !== undefined && options.body !== null) {
		payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
		headers['Content-Type'] ??= 'application/json';
	}
	// axios (behind n8n's httpRequest) joins baseURL and a relative url as strings, keeping the base path.
	const absolute = /^[a-z][a-z\d+.-]*:\/\//i.test(options.url);
	const url = new URL(
		absolute || !options.baseURL
			? options.url
			: `${options.baseURL.replace(/\/+$/, '')}/${options.url.replace(/^\/+/, '')}`,
	);
	for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
	const response = await fetch(url, {
		method: options.method ?? 'GET',
		headers,
		body: payload,
		redirect: 'manual',
	});
	const text = await response.text();
	let body: unknown = text;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = text;
	}
	if (!options.ignoreHttpStatusErrors && (response.status < 200 || response.status >= 300)) {
		const error = new Error(`Request failed with status code ${response.status}`) as Error & {
			httpCode: string;
		};
		error.httpCode = String(response.status);
		throw error;
	}
	if (options.returnFullResponse)
		return {
			statusCode: response.status,
			headers: Object.fromEntries(response.headers.entries()),
			body,
		};
	return body;
}

/** n8n's httpRequestWithAuthentication: the credential type's generic `authenticate`, then the request. */
export async function requestWithCredential(
	type: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): Promise<unknown> {
	const auth = type.authenticate;
	const withAuth: IHttpRequestOptions = { ...options, headers: { ...(options.headers ?? {}) } };
	if (auth && typeof auth === 'object' && auth.type === 'generic') {
		const props = auth.properties;
		if (props.auth) {
			withAuth.auth = {
				username: String(resolveCredentialExpression(props.auth.username, credentials)),
				password: String(resolveCredentialExpression(props.auth.password, credentials)),
			};
		}
		for (const [k, v] of Object.entries(props.headers ?? {}))
			withAuth.headers![k] = resolveCredentialExpression(v, credentials) as string;
		if (props.qs)
			withAuth.qs = {
				...(withAuth.qs ?? {}),
				...Object.fromEntries(
					Object.entries(props.qs).map(([k, v]) => [
						k,
						resolveCredentialExpression(v, credentials),
					]),
				),
			} as never;
	}
	return sendRequest(withAuth);
}

/** Run a credential type's `test` request against its (fake) API, with its rules, as n8n's credential test does. */
export async function testCredential(
	type: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const test = type.test!;
	const request = test.request;
	const baseURL = String(resolveCredentialExpression(request.baseURL, credentials));
	let result: HttpResult;
	try {
		result = (await requestWithCredential(type, credentials, {
			url: request.url ?? '',
			baseURL,
			method: request.method ?? 'GET',
			body: request.body as never,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as HttpResult;
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	if (result.statusCode < 200 || result.statusCode >= 300)
		return { status: 'Error', message: `HTTP ${result.statusCode}` };
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const { key, value, message } = rule.properties as {
				key: string;
				value: unknown;
				message: string;
			};
			if ((result.body as Record<string, unknown>)?.[key] === value)
				return { status: 'Error', message };
		}
	}
	return { status: 'OK', message: 'Connection successful' };
}

export interface HookContextOptions {
	credentialName: string;
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
	parameters: Record<string, unknown>;
	staticData?: Record<string, unknown>;
	webhookUrl?: string;
}

export interface HookContext {
	context: IHookFunctions & ILoadOptionsFunctions;
	staticData: Record<string, unknown>;
	logs: Array<{ level: string; message: string }>;
}

/** A mocked IHookFunctions (also usable as ILoadOptionsFunctions) wired to a fake vendor API. */
export function hookContext(options: HookContextOptions): HookContext {
	const staticData = options.staticData ?? {};
	const logs: HookContext['logs'] = [];
	const logger = Object.fromEntries(
		['debug', 'info', 'warn', 'error'].map((level) => [
			level,
			(message: string) => logs.push({ level, message }),
		]),
	) as unknown as Logger;
	const helpers = {
		httpRequestWithAuthentication: async (name: string, request: IHttpRequestOptions) => {
			if (name !== options.credentialName)
				throw new Error(`Node does not have credentials of type ${name}`);
			return requestWithCredential(options.credentialType, options.credentials, request);
		},
	};
	const context = mock<IHookFunctions & ILoadOptionsFunctions>({
		logger,
		helpers: helpers as never,
	});
	context.getNode.mockReturnValue({
		id: 'node-1',
		name: 'Trigger',
		type: 'test',
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
	} as INode);
	context.getWorkflow.mockReturnValue({ id: 'wf-1' } as Workflow);
	context.getNodeWebhookUrl.mockImplementation(
		() => options.webhookUrl ?? 'https://n8n.example.com/webhook/abc123/webhook',
	);
	context.getWorkflowStaticData.mockReturnValue(staticData as never);
	context.getNodeParameter.mockImplementation(((name: string, fallback?: unknown) =>
		name in options.parameters ? options.parameters[name] : fallback) as never);
	context.getCredentials.mockImplementation((async (type: string) => {
		if (type !== options.credentialName)
			throw new Error(`Node does not have credentials of type ${type}`);
		return options.credentials;
	}) as never);
	return { context, staticData, logs };
}

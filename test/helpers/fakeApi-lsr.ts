import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { mock } from 'jest-mock-extended';
import { httpRequestWithAuthentication } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers/authentication';
import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHookFunctions,
	IHttpRequestOptions,
	INode,
	Logger,
	Workflow,
} from 'n8n-workflow';
import { getParam } from './webhookContext';

/**
 * Local fakes of the Lever and SmartRecruiters webhook APIs (127.0.0.1, ephemeral port), written
 * from the vendors' documented contracts, plus a mocked IHookFunctions whose
 * `helpers.httpRequestWithAuthentication` is n8n's real one (n8n-core), authenticating with the
 * credential class's own `authenticate` block. So the requests, the auth headers and the errors
 * (NodeApiError around an axios error) are the ones n8n produces.
 *
 * Lever: https://hire.lever.co/developer/documentation "Webhooks via the API" (docs/nodes/leverTrigger.md):
 *   Basic auth (API key as user, empty password); GET /v1/webhooks -> {data:[…], hasNext, next};
 *   POST /v1/webhooks {url, event, configuration?} -> 201 {data:{data:{id, event, url, configuration:{signatureToken}}}};
 *   DELETE /v1/webhooks/:id -> 204; errors {code, message} ("Responses and Errors").
 * SmartRecruiters: developers.smartrecruiters.com "Creating/Activating webhook subscriptions",
 *   reference subscriptionsactivate-1 / subscriptionsgeneratesecretkey-1 (docs/nodes/smartRecruitersTrigger.md):
 *   header X-SmartToken; POST /webhooks-api/v201907/subscriptions -> 201 {id, callbackUrl, events:[{name,version}], status:"inactive"};
 *   POST …/{id}/secret-key; PUT …/{id}/activation -> POST X-Hook-Secret to the callback, expect 200 + the same header, then 204;
 *   DELETE …/{id} -> 204.
 */

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	body: unknown;
}

interface Failure {
	method: string;
	path: RegExp;
	status: number;
	body: unknown;
	times: number;
}

abstract class FakeServer {
	readonly requests: RecordedRequest[] = [];
	private readonly failures: Failure[] = [];
	private server?: http.Server;
	baseUrl = '';

	/** The next `times` matching requests get `status` with `body` (a vendor error). */
	fail(method: string, path: RegExp, status: number, body: unknown, times = 1): void {
		this.failures.push({ method, path, status, body, times });
	}

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			let raw = '';
			req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
			req.on('end', () => {
				const url = new URL(req.url ?? '/', 'http://127.0.0.1');
				let body: unknown;
				try {
					body = raw ? JSON.parse(raw) : undefined;
				} catch {
					body = raw;
				}
				const recorded: RecordedRequest = {
					method: req.method ?? 'GET',
					path: url.pathname,
					query: Object.fromEntries(url.searchParams),
					headers: req.headers,
					body,
				};
				this.requests.push(recorded);
				const send = (status: number, payload?: unknown): void => {
					res.statusCode = status;
					if (payload !== undefined) res.setHeader('content-type', 'application/json');
					res.end(payload === undefined ? undefined : JSON.stringify(payload));
				};
				const failure = this.failures.find(
					(f) => f.times > 0 && f.method === recorded.method && f.path.test(recorded.path),
				);
				if (failure) {
					failure.times--;
					send(failure.status, failure.body);
					return;
				}
				this.handle(recorded)
					.then(([status, payload]) => send(status, payload))
					.catch((error: Error) => send(500, { message: error.message }));
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
		this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
	}

	calls(method: string, path?: RegExp): RecordedRequest[] {
		return this.requests.filter((r) => r.method === method && (!path || path.test(r.path)));
	}

	protected abstract handle(request: RecordedRequest): Promise<[number, unknown?]>;
}

export const LEVER_EVENT_NAMES = [
	'applicationCreated',
	'candidateHired',
	'candidateStageChange',
	'candidateArchiveChange',
	'candidateDeleted',
	'interviewCreated',
	'interviewUpdated',
	'interviewDeleted',
	'contactCreated',
	'contactUpdated',
];

export interface FakeLeverWebhook {
	id: string;
	url: string;
	event: string;
	createdAt: number;
	updatedAt: number;
	configuration: { signatureToken: string; conditions?: { origins: string[] } };
}

export class FakeLever extends FakeServer {
	readonly webhooks = new Map<string, FakeLeverWebhook>();

	constructor(
		readonly apiKey = 'lever-test-key',
		private readonly options: { pageSize?: number; nesting?: 'double' | 'single' } = {},
	) {
		super();
	}

	/** The API root the credential points at (…/v1). */
	get apiRoot(): string {
		return `${this.baseUrl}/v1`;
	}

	protected async handle(req: RecordedRequest): Promise<[number, unknown?]> {
		const expected = `Basic ${Buffer.from(`${this.apiKey}:`).toString('base64')}`;
		if (req.headers.authorization !== expected)
			return [
				401,
				{ code: 'Unauthorized', message: 'A valid API key was not provided with the request.' },
			];
		if (req.method === 'GET' && req.path === '/v1/webhooks') {
			const all = [...this.webhooks.values()].map(({ configuration, ...rest }) => ({
				...rest,
				configuration: configuration.conditions ? { conditions: configuration.conditions } : {},
			}));
			const limit = Math.min(Number(req.query.limit ?? 100), this.options.pageSize ?? 100);
			const start = Number(req.query.offset ?? 0);
			const page = all.slice(start, start + limit);
			const hasNext = start + limit < all.length;
			return [200, { data: page, hasNext, ...(hasNext ? { next: String(start + limit) } : {}) }];
		}
		if (req.method === 'POST' && req.path === '/v1/webhooks') {
			const body = (req.body ?? {}) as {
				url?: string;
				event?: string;
				configuration?: { conditions?: { origins: string[] } };
			};
			if (!body.url || !body.event || !LEVER_EVENT_NAMES.includes(body.event)) {
				return [
					400,
					{
						code: 'BadRequest',
						message: `Invalid webhook: url and one of the available events are required`,
					},
				];
			}
			const now = Date.now();
			const webhook: FakeLeverWebhook = {
				id: randomUUID(),
				url: body.url,
				event: body.event,
				createdAt: now,
				updatedAt: now,
				configuration: {
					signatureToken: randomBytes(24).toString('hex'),
					...(body.configuration?.conditions ? { conditions: body.configuration.conditions } : {}),
				},
			};
			this.webhooks.set(webhook.id, webhook);
			const created = {
				id: webhook.id,
				event: webhook.event,
				url: webhook.url,
				configuration: webhook.configuration,
				createdAt: now,
				updatedAt: now,
			};
			return [
				201,
				this.options.nesting === 'single' ? { data: created } : { data: { data: created } },
			];
		}
		const match = /^\/v1\/webhooks\/([^/]+)$/.exec(req.path);
		if (req.method === 'DELETE' && match) {
			const id = decodeURIComponent(match[1]);
			if (!this.webhooks.delete(id))
				return [404, { code: 'ResourceNotFound', message: `webhooks ${id} was not found` }];
			return [204];
		}
		return [
			404,
			{ code: 'ResourceNotFound', message: `${req.method} ${req.path} is not a known action` },
		];
	}
}

export interface FakeSubscription {
	id: string;
	callbackUrl: string;
	events: Array<{ name: string; version: string }>;
	status: 'inactive' | 'active';
	alertEmailAddress?: string;
	secretKeys: string[];
}

/** What the fake does to the callback URL during activation; returns the handshake answer. */
export type HandshakeFn = (
	callbackUrl: string,
	secret: string,
) => Promise<{ status: number; headers: Record<string, string | undefined> }>;

/** Default handshake: a real POST to the callback URL, as SmartRecruiters does. */
export const httpHandshake: HandshakeFn = async (callbackUrl, secret) => {
	const res = await fetch(callbackUrl, {
		method: 'POST',
		headers: { 'X-Hook-Secret': secret },
		signal: AbortSignal.timeout(20_000),
	});
	await res.text();
	return {
		status: res.status,
		headers: { 'x-hook-secret': res.headers.get('x-hook-secret') ?? undefined },
	};
};

export class FakeSmartRecruiters extends FakeServer {
	readonly subscriptions = new Map<string, FakeSubscription>();
	readonly handshakes: Array<{ secret: string; status: number; echoed?: string }> = [];

	constructor(
		readonly apiKey = 'sr-test-key',
		private readonly options: {
			handshake?: HandshakeFn;
			singleEventOnly?: boolean;
			knownEvents?: string[];
		} = {},
	) {
		super();
	}

	/** The API root the credential points at (without /webhooks-api/v201907). */
	get apiRoot(): string {
		return this.baseUrl;
	}

	setHandshake(handshake: HandshakeFn): void {
		this.options.handshake = handshake;
	}

	private view(s: FakeSubscription) {
		return { id: s.id, callbackUrl: s.callbackUrl, events: s.events, status: s.status };
	}

	protected async handle(req: RecordedRequest): Promise<[number, unknown?]> {
		if (req.headers['x-smarttoken'] !== this.apiKey)
			return [401, { message: 'Invalid or missing X-SmartToken' }];
		const base = '/webhooks-api/v201907/subscriptions';
		if (req.method === 'POST' && req.path === base) {
			const body = (req.body ?? {}) as {
				callbackUrl?: string;
				events?: string[];
				alertEmailAddress?: string;
			};
			const events = Array.isArray(body.events) ? body.events : [];
			if (!body.callbackUrl || events.length === 0)
				return [400, { message: 'callbackUrl and events are required' }];
			if (this.options.singleEventOnly && events.length > 1)
				return [400, { message: 'Only one event per subscription is allowed' }];
			const unknown = events.filter(
				(e) => this.options.knownEvents && !this.options.knownEvents.includes(e),
			);
			if (unknown.length) return [400, { message: `Unknown event: ${unknown.join(', ')}` }];
			const subscription: FakeSubscription = {
				id: randomBytes(8).toString('hex'),
				callbackUrl: body.callbackUrl,
				events: events.map((name) => ({ name, version: '1.0.0' })),
				status: 'inactive',
				alertEmailAddress: body.alertEmailAddress,
				secretKeys: [],
			};
			this.subscriptions.set(subscription.id, subscription);
			return [201, this.view(subscription)];
		}
		if (req.method === 'GET' && req.path === base) {
			return [
				200,
				{
					content: [...this.subscriptions.values()].map((s) => this.view(s)),
					totalFound: this.subscriptions.size,
				},
			];
		}
		const match =
			/^\/webhooks-api\/v201907\/subscriptions\/([^/]+)(\/secret-key|\/activation)?$/.exec(
				req.path,
			);
		if (!match) return [404, { message: `${req.method} ${req.path} not found` }];
		const subscription = this.subscriptions.get(decodeURIComponent(match[1]));
		if (!subscription) return [404, { message: 'Subscription not found' }];
		const suffix = match[2];
		if (!suffix && req.method === 'GET') return [200, this.view(subscription)];
		if (!suffix && req.method === 'DELETE') {
			this.subscriptions.delete(subscription.id);
			return [204];
		}
		if (suffix === '/secret-key' && req.method === 'POST') {
			const secretKey = randomBytes(16).toString('base64url');
			subscription.secretKeys.push(secretKey);
			return [201, { secretKey }];
		}
		if (suffix === '/activation' && req.method === 'PUT') {
			const secret = randomBytes(8).toString('hex');
			const answer = await (this.options.handshake ?? httpHandshake)(
				subscription.callbackUrl,
				secret,
			).catch(() => ({ status: 0, headers: {} as Record<string, string | undefined> }));
			const echoed = answer.headers['x-hook-secret'];
			this.handshakes.push({ secret, status: answer.status, echoed });
			if (answer.status !== 200 || echoed !== secret) {
				return [
					400,
					{
						message:
							'Callback URL did not answer the handshake with 200 and the same X-Hook-Secret',
					},
				];
			}
			subscription.status = 'active';
			return [204];
		}
		return [405, { message: 'Method not allowed' }];
	}
}

// ---------------------------------------------------------------------------------------------
// A mocked IHookFunctions (checkExists / create / delete) with n8n's real authenticated request.
// ---------------------------------------------------------------------------------------------

/** `={{$credentials.apiKey}}` -> the credential value; other strings unchanged. */
function resolve(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string') return value;
	const m = /^=\{\{\s*\$credentials\.(\w+)\s*\}\}$/.exec(value);
	return m ? credentials[m[1]] : value;
}

/** Applies a credential class's generic `authenticate` block, as n8n's CredentialsHelper does for type 'generic'. */
export function applyGenericAuth(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): IHttpRequestOptions {
	const auth = credentialType.authenticate as IAuthenticateGeneric | undefined;
	if (!auth || auth.type !== 'generic')
		throw new Error(`${credentialType.name} has no generic authenticate block`);
	const out: IHttpRequestOptions = {
		...options,
		headers: { ...(options.headers ?? {}) },
		qs: { ...(options.qs ?? {}) },
	};
	const props = auth.properties;
	for (const [k, v] of Object.entries(props.headers ?? {}))
		(out.headers as IDataObject)[k] = resolve(v, credentials) as string;
	for (const [k, v] of Object.entries(props.qs ?? {}))
		(out.qs as IDataObject)[k] = resolve(v, credentials) as string;
	if (props.auth)
		out.auth = {
			username: String(resolve(props.auth.username, credentials) ?? ''),
			password: String(resolve(props.auth.password, credentials) ?? ''),
		};
	return out;
}

export interface HookOptions {
	parameters: Record<string, unknown>;
	credentialTypes: Record<string, ICredentialType>;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Node-scoped static data; share the object between calls like one saved workflow row. */
	staticData?: Record<string, unknown>;
	webhookUrl?: string;
	nodeName?: string;
}

export function hookContext(options: HookOptions) {
	const staticData = options.staticData ?? {};
	const node = {
		id: 'node-1',
		name: options.nodeName ?? 'Trigger',
		type: 'test',
		typeVersion: 1,
		parameters: options.parameters,
	} as unknown as INode;
	const logs: Array<{ level: string; message: string; meta?: unknown }> = [];
	const logger = {
		debug: (message: string, meta?: unknown) => logs.push({ level: 'debug', message, meta }),
		info: (message: string, meta?: unknown) => logs.push({ level: 'info', message, meta }),
		warn: (message: string, meta?: unknown) => logs.push({ level: 'warn', message, meta }),
		error: (message: string, meta?: unknown) => logs.push({ level: 'error', message, meta }),
	} as unknown as Logger;
	const getCredentials = async (type: string) => {
		const credential = options.credentials[type];
		if (!credential) throw new Error(`Node does not have credentials of type ${type}`);
		return credential;
	};
	const additionalData = {
		credentialsHelper: {
			getParentTypes: () => [],
			preAuthentication: async () => undefined,
			authenticate: async (
				credentials: ICredentialDataDecryptedObject,
				type: string,
				requestOptions: IHttpRequestOptions,
			) => {
				const credentialType = options.credentialTypes[type];
				if (!credentialType) throw new Error(`unknown credential type ${type}`);
				return applyGenericAuth(credentialType, credentials, requestOptions);
			},
		},
	};
	const context = mock<IHookFunctions>({ logger });
	const requestContext = { getCredentials, getNode: () => node, logger, helpers: {} };
	const realRequest = jest.fn(async (type: string, requestOptions: IHttpRequestOptions) =>
		httpRequestWithAuthentication.call(
			requestContext as never,
			type,
			requestOptions,
			{} as Workflow,
			node,
			additionalData as never,
		),
	);
	(context as unknown as { helpers: unknown }).helpers = {
		httpRequestWithAuthentication: realRequest,
	};
	context.getNode.mockReturnValue(node);
	context.getCredentials.mockImplementation(getCredentials as never);
	context.getWorkflowStaticData.mockReturnValue(staticData as never);
	context.getNodeWebhookUrl.mockReturnValue(
		options.webhookUrl ?? 'https://n8n.example.com/webhook/7f3c2a10-lsr/webhook',
	);
	context.getNodeParameter.mockImplementation(((name: string, fallback?: unknown) =>
		getParam(options.parameters, name, fallback)) as never);
	return { context, staticData, logs, request: realRequest };
}

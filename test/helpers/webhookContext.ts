import { mock } from 'jest-mock-extended';
import type {
	ICredentialDataDecryptedObject,
	INode,
	IWebhookFunctions,
	IWebhookResponseData,
	Logger,
	Workflow,
} from 'n8n-workflow';

/**
 * A mocked IWebhookFunctions for node tests, following n8n's own trigger tests (TriggerHelpers.ts)
 * and the verified recipe in CONTRIBUTING.md "Test layers": a PLAIN request object (a proxied Buffer breaks
 * createHmac), a chainable response mock, parameters read with dotted paths and defaults.
 */
export interface DeliveryOptions {
	method?: string;
	headers?: Record<string, string | string[]>;
	body?: string | Buffer;
	/** Node parameters, e.g. { authentication: 'hmac', options: { dedup: true } }. */
	parameters?: Record<string, unknown>;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Node-scoped static data; pass the same object to share it between calls, like one saved row. */
	staticData?: Record<string, unknown>;
	workflowId?: string;
	nodeId?: string;
	query?: Record<string, unknown>;
}

export interface CapturedResponse {
	status?: number;
	body?: unknown;
	headers: Record<string, string>;
	ended: boolean;
}

export interface DeliveryResult {
	result: IWebhookResponseData;
	response: CapturedResponse;
	/** The items n8n would start the workflow with (empty when no execution). */
	items: Array<Record<string, unknown>>;
	logs: Array<{ level: string; message: string; meta?: unknown }>;
}

export function getParam(
	parameters: Record<string, unknown>,
	path: string,
	fallback?: unknown,
): unknown {
	let current: unknown = parameters;
	for (const step of path.split('.')) {
		if (current === null || typeof current !== 'object' || !(step in (current as object)))
			return fallback;
		current = (current as Record<string, unknown>)[step];
	}
	return current === undefined ? fallback : current;
}

export function webhookContext(options: DeliveryOptions = {}) {
	const rawBody =
		options.body === undefined
			? undefined
			: Buffer.isBuffer(options.body)
				? options.body
				: Buffer.from(options.body);
	const headers: Record<string, string | string[]> = {};
	for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;
	if (rawBody && headers['content-type'] === undefined)
		headers['content-type'] = 'application/json';

	const response: CapturedResponse = { headers: {}, ended: false };
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		send(body: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		end() {
			response.ended = true;
			return res;
		},
		setHeader(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return res;
		},
	};
	const req = {
		method: options.method ?? 'POST',
		headers,
		rawBody,
		header: (name: string) => headers[name.toLowerCase()],
	};
	const logs: DeliveryResult['logs'] = [];
	const logger = {
		debug: (message: string, meta?: unknown) => logs.push({ level: 'debug', message, meta }),
		info: (message: string, meta?: unknown) => logs.push({ level: 'info', message, meta }),
		warn: (message: string, meta?: unknown) => logs.push({ level: 'warn', message, meta }),
		error: (message: string, meta?: unknown) => logs.push({ level: 'error', message, meta }),
	} as unknown as Logger;

	const parameters = options.parameters ?? {};
	const staticData = options.staticData ?? {};
	const node = { id: options.nodeId ?? 'node-1', name: 'Trigger', parameters } as unknown as INode;
	const context = mock<IWebhookFunctions>({ logger });
	context.getRequestObject.mockReturnValue(req as never);
	context.getResponseObject.mockReturnValue(res as never);
	context.getHeaderData.mockReturnValue(headers as never);
	context.getQueryData.mockReturnValue((options.query ?? {}) as never);
	context.getBodyData.mockImplementation(() => {
		try {
			return JSON.parse(rawBody?.toString('utf8') ?? '{}');
		} catch {
			return {};
		}
	});
	context.getNode.mockReturnValue(node);
	context.getWorkflow.mockReturnValue({ id: options.workflowId ?? 'wf-1' } as Workflow);
	context.getWorkflowStaticData.mockReturnValue(staticData as never);
	context.getNodeParameter.mockImplementation(((name: string, fallback?: unknown) =>
		getParam(parameters, name, fallback)) as never);
	context.getCredentials.mockImplementation((async (type: string) => {
		const credential = options.credentials?.[type];
		if (!credential) throw new Error(`Node does not have credentials of type ${type}`);
		return credential;
	}) as never);
	return { context, response, logs, staticData };
}

/** Run a node's webhook() once against a mocked delivery. */
export async function deliver(
	node: { webhook?: (this: IWebhookFunctions) => Promise<IWebhookResponseData> },
	options: DeliveryOptions = {},
): Promise<DeliveryResult> {
	const { context, response, logs } = webhookContext(options);
	const result = await node.webhook!.call(context);
	const items = (result.workflowData?.[0] ?? []).map(
		(item) => item.json as Record<string, unknown>,
	);
	return { result, response, items, logs };
}

import { mock } from 'jest-mock-extended';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
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
	/**
	 * What n8n does with an accepted delivery (webhook() returned workflowData): 'stored' (default)
	 * stores the execution and answers 200 with the node's webhookResponse, as n8n 2.41 does for
	 * responseMode onReceived with an empty responseData; 'failed' answers 500 as n8n does when
	 * WorkflowRunner.run throws; 'pending' answers nothing yet (the test calls answerAsN8n later).
	 */
	n8n?: 'stored' | 'failed' | 'pending';
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

	// Like Express: json/send end the response through res.end, which writes the status line then.
	const response: CapturedResponse = { headers: {}, ended: false };
	const res = {
		statusCode: 200,
		headersSent: false,
		status(code: number) {
			res.statusCode = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res.end();
		},
		send(body: unknown) {
			response.body = body;
			return res.end();
		},
		end() {
			response.status = res.statusCode;
			response.ended = true;
			res.headersSent = true;
			return res;
		},
		setHeader(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return res;
		},
		removeHeader(name: string) {
			delete response.headers[name.toLowerCase()];
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
	return {
		context,
		response,
		logs,
		staticData,
		res,
		parameters,
		node,
		credentials: options.credentials ?? {},
		workflowId: options.workflowId ?? 'wf-1',
	};
}

type MockResponse = ReturnType<typeof webhookContext>['res'];

/** n8n's side of an accepted delivery, after webhook() returned (see DeliveryOptions.n8n). */
export function answerAsN8n(
	result: IWebhookResponseData,
	res: MockResponse,
	outcome: 'stored' | 'failed',
): void {
	if (result.noWebhookResponse || result.workflowData === undefined) return;
	if (outcome === 'failed')
		res.status(500).json({ code: 0, message: 'There was a problem executing the workflow' });
	else res.status(200).json(result.webhookResponse ?? { message: 'Workflow was started' });
}

export interface ExecuteOptions {
	parameters?: Record<string, unknown>;
	staticData?: Record<string, unknown>;
	workflowId?: string;
	nodeId?: string;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	helpers?: Record<string, unknown>;
}

/**
 * The first step of the execution n8n starts with the trigger's items: the node's execute() with
 * those items as input (n8n's WorkflowExecute.runNode calls execute() when a node type has one).
 */
export async function runExecute(
	node: TriggerUnderTest,
	items: INodeExecutionData[],
	options: ExecuteOptions = {},
): Promise<INodeExecutionData[]> {
	if (!node.execute) return items;
	const parameters = options.parameters ?? {};
	const staticData = options.staticData ?? {};
	const context = mock<IExecuteFunctions>({
		logger: {
			debug: () => undefined,
			info: () => undefined,
			warn: () => undefined,
			error: () => undefined,
		} as unknown as Logger,
	});
	context.getInputData.mockReturnValue(items);
	context.getNode.mockReturnValue({
		id: options.nodeId ?? 'node-1',
		name: 'Trigger',
		parameters,
	} as unknown as INode);
	context.getWorkflow.mockReturnValue({ id: options.workflowId ?? 'wf-1' } as Workflow);
	context.getWorkflowStaticData.mockReturnValue(staticData as never);
	context.getNodeParameter.mockImplementation(((name: string, _index: number, fallback?: unknown) =>
		getParam(parameters, name, fallback)) as never);
	context.getCredentials.mockImplementation((async (type: string) => {
		const credential = options.credentials?.[type];
		if (!credential) throw new Error(`Node does not have credentials of type ${type}`);
		return credential;
	}) as never);
	(context as unknown as { helpers: unknown }).helpers = options.helpers ?? {};
	const output = (await node.execute.call(context)) as INodeExecutionData[][] | null;
	return output?.[0] ?? [];
}

/** Run a node's webhook() once against a mocked delivery. */
export type TriggerUnderTest = {
	webhook?: (this: IWebhookFunctions) => Promise<IWebhookResponseData>;
	execute?: (this: IExecuteFunctions) => Promise<unknown>;
};

/**
 * One delivery as n8n handles it: webhook(); for an accepted delivery n8n then stores the execution
 * and answers (DeliveryOptions.n8n), and the execution's first step is the trigger's execute().
 * `items` are what execute() passes on to the rest of the workflow.
 */
export async function deliver(
	node: TriggerUnderTest,
	options: DeliveryOptions = {},
	helpers?: Record<string, unknown>,
): Promise<DeliveryResult> {
	const built = webhookContext(options);
	if (helpers) (built.context as unknown as { helpers: unknown }).helpers = helpers;
	const result = await node.webhook!.call(built.context);
	const outcome = options.n8n ?? 'stored';
	let out = result.workflowData?.[0] ?? [];
	if (outcome !== 'pending') answerAsN8n(result, built.res, outcome);
	if (outcome === 'stored' && result.workflowData) {
		out = await runExecute(node, out, {
			parameters: built.parameters,
			staticData: options.staticData ?? built.staticData,
			workflowId: built.workflowId,
			nodeId: options.nodeId,
			credentials: built.credentials,
			helpers,
		});
	}
	const items = out.map((item) => item.json as Record<string, unknown>);
	return { result, response: built.response, items, logs: built.logs };
}

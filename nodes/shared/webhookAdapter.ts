import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { runPipeline } from '../core/pipeline/runPipeline';
import type { InboundRequest, PipelineResult, SourceDefinition, SourceSettings } from '../core/pipeline/types';

/**
 * Runs a source through the pipeline inside `webhook()`, answers the request itself and hands the
 * events to n8n. Answering ourselves is what makes n8n >= 2.20 save the dedup ring in static data
 * (DESIGN.md step 9), and it lets every rejection carry its own status and reason.
 */
export interface HandleOptions {
	/**
	 * Runs after the sender has its answer and before the workflow starts, e.g. to fetch the
	 * resource an event points to. It must not throw away events: on failure, add a warning.
	 */
	enrich?: (events: Array<Record<string, unknown>>) => Promise<Array<Record<string, unknown>>>;
}

export async function handleWebhook<S extends SourceSettings>(
	context: IWebhookFunctions,
	source: SourceDefinition<S>,
	/** The settings, or a function reading them (credentials are read inside the error guard). */
	settings: S | (() => Promise<S>),
	options: HandleOptions = {},
): Promise<IWebhookResponseData> {
	const res = context.getResponseObject();
	let result: PipelineResult;
	let resolved: S;
	try {
		resolved = typeof settings === 'function' ? await settings() : settings;
	} catch (error) {
		// The trigger is not set up (a credential is missing or unreadable). Handshakes and vendor
		// pings are still answered (a vendor may disable a URL whose ping fails); every delivery gets
		// 503 + Retry-After, so the sender retries instead of dropping the event while the user fixes it.
		context.logger.error(`${source.id} trigger is not configured: ${(error as Error).message}`);
		resolved = unconfiguredSettings as S;
	}
	try {
		const request = await readRequest(context);
		const workflowId = context.getWorkflow().id ?? 'unsaved';
		const node = context.getNode();
		result = runPipeline(source, request, resolved, {
			scope: `${workflowId}:${node.id ?? node.name}`,
			staticData: context.getWorkflowStaticData('node'),
		});
	} catch (error) {
		// A bug of ours must not hang the sender or leak data: answer 500 (the sender retries later)
		// and log the message, which never holds the body or a secret.
		context.logger.error(`${source.id} trigger could not process a delivery: ${(error as Error).message}`);
		result = internalError;
	}

	if (result.outcome !== 'accepted') {
		context.logger.debug(`${source.id} trigger: ${result.outcome}`, { status: result.reply.status });
	}
	for (const [name, value] of Object.entries(result.reply.headers ?? {})) {
		try {
			res.setHeader(name, value);
		} catch {
			// Node refuses header values with control characters: the answer goes out without that header.
			context.logger.warn(`${source.id} trigger: reply header ${name} was not valid and was left out`);
		}
	}
	if (typeof result.reply.body === 'string') res.status(result.reply.status).send(result.reply.body);
	else res.status(result.reply.status).json(result.reply.body);

	if (result.events.length === 0) return { noWebhookResponse: true };
	let events = result.events as Array<Record<string, unknown>>;
	if (options.enrich) {
		try {
			events = await options.enrich(events);
		} catch (error) {
			context.logger.warn(`${source.id} trigger: enrichment failed, events emitted without it`, { error: (error as Error).name });
		}
	}
	const items: INodeExecutionData[] = events.map((json) => ({ json: json as IDataObject }));
	return { noWebhookResponse: true, workflowData: [items] };
}

/** Settings for a trigger whose own could not be read: defaults, and an authentication that answers 503. */
const unconfiguredSettings: SourceSettings = {
	auth: { scheme: 'unavailable' },
	events: [],
	dedup: { enabled: true, window: 1000 },
	privacy: true,
	maxBodyBytes: 5 * 1024 * 1024,
	responseCode: 0,
	batchAsOneItem: false,
	emitTestEvents: false,
};

const internalError: PipelineResult = {
	outcome: 'internal_error',
	events: [],
	reply: { status: 500, body: { error: 'internal_error', reason: 'internal_error', message: 'The trigger could not process this delivery; it was not accepted.' } },
};

async function readRequest(context: IWebhookFunctions): Promise<InboundRequest> {
	const req = context.getRequestObject();
	let rawBody: Buffer | undefined = Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;
	if (rawBody === undefined && typeof req.rawBody === 'string') rawBody = Buffer.from(req.rawBody);
	// n8n reads the raw body only for content types it parses; read it ourselves otherwise.
	if (rawBody === undefined && typeof req.readRawBody === 'function') {
		try {
			await req.readRawBody();
			if (Buffer.isBuffer(req.rawBody)) rawBody = req.rawBody;
		} catch {
			rawBody = undefined;
		}
	}
	return {
		method: req.method ?? 'POST',
		headers: context.getHeaderData() as InboundRequest['headers'],
		rawBody,
		query: (context.getQueryData() ?? {}) as Record<string, unknown>,
		now: Date.now(),
	};
}

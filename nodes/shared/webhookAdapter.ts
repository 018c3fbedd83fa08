import {
	sleep,
	type IDataObject,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { runPipeline } from '../core/pipeline/runPipeline';
import { unionStateOf } from './reconcileUnion';
import type {
	DedupSettle,
	InboundRequest,
	PipelineResult,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { openSharedDedup, type SharedDedup } from './redisDedup';

/**
 * Runs a source through the pipeline inside `webhook()` (docs/durability.md):
 * - a delivery that starts nothing (rejected, ping, handshake, filtered, duplicate, not configured)
 *   is answered here at once, with its status and JSON reason;
 * - an accepted delivery is NOT answered here: the node returns the items and the reply body, and
 *   n8n answers only after `WorkflowRunner.run` has stored the execution (its status 200 becomes
 *   the node's accepted status in settleWhenAnswered). A 2xx is then a promise that the event is safe; a crash before it leaves the
 *   sender without a 2xx, so the sender retries.
 * The dedup keys of an accepted delivery are committed when n8n writes that 2xx (the execution
 * exists) and released when it answers anything else, so the retry of an event that was never
 * stored is accepted again.
 */

/** How long a copy waits for another request that holds the same event, before a 503 + Retry-After. */
const IN_FLIGHT_WAIT_MS = 15_000;

export async function handleWebhook<S extends SourceSettings>(
	context: IWebhookFunctions,
	source: SourceDefinition<S>,
	/** The settings, or a function reading them (credentials are read inside the error guard). */
	settings: S | (() => Promise<S>),
): Promise<IWebhookResponseData> {
	const res = context.getResponseObject();
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

	// The shared dedup store on Redis, when the trigger's option is on (docs/queue-mode.md). Its
	// credential cannot be read: every delivery gets 503 + Retry-After, as for the trigger's own.
	let shared: SharedDedup | undefined;
	try {
		shared = await openSharedDedup(context);
	} catch (error) {
		context.logger.error(
			`${source.id} trigger: the Redis dedup store is not configured: ${(error as Error).message}`,
		);
		resolved = unconfiguredSettings as S;
	}

	const result = await runUntilSettled(context, source, resolved, shared);
	if (result.outcome !== 'accepted') {
		context.logger.debug(`${source.id} trigger: ${result.outcome}`, {
			status: result.reply.status,
		});
		writeReply(context, source.id, res, result);
		return { noWebhookResponse: true };
	}

	settleWhenAnswered(res, result.reply.status, result.claims);
	const items: INodeExecutionData[] = (result.events as Array<Record<string, unknown>>).map(
		(json) => ({ json: json as IDataObject }),
	);
	// n8n writes this body (status 200, see settleWhenAnswered) once it has stored the execution.
	return { workflowData: [items], webhookResponse: result.reply.body };
}

/** Run the pipeline; while a copy of the delivery is in flight in another request, wait for it and run again. */
async function runUntilSettled<S extends SourceSettings>(
	context: IWebhookFunctions,
	source: SourceDefinition<S>,
	settings: S,
	shared?: SharedDedup,
): Promise<PipelineResult> {
	const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
	for (;;) {
		let result: PipelineResult;
		let scope: string;
		try {
			const request = await readRequest(context);
			const workflowId = context.getWorkflow().id ?? 'unsaved';
			const node = context.getNode();
			scope = `${workflowId}:${node.id ?? node.name}`;
			result = runPipeline(source, request, settings, {
				scope,
				staticData: context.getWorkflowStaticData('node'),
				union: unionStateOf(context, workflowId),
			});
		} catch (error) {
			// A bug of ours must not hang the sender or leak data: answer 500 (the sender retries later)
			// and log the message, which never holds the body or a secret.
			context.logger.error(
				`${source.id} trigger could not process a delivery: ${(error as Error).message}`,
			);
			return internalError;
		}
		// Accepted in this process: claim the keys across processes too (another process may hold or
		// have stored them); 'again' runs the pipeline once more with what Redis said.
		if (shared && result.outcome === 'accepted' && result.claims) {
			const step = await shared.settle(result, result.claims, scope, deadline);
			if (step.kind === 'done') return step.result;
			continue;
		}
		if (result.outcome !== 'in_flight' || !result.pending) return result;
		const left = deadline - Date.now();
		if (left <= 0) return result;
		const settled = await Promise.race([
			result.pending.then(() => true),
			sleep(left).then(() => false),
		]);
		if (!settled) return result;
	}
}

/**
 * Runs as n8n ends the response of an accepted delivery, which it does only after it stored the
 * execution (or with an error status when it could not). A 2xx commits the claimed dedup keys, any
 * other status releases them so the sender's retry is accepted. n8n's success answer is 200 (the
 * webhook description holds no expression, see triggerDescription.ts): it becomes the node's
 * accepted status here, before the status line is written. `end` is wrapped rather than waiting for
 * 'finish' because a sender that hung up still leaves a stored execution, and 'finish' never comes then.
 */
function settleWhenAnswered(
	res: ReturnType<IWebhookFunctions['getResponseObject']>,
	acceptedStatus: number,
	claims: DedupSettle | undefined,
): void {
	const end = res.end;
	const wrapped = function (this: typeof res, ...args: unknown[]) {
		res.end = end;
		if (res.statusCode === 200 && acceptedStatus !== 200 && !res.headersSent) {
			res.statusCode = acceptedStatus;
			if (acceptedStatus === 204) res.removeHeader('Content-Length');
		}
		if (res.statusCode >= 200 && res.statusCode < 300) claims?.commit();
		else claims?.release();
		return (end as (...a: unknown[]) => typeof res).apply(this, args);
	};
	res.end = wrapped as typeof res.end;
}

function writeReply(
	context: IWebhookFunctions,
	sourceId: string,
	res: ReturnType<IWebhookFunctions['getResponseObject']>,
	result: PipelineResult,
): void {
	for (const [name, value] of Object.entries(result.reply.headers ?? {})) {
		try {
			res.setHeader(name, value);
		} catch {
			// Node refuses header values with control characters: the answer goes out without that header.
			context.logger.warn(
				`${sourceId} trigger: reply header ${name} was not valid and was left out`,
			);
		}
	}
	if (typeof result.reply.body === 'string')
		res.status(result.reply.status).send(result.reply.body);
	else res.status(result.reply.status).json(result.reply.body);
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
	reply: {
		status: 500,
		body: {
			error: 'internal_error',
			reason: 'internal_error',
			message: 'The trigger could not process this delivery; it was not accepted.',
		},
	},
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

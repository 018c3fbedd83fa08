import {
	NodeOperationError,
	jsonParse,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { systemResolver, type Resolver } from '../core/delivery/address';
import {
	prepareEvents,
	prepareExport,
	sendAll,
	type KeySettings,
	type Prepared,
	type Rejection,
	type SendReport,
} from '../core/delivery/batch';
import {
	parsePathList,
	pickFields,
	withoutDeliveryError,
	DELIVERY_ERROR_FIELD,
} from '../core/delivery/candidates';
import type { BodyFormat } from '../core/delivery/chunk';
import type { EventFormat, OutgoingEvent } from '../core/delivery/eventFormats';
import type { KeySource } from '../core/delivery/idempotency';
import { checkOutboundAuth, type OutboundAuth } from '../core/delivery/outboundAuth';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../core/delivery/retryPolicy';
import { isRecord } from '../core/json/path';
import {
	BASIC_AUTH_CREDENTIAL,
	HEADER_TOKEN_CREDENTIAL,
	SIGNING_SECRET_CREDENTIAL,
} from '../shared/credentialNames';
import { readHmacParameters } from '../shared/readSettings';
import { n8nTransport } from './transport';

/**
 * The n8n side of the ATS Webhook node: read parameters, hand the work to the delivery core,
 * put every input item into exactly one output (Delivered as one item per request, Failed as the
 * input items that did not get through, each with `deliveryError`).
 */
interface Options {
	batchId?: string;
	blockPrivateNetworks?: boolean;
	keySource?: KeySource;
	initialDelayMs?: number;
	maxAttempts?: number;
	retryAfterCapSeconds?: number;
	requireHttps?: boolean;
	budgetSeconds?: number;
	timeoutMs?: number;
}

/** Seams for tests: the DNS resolver (tests resolve names without a network) and the random source. */
export interface RunHooks {
	resolve?: Resolver;
	random?: () => number;
}

const MAX_LISTED_FAILURES = 3;

export async function runAtsWebhook(
	context: IExecuteFunctions,
	hooks: RunHooks = {},
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	if (items.length === 0) return [[], []];
	const operation = context.getNodeParameter('operation', 0) as string;
	const options = (context.getNodeParameter('options', 0, {}) ?? {}) as Options;
	const url = String(context.getNodeParameter('url', 0, '') ?? '').trim();

	const auth = await readAuth(context);
	const authCheck = checkOutboundAuth(auth);
	if (!authCheck.ok) {
		const message = `Authentication is not usable: ${authCheck.message}`;
		if (!context.continueOnFail()) throw new NodeOperationError(context.getNode(), message);
		return [
			[],
			items.map((item, i) =>
				failedItem(item, i, { reason: authCheck.reason, message, attempts: 0 }),
			),
		];
	}

	const keys = readKeys(context, options);
	const prepared =
		operation === 'sendEvent'
			? prepareSendEvent(context, items, keys, url)
			: prepareCandidateExport(context, items, keys);

	if (prepared.rejected.length > 0 && !context.continueOnFail()) {
		throw new NodeOperationError(
			context.getNode(),
			`${prepared.rejected.length} of ${items.length} items cannot be sent: ${listRejections(prepared.rejected)}`,
			{
				description:
					'Nothing was sent. Fix these items, or turn on "Continue On Fail" in the node settings to send the others and get these in the Failed output.',
			},
		);
	}

	const cancelSignal = context.getExecutionCancelSignal?.();
	const report = await sendAll(
		prepared.requests,
		{
			url,
			auth,
			policy: readPolicy(options),
			target: {
				blockPrivateNetworks: options.blockPrivateNetworks === true,
				requireHttps: options.requireHttps === true,
			},
			resolve: hooks.resolve ?? systemResolver,
		},
		{
			send: n8nTransport(context, cancelSignal),
			sleep: async (ms) => await sleep(ms, cancelSignal),
			now: () => Date.now(),
			random: hooks.random ?? Math.random,
			cancelled: () => cancelSignal?.aborted === true,
		},
	);

	const delivered: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	for (const rejection of prepared.rejected) {
		failed.push(
			failedItem(items[rejection.position], rejection.position, {
				reason: rejection.reason,
				message: rejection.message,
				attempts: 0,
				batchId: prepared.batchId,
			}),
		);
	}
	for (const { request, result } of report.sent) {
		if (result.delivered) {
			const json: IDataObject = {
				status: result.status ?? null,
				attempts: result.attempts,
				durationMs: result.durationMs,
				idempotencyKey: request.key,
				batchId: prepared.batchId,
				chunkIndex: request.chunkIndex,
				chunkCount: request.chunkCount,
				count: request.count,
				bytes: request.bytes,
				url: report.url,
			};
			json.attemptLog = result.log as unknown as IDataObject[];
			if (request.candidateIds) json.candidateIds = request.candidateIds;
			if (result.response !== undefined) json.response = result.response as IDataObject;
			json.responseBytes = result.responseBytes ?? 0;
			delivered.push({ json, pairedItem: request.positions.map((item) => ({ item })) });
			continue;
		}
		for (const position of request.positions) {
			failed.push(
				failedItem(items[position], position, {
					reason: result.reason ?? 'not_delivered',
					message: result.message ?? 'The request was not delivered.',
					status: result.status,
					attempts: result.attempts,
					idempotencyKey: request.key,
					batchId: prepared.batchId,
					chunkIndex: request.chunkIndex,
					url: report.url,
					attemptLog: result.log,
					...(result.response !== undefined ? { response: result.response } : {}),
				}),
			);
		}
	}
	failed.sort((a, b) => firstPaired(a) - firstPaired(b));

	if (failed.length > 0 && !context.continueOnFail())
		throw deliveryError(context, report, prepared, failed.length, items.length);
	return [delivered, failed];
}

async function readAuth(context: IExecuteFunctions): Promise<OutboundAuth> {
	const choice = context.getNodeParameter('authentication', 0, 'none') as string;
	switch (choice) {
		case 'standardWebhooks': {
			const c = await context.getCredentials(SIGNING_SECRET_CREDENTIAL);
			return { scheme: 'standardWebhooks', secret: String(c.secret ?? '') };
		}
		case 'hmac': {
			const c = await context.getCredentials(SIGNING_SECRET_CREDENTIAL);
			return {
				scheme: 'hmac',
				secret: String(c.secret ?? ''),
				...readHmacParameters((name, fallback) => context.getNodeParameter(name, 0, fallback)),
			};
		}
		case 'headerToken': {
			const c = await context.getCredentials(HEADER_TOKEN_CREDENTIAL);
			return {
				scheme: 'headerToken',
				headerName: String(c.headerName || 'x-webhook-token').trim(),
				token: String(c.token ?? ''),
			};
		}
		case 'basicAuth': {
			const c = await context.getCredentials(BASIC_AUTH_CREDENTIAL);
			return {
				scheme: 'basicAuth',
				user: String(c.user ?? ''),
				password: String(c.password ?? ''),
			};
		}
		default:
			return { scheme: 'none' };
	}
}

function readPolicy(options: Options): RetryPolicy {
	const n = (value: unknown, fallback: number, min: number, max: number) => {
		const v = Number(value);
		return Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
	};
	return {
		...DEFAULT_RETRY_POLICY,
		maxAttempts: Math.round(n(options.maxAttempts, DEFAULT_RETRY_POLICY.maxAttempts, 1, 20)),
		initialDelayMs: n(options.initialDelayMs, DEFAULT_RETRY_POLICY.initialDelayMs, 0, 600_000),
		retryAfterCapMs:
			n(options.retryAfterCapSeconds, DEFAULT_RETRY_POLICY.retryAfterCapMs / 1000, 0, 3600) * 1000,
		budgetMs: n(options.budgetSeconds, DEFAULT_RETRY_POLICY.budgetMs / 1000, 0.01, 86_400) * 1000,
		attemptTimeoutMs: n(options.timeoutMs, DEFAULT_RETRY_POLICY.attemptTimeoutMs, 1, 3_600_000),
	};
}

function readKeys(context: IExecuteFunctions, options: Options): KeySettings {
	const workflow = context.getWorkflow();
	const executionId = orDefault(() => context.getExecutionId(), '');
	const instanceId = orDefault(() => context.getInstanceId(), '');
	const runIndex = orDefault(() => Number(context.getWorkflowDataProxy(0).$runIndex) || 0, 0);
	return {
		source: options.keySource === 'content' ? 'content' : 'execution',
		custom:
			typeof options.batchId === 'string'
				? options.batchId
				: options.batchId === undefined
					? undefined
					: String(options.batchId),
		// Without an execution id (never in a saved run) the keys are still unique per run via the clock.
		scope: {
			instanceId,
			workflowId: String(workflow.id ?? 'unsaved'),
			executionId: executionId || `t${Date.now()}`,
			nodeName: context.getNode().name,
			runIndex,
		},
	};
}

/** A context value that older n8n versions or test contexts may not provide. */
function orDefault<T>(read: () => T | undefined | null, fallback: T): T {
	try {
		return read() ?? fallback;
	} catch {
		return fallback;
	}
}

function prepareCandidateExport(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	keys: KeySettings,
): Prepared {
	const bodyFormat = context.getNodeParameter('bodyFormat', 0, 'envelope') as string;
	const format: BodyFormat =
		bodyFormat === 'array'
			? { kind: 'array' }
			: bodyFormat === 'field'
				? {
						kind: 'field',
						field: String(context.getNodeParameter('fieldName', 0, 'candidates') || 'candidates'),
					}
				: {
						kind: 'envelope',
						event: String(
							context.getNodeParameter('eventName', 0, 'candidate.exported') ||
								'candidate.exported',
						),
					};
	const mode = context.getNodeParameter('candidateFields', 0, 'all') as string;
	const selected =
		mode === 'selected' ? parsePathList(context.getNodeParameter('fields', 0, '')) : [];
	const records = items.map((item, position) => {
		const source = withoutDeliveryError(item.json as Record<string, unknown>);
		if (mode === 'selected') return { position, record: pickFields(source, selected) as unknown };
		if (mode === 'mapped') {
			const fields = (context.getNodeParameter('mapping.field', position, []) ?? []) as Array<{
				name?: string;
				value?: unknown;
			}>;
			const record: Record<string, unknown> = {};
			for (const field of fields) {
				const name = String(field.name ?? '').trim();
				if (name && name !== '__proto__') record[name] = field.value;
			}
			return { position, record: record as unknown };
		}
		return { position, record: source as unknown };
	});
	const maxCandidates = Number(context.getNodeParameter('maxCandidates', 0, 1000)) || 1000;
	const maxKiB = Number(context.getNodeParameter('maxRequestKiB', 0, 5120)) || 5120;
	return prepareExport({
		records,
		format,
		limits: {
			maxCandidates: Math.max(1, Math.floor(maxCandidates)),
			maxBytes: Math.max(1024, Math.floor(maxKiB * 1024)),
		},
		rules: {
			required: parsePathList(context.getNodeParameter('requiredFields', 0, '')),
			emailFields: parsePathList(context.getNodeParameter('emailFields', 0, '')),
		},
		idField: String(context.getNodeParameter('idField', 0, 'id') ?? '').trim() || undefined,
		keys,
		exportedAt: new Date(),
	});
}

function prepareSendEvent(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	keys: KeySettings,
	url: string,
): Prepared {
	const format = context.getNodeParameter('eventFormat', 0, 'standardWebhooks') as EventFormat;
	const rejected: Rejection[] = [];
	const events: Array<{ position: number; event: OutgoingEvent }> = [];
	for (let position = 0; position < items.length; position++) {
		let data: unknown = withoutDeliveryError(items[position].json as Record<string, unknown>);
		if (context.getNodeParameter('dataSource', position, 'item') === 'json') {
			const raw = context.getNodeParameter('dataJson', position, '{}');
			try {
				data = typeof raw === 'string' ? jsonParse(raw) : raw;
			} catch {
				rejected.push({
					position,
					reason: 'invalid_json',
					message: 'Data (JSON) is not valid JSON for this item.',
				});
				continue;
			}
		}
		let event: OutgoingEvent;
		if (format === 'viasto')
			event = {
				event: String(context.getNodeParameter('viastoEvent', position, 'candidate_changed')),
				data,
			};
		else if (format === 'humanSourcing') {
			event = {
				event: String(context.getNodeParameter('humanSourcingEvent', position, 'update')),
				objectType: String(context.getNodeParameter('humanSourcingType', position, 'candidate')),
				data,
			};
		} else if (format === 'talentAts') event = { event: 'candidate.exported', data };
		else
			event = {
				event: String(
					context.getNodeParameter('eventType', position, 'candidate.updated') ||
						'candidate.updated',
				),
				data,
			};
		events.push({ position, event });
	}
	let endpoint = url;
	try {
		const u = new URL(url);
		endpoint = `${u.protocol}//${u.host}${u.pathname}${u.search}`;
	} catch {
		// The target check reports an invalid URL.
	}
	const prepared = prepareEvents({
		events,
		format,
		groupInOneRequest:
			format === 'humanSourcing' &&
			context.getNodeParameter('groupInOneRequest', 0, false) === true,
		endpoint,
		keys,
		now: new Date(),
	});
	return {
		...prepared,
		rejected: [...rejected, ...prepared.rejected].sort((a, b) => a.position - b.position),
		totalCount: items.length,
	};
}

interface FailureInfo {
	reason: string;
	message: string;
	attempts: number;
	status?: number;
	idempotencyKey?: string;
	batchId?: string;
	chunkIndex?: number;
	url?: string;
	attemptLog?: unknown[];
	response?: unknown;
}

function failedItem(
	item: INodeExecutionData,
	position: number,
	info: FailureInfo,
): INodeExecutionData {
	const json = { ...withoutDeliveryError(item.json as Record<string, unknown>) } as IDataObject;
	const error: IDataObject = {
		reason: info.reason,
		message: info.message,
		attempts: info.attempts,
	};
	if (info.status !== undefined) error.status = info.status;
	if (info.idempotencyKey !== undefined) error.idempotencyKey = info.idempotencyKey;
	if (info.batchId !== undefined) error.batchId = info.batchId;
	if (info.chunkIndex !== undefined) error.chunkIndex = info.chunkIndex;
	if (info.url !== undefined) error.url = info.url;
	if (info.attemptLog !== undefined) error.attemptLog = info.attemptLog as IDataObject[];
	if (info.response !== undefined) error.response = info.response as IDataObject;
	json[DELIVERY_ERROR_FIELD] = error;
	return { json, ...(item.binary ? { binary: item.binary } : {}), pairedItem: { item: position } };
}

function firstPaired(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	if (isRecord(paired) && typeof paired.item === 'number') return paired.item;
	return 0;
}

function listRejections(rejected: Rejection[]): string {
	const shown = rejected
		.slice(0, MAX_LISTED_FAILURES)
		.map((r) => `item ${r.position}: ${r.message}`);
	const more =
		rejected.length > MAX_LISTED_FAILURES
			? `; and ${rejected.length - MAX_LISTED_FAILURES} more`
			: '';
	return `${shown.join('; ')}${more}`;
}

function deliveryError(
	context: IExecuteFunctions,
	report: SendReport,
	prepared: Prepared,
	failedItems: number,
	totalItems: number,
): NodeOperationError {
	if (!report.target.ok) {
		return new NodeOperationError(
			context.getNode(),
			`Nothing was sent to ${report.url}: ${report.target.message}`,
			{
				description: 'Change the URL, or for private addresses turn off "Block Private Networks".',
			},
		);
	}
	const failedRequests = report.sent.filter((s) => !s.result.delivered);
	const deliveredRequests = report.sent.length - failedRequests.length;
	const listed = failedRequests
		.slice(0, MAX_LISTED_FAILURES)
		.map(
			(s) =>
				`request ${s.request.chunkIndex + 1} of ${s.request.chunkCount} (${s.request.count} items, key ${s.request.key}): ${s.result.message ?? s.result.reason}`,
		);
	const more =
		failedRequests.length > MAX_LISTED_FAILURES
			? `; and ${failedRequests.length - MAX_LISTED_FAILURES} more requests`
			: '';
	const rejected = prepared.rejected.length
		? `; ${prepared.rejected.length} items were refused before sending (${listRejections(prepared.rejected)})`
		: '';
	return new NodeOperationError(
		context.getNode(),
		`${failedItems} of ${totalItems} items were not delivered to ${report.url}: ${failedRequests.length} of ${report.sent.length} requests failed. ${listed.join('; ')}${more}${rejected}`,
		{
			description: `${deliveredRequests} request${deliveredRequests === 1 ? ' was' : 's were'} delivered and will not be undone. Turn on "Continue On Fail" to get the undelivered items in the Failed output (the dead letter) instead of an error. Re-sending delivered requests with the same idempotency keys lets the receiver drop them (see "Idempotency Keys From").`,
		},
	);
}

import { asText, getPath } from '../json/path';
import {
	checkTarget,
	displayUrl,
	type Resolver,
	type TargetCheck,
	type TargetPolicy,
} from './address';
import { candidateSchema, checkCandidate, type CandidateRules } from './candidates';
import {
	maxOverheadBytes,
	planChunks,
	renderBody,
	type BodyFormat,
	type ChunkLimits,
} from './chunk';
import { deliver, type DeliveryEnv, type DeliveryResult, type RunClock } from './deliver';
import { renderEvents, type EventFormat, type OutgoingEvent } from './eventFormats';
import {
	chunkKey,
	contentKey,
	executionBatchId,
	sanitiseBatchId,
	type BatchScope,
	type KeySource,
} from './idempotency';
import { outboundHeaders, type OutboundAuth } from './outboundAuth';
import type { RetryPolicy } from './retryPolicy';

/**
 * The two operations of the ATS Webhook node without n8n: turn input records into prepared
 * requests (validation, chunking, keys), then send them one after the other under one time
 * budget. What does not get through is reported per input position, so the node can put every
 * input item in exactly one of its outputs.
 */
export interface PreparedRequest {
	key: string;
	body: string;
	bytes: number;
	/** Headers that do not change between attempts (content type, chunk info, format headers). */
	headers: Record<string, string>;
	/** Input positions (item indexes) this request carries. */
	positions: number[];
	chunkIndex: number;
	chunkCount: number;
	/** Records in this request. */
	count: number;
	candidateIds?: string[];
}

export interface Rejection {
	position: number;
	reason: string;
	message: string;
}

export interface Prepared {
	batchId: string;
	requests: PreparedRequest[];
	/** Records refused before sending (invalid, too large, not serialisable). */
	rejected: Rejection[];
	totalCount: number;
}

export interface KeySettings {
	source: KeySource;
	/** A user-set batch id (an expression in the node); overrides `source` when not empty. */
	custom?: string;
	scope: BatchScope;
}

export interface ExportInput {
	/** Records to send, each with the input position it came from. */
	records: Array<{ position: number; record: unknown }>;
	format: BodyFormat;
	limits: ChunkLimits;
	rules?: CandidateRules;
	/** Dot path of the candidate id, for the report (`id`). */
	idField?: string;
	keys: KeySettings;
	exportedAt: Date;
}

function formatKind(format: BodyFormat): string {
	return format.kind === 'envelope'
		? `envelope:${format.event}`
		: format.kind === 'field'
			? `field:${format.field}`
			: 'array';
}

function baseBatchId(
	keys: KeySettings,
	contentRecords: () => readonly string[],
	kind: string,
): string {
	const custom = keys.custom ? sanitiseBatchId(keys.custom) : '';
	if (custom) return custom;
	if (keys.source === 'content') return contentKey(keys.scope, `${kind}:all`, contentRecords());
	return executionBatchId(keys.scope);
}

/** Export Candidates: validate, serialise once, plan chunks under both caps, render bodies. */
export function prepareExport(input: ExportInput): Prepared {
	const rejected: Rejection[] = [];
	const schema =
		input.rules && (input.rules.required.length || input.rules.emailFields.length)
			? candidateSchema(input.rules)
			: undefined;
	const kept: Array<{ position: number; json: string; bytes: number; id?: string }> = [];
	for (const { position, record } of input.records) {
		if (schema) {
			const check = checkCandidate(schema, record);
			if (!check.ok) {
				rejected.push({ position, reason: check.reason, message: check.message });
				continue;
			}
		}
		let json: string | undefined;
		try {
			json = JSON.stringify(record);
		} catch (error) {
			rejected.push({
				position,
				reason: 'not_serialisable',
				message: `The candidate cannot be written as JSON (${(error as Error).name}).`,
			});
			continue;
		}
		if (json === undefined) {
			rejected.push({
				position,
				reason: 'not_serialisable',
				message: 'The candidate has no JSON form.',
			});
			continue;
		}
		const id = input.idField ? asText(getPath(record, input.idField)) : undefined;
		kept.push({ position, json, bytes: Buffer.byteLength(json, 'utf8'), id });
	}

	const kind = formatKind(input.format);
	const usesContent = !input.keys.custom && input.keys.source === 'content';
	const batchId = baseBatchId(input.keys, () => kept.map((k) => k.json), kind);
	const keyFor = (index: number, members: readonly string[]) =>
		usesContent ? contentKey(input.keys.scope, kind, members) : chunkKey(batchId, index);
	const widestKey = (index: number) =>
		usesContent ? `c${'0'.repeat(32)}` : chunkKey(batchId, index);
	const exportedAt = input.exportedAt.toISOString();
	const totalCount = kept.length;
	const overhead = maxOverheadBytes(input.format, batchId, widestKey, totalCount, exportedAt);
	const plan = planChunks(
		kept.map((k) => k.bytes),
		input.limits,
		overhead,
	);
	for (const big of plan.tooLarge) {
		const k = kept[big.position];
		rejected.push({
			position: k.position,
			reason: 'candidate_too_large',
			message: `This candidate is ${k.bytes} bytes as JSON; a request holding only it would be ${big.requestBytes} bytes, above the limit of ${input.limits.maxBytes} bytes.`,
		});
	}
	const sentCount = kept.length - plan.tooLarge.length;
	const chunkCount = plan.chunks.length;
	const requests = plan.chunks.map((chunk, chunkIndex): PreparedRequest => {
		const members = chunk.members.map((m) => kept[m]);
		const jsons = members.map((m) => m.json);
		const key = keyFor(chunkIndex, jsons);
		const body = renderBody(
			input.format,
			{ exportId: batchId, key, chunkIndex, chunkCount, totalCount: sentCount, exportedAt },
			jsons,
		);
		const bytes = Buffer.byteLength(body, 'utf8');
		if (bytes > input.limits.maxBytes) {
			// The plan bounds every body from above; reaching this is a bug, and sending would break the promise.
			throw new Error(
				`chunk ${chunkIndex} is ${bytes} bytes, above the planned bound ${chunk.plannedBytes}`,
			);
		}
		const ids = members.map((m) => m.id).filter((id): id is string => id !== undefined);
		return {
			key,
			body,
			bytes,
			headers: {
				'Content-Type': 'application/json',
				'X-Export-Id': batchId,
				'X-Chunk-Index': String(chunkIndex),
				'X-Chunk-Count': String(chunkCount),
				'X-Total-Count': String(sentCount),
			},
			positions: members.map((m) => m.position),
			chunkIndex,
			chunkCount,
			count: members.length,
			...(input.idField ? { candidateIds: ids } : {}),
		};
	});
	rejected.sort((a, b) => a.position - b.position);
	return { batchId, requests, rejected, totalCount: input.records.length };
}

export interface EventsInput {
	events: Array<{ position: number; event: OutgoingEvent }>;
	format: EventFormat;
	/** Human Sourcing: all events in one array request instead of one request each. */
	groupInOneRequest?: boolean;
	endpoint: string;
	keys: KeySettings;
	now: Date;
}

/** Send Event: one request per event (Human Sourcing optionally one array for all). */
export function prepareEvents(input: EventsInput): Prepared {
	const rejected: Rejection[] = [];
	const serialisable: Array<{ position: number; event: OutgoingEvent; json: string }> = [];
	for (const { position, event } of input.events) {
		try {
			const json = JSON.stringify([event.event, event.objectType ?? '', event.data]);
			serialisable.push({ position, event, json });
		} catch (error) {
			rejected.push({
				position,
				reason: 'not_serialisable',
				message: `The event data cannot be written as JSON (${(error as Error).name}).`,
			});
		}
	}
	const usesContent = !input.keys.custom && input.keys.source === 'content';
	const kind = `event:${input.format}`;
	const batchId = baseBatchId(input.keys, () => serialisable.map((s) => s.json), kind);
	const groups =
		input.format === 'humanSourcing' && input.groupInOneRequest && serialisable.length > 0
			? [serialisable]
			: serialisable.map((s) => [s]);
	const requests = groups.map((group, index): PreparedRequest => {
		const key = usesContent
			? contentKey(
					input.keys.scope,
					kind,
					group.map((g) => g.json),
				)
			: chunkKey(batchId, index);
		const rendered = renderEvents(
			input.format,
			group.map((g) => g.event),
			{ endpoint: input.endpoint, now: input.now, key },
		);
		return {
			key,
			body: rendered.body,
			bytes: Buffer.byteLength(rendered.body, 'utf8'),
			headers: { 'Content-Type': 'application/json', ...rendered.headers },
			positions: group.map((g) => g.position),
			chunkIndex: index,
			chunkCount: groups.length,
			count: group.length,
		};
	});
	return { batchId, requests, rejected, totalCount: input.events.length };
}

export interface SendSettings {
	url: string;
	auth: OutboundAuth;
	policy: RetryPolicy;
	target: TargetPolicy;
	resolve: Resolver;
}

export interface SentRequest {
	request: PreparedRequest;
	result: DeliveryResult;
}

export interface SendReport {
	target: TargetCheck;
	/** The URL for outputs and messages (no credentials, no query). */
	url: string;
	sent: SentRequest[];
	durationMs: number;
}

/**
 * Check the target once, then deliver the requests in order under the run's budget. A refused
 * target fails every request without a connection. Requests that the budget or a cancellation
 * leaves unsent are reported with zero attempts.
 */
export async function sendAll(
	requests: readonly PreparedRequest[],
	settings: SendSettings,
	env: DeliveryEnv,
): Promise<SendReport> {
	const clock: RunClock = { startedAt: env.now() };
	const target = await checkTarget(settings.url, settings.target, settings.resolve);
	const url = target.ok ? displayUrl(target.url) : displayUrl(settings.url);
	if (!target.ok) {
		const sent = requests.map((request) => ({
			request,
			result: {
				delivered: false,
				attempts: 0,
				durationMs: 0,
				reason: target.reason,
				message: target.message,
				retryable: false,
				log: [],
			},
		}));
		return { target, url, sent, durationMs: env.now() - clock.startedAt };
	}
	const href = target.url.href;
	const sent: SentRequest[] = [];
	for (const request of requests) {
		const result = await deliver(
			() => ({
				url: href,
				body: request.body,
				headers: {
					...request.headers,
					...outboundHeaders(settings.auth, {
						id: request.key,
						body: request.body,
						nowSeconds: Math.floor(env.now() / 1000),
					}),
				},
			}),
			settings.policy,
			env,
			clock,
		);
		sent.push({ request, result });
	}
	return { target, url, sent, durationMs: env.now() - clock.startedAt };
}

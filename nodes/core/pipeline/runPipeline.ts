import { canonicalEventSchema, type CanonicalEvent } from '../event/schema';
import { readHeader } from '../signature/headers';
import { Deduplicator } from '../dedup/deduplicator';
import { hashKey } from '../dedup/hashKey';
import { changeKeyOf } from '../reconcile/changeIdentity';
import { UnionDedup } from '../reconcile/unionState';
import { webhookChangeOf } from '../reconcile/vendors';
import { minimise } from '../json/privacy';
import { authenticateWith } from './authenticate';
import { acceptsContentType, parseJsonBody, type ParseOutcome } from './parseBody';
import { answered, reject } from './reply';
import type {
	AuthResult,
	DedupSettle,
	InboundRequest,
	NormalisedEvent,
	PipelineResult,
	PipelineState,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from './types';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The trigger pipeline (CONTRIBUTING.md "The trigger pipeline", steps 1-9) for one request. Synchronous on purpose: the dedup
 * check and record happen without an await in between, so concurrent duplicates in one process
 * cannot both pass. Never throws for anything a sender can put in a request.
 */
export function runPipeline<S extends SourceSettings>(
	source: SourceDefinition<S>,
	request: InboundRequest,
	settings: S,
	state: PipelineState,
): PipelineResult {
	const method = request.method.toUpperCase();
	const ack = source.ackStatus ?? 200;
	const pingReply = { status: ack, body: { status: 'ok', reason: 'ping' } };

	// 1. Method and size.
	const methods = source.methods ?? ['POST'];
	if (!methods.includes(method)) {
		return reject(
			'method_not_allowed',
			405,
			'method_not_allowed',
			`Use ${methods.join(' or ')} for this webhook.`,
			{ Allow: methods.join(', ') },
		);
	}
	const declaredLength = Number(readHeader(request.headers, 'content-length').value ?? NaN);
	const size = Math.max(
		request.rawBody?.length ?? 0,
		Number.isFinite(declaredLength) ? declaredLength : 0,
	);
	if (size > settings.maxBodyBytes) {
		return reject(
			'payload_too_large',
			413,
			'payload_too_large',
			`The body is ${size} bytes; this trigger accepts at most ${settings.maxBodyBytes}.`,
		);
	}

	// 2. Handshakes that need no trusted body (subscription echo, GET ping).
	const handshake = source.handshake?.(request, settings);
	if (handshake) return answered('handshake', handshake);

	// A bodiless request (blank counts) stands for the source's emptyBody when it has one.
	const bodiless = source.emptyBody !== undefined && isBlank(request.rawBody);
	const hasBody = BODY_METHODS.has(method) && !bodiless;
	const contentType = readHeader(request.headers, 'content-type').value;
	if (hasBody && !acceptsContentType(contentType)) {
		return reject(
			'unsupported_media_type',
			415,
			'unsupported_media_type',
			`Content-Type ${contentType ?? ''} is not JSON; send application/json.`,
		);
	}

	let parsed: ParseOutcome | undefined;
	const parse = () =>
		(parsed ??= bodiless ? { ok: true, value: source.emptyBody } : parseJsonBody(request.rawBody));

	// Unsigned vendor test calls (they must succeed even before a secret is set up).
	const ping = source.ping;
	if (ping?.beforeAuth && !settings.emitTestEvents) {
		const body = parse();
		if (body.ok && safeDetect(ping.detect, body.value, request))
			return answered('ping', ping.reply ?? pingReply);
	}

	// 3. Authenticate over the raw bytes.
	const auth: AuthResult = safeAuth(source, request, settings, parse);
	if (!auth.ok) {
		if (auth.status === 503)
			return reject('not_configured', 503, auth.reason, auth.message, auth.headers);
		return reject('unauthorized', auth.status ?? 401, auth.reason, auth.message, auth.headers);
	}

	// 4. Parse.
	const body = parse();
	if (!body.ok) return reject('bad_request', 400, body.reason, body.message);

	const isPing = ping !== undefined && safeDetect(ping.detect, body.value, request);
	if (isPing && !settings.emitTestEvents) return answered('ping', ping.reply ?? pingReply);

	// 5. Split.
	let split;
	try {
		split = source.split(body.value, request, settings);
	} catch (error) {
		return reject(
			'bad_request',
			400,
			'unexpected_shape',
			`The body does not have a shape this trigger can read: ${(error as Error).message}`,
		);
	}
	const rawEvents = split.events;
	if (rawEvents.length === 0) {
		return answered('filtered', { status: ack, body: { status: 'ignored', reason: 'no_events' } });
	}

	const deliveryId = safeDeliveryId(source, request, body.value);
	const receivedAt = new Date(request.now).toISOString();

	// 6. Filter (on the vendor's name or the canonical one).
	const normalised = rawEvents.map((raw) => {
		const norm = safeNormalise(source, raw, request, settings);
		// A vendor test call the user asked to see is always the canonical `test` event.
		return isPing
			? { ...norm, event: 'test' as const, subject: { ...norm.subject, type: 'test' as const } }
			: norm;
	});
	const wanted = settings.events.length > 0 ? new Set(settings.events) : undefined;
	const kept: number[] = [];
	for (let i = 0; i < rawEvents.length; i++) {
		// A test call the user asked to see is shown whatever events are selected.
		if (
			!wanted ||
			isPing ||
			wanted.has(rawEvents[i].sourceEvent) ||
			wanted.has(normalised[i].event)
		)
			kept.push(i);
	}
	const filtered = rawEvents.length - kept.length;
	if (kept.length === 0) {
		return answered('filtered', {
			status: ack,
			body: { status: 'ignored', reason: 'event_not_selected', filtered },
		});
	}

	// 7. Dedup.
	const identities = kept.map((i) =>
		identityOf(rawEvents[i], i, rawEvents.length, deliveryId, request.rawBody, body.value),
	);
	const dedup = settings.dedup.enabled
		? new Deduplicator(state.scope, state.staticData, Math.max(1, settings.dedup.window))
		: undefined;
	// With an ATS Reconcile Trigger in the workflow, a change the poll already emitted (same change
	// identity) is a duplicate too, and this delivery's keys join the union (nodes/core/reconcile/).
	const union =
		dedup && state.union
			? new UnionDedup(state.union.workflowId, state.union.staticData, state.union.window)
			: undefined;
	const accepted: Array<{ index: number; key: string; changeKey?: string }> = [];
	const pending: Array<Promise<unknown>> = [];
	for (let k = 0; k < kept.length; k++) {
		const identity = identities[k];
		if (dedup) {
			let changeKey: string | undefined;
			if (union) {
				const change = webhookChangeOf(source.id, rawEvents[kept[k]].body);
				if (union.has(hashKey(identity))) continue;
				if (change) {
					changeKey = changeKeyOf(change);
					const unionClaim = union.claim(changeKey, request.now);
					if (unionClaim.state === 'seen') continue;
					if (unionClaim.state === 'in_flight') {
						pending.push(unionClaim.settled);
						continue;
					}
				}
			}
			const claim = dedup.claim(identity, request.now);
			if (claim.isNew) accepted.push({ index: kept[k], key: claim.key, changeKey });
			else {
				if (changeKey) union?.releaseKey(changeKey);
				if (claim.pending) pending.push(claim.pending);
			}
		} else {
			accepted.push({ index: kept[k], key: hashKey(identity) });
		}
	}
	if (pending.length > 0 && dedup) {
		// Another request holds a copy and n8n has not yet stored it: answering "duplicate" now would
		// be a promise nobody can keep if that copy fails. The caller waits and runs the pipeline again.
		dedup.release();
		union?.release();
		return {
			outcome: 'in_flight',
			events: [],
			pending: Promise.all(pending),
			reply: inFlightReply,
		};
	}
	const duplicates = kept.length - accepted.length;
	if (accepted.length === 0) {
		// n8n saves this request's static data when it changed: carry the union and the cursors too.
		if (dedup?.flush()) union?.touch();
		return answered('duplicate', { status: ack, body: { status: 'duplicate', duplicates } });
	}

	// 8. Normalise to the canonical event. Claims are held from here on: free them if anything throws.
	let events: CanonicalEvent[] = [];
	let normalisedOk = false;
	try {
		events = accepted.map(({ index, key, changeKey }) =>
			toCanonical(source.id, rawEvents[index], normalised[index], {
				id:
					rawEvents[index].eventId ??
					(deliveryId
						? rawEvents.length > 1
							? `${deliveryId}#${index}`
							: deliveryId
						: `sha256:${key}`),
				deliveryId,
				auth,
				receivedAt,
				privacy: settings.privacy,
				splitWarnings: split.warnings,
				dedupKey: dedup ? key : undefined,
				changeKey,
			}),
		);
		normalisedOk = true;
	} finally {
		if (!normalisedOk) {
			dedup?.release();
			union?.release();
		}
	}
	const claims = dedup ? settleHandle(dedup, union) : undefined;

	// 9. The reply. n8n sends it only after it has stored the execution (the node does not answer
	// accepted deliveries itself), so a 2xx means the event is safe.
	const status = settings.responseCode || source.acceptedStatus || 200;
	const reply = {
		status,
		body: { status: 'accepted', events: events.length, duplicates, filtered },
	};
	if (settings.batchAsOneItem && events.length > 1) {
		const batch = events[0].batch;
		return {
			outcome: 'accepted',
			reply,
			claims,
			events: [
				{
					source: source.id,
					batch: batch ? { id: batch.id, size: batch.size } : undefined,
					count: events.length,
					events,
				},
			],
		};
	}
	return { outcome: 'accepted', reply, claims, events };
}

const inFlightReply = {
	status: 503,
	headers: { 'Retry-After': '5' },
	body: {
		error: 'in_flight',
		reason: 'in_flight',
		message: 'A copy of this delivery is being stored right now; retry shortly.',
	},
};

function settleHandle(dedup: Deduplicator, union?: UnionDedup): DedupSettle {
	const keys = [...dedup.claimedKeys];
	let done = false;
	return {
		keys,
		commit: () => {
			if (done) return;
			done = true;
			dedup.commit();
			union?.commit();
		},
		release: () => {
			if (done) return;
			done = true;
			dedup.release();
			union?.release();
		},
	};
}

/** No bytes, or only whitespace (checked only for sources with an emptyBody). */
function isBlank(raw: Buffer | undefined): boolean {
	if (!raw) return true;
	for (const byte of raw)
		if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false;
	return true;
}

function safeDetect(
	detect: (body: unknown, request: InboundRequest) => boolean,
	body: unknown,
	request: InboundRequest,
): boolean {
	try {
		return detect(body, request);
	} catch {
		return false;
	}
}

function safeAuth<S extends SourceSettings>(
	source: SourceDefinition<S>,
	request: InboundRequest,
	settings: S,
	parse: () => ParseOutcome,
): AuthResult {
	try {
		if (source.authenticate && settings.auth.scheme === 'vendor')
			return source.authenticate(request, settings, parse);
		return authenticateWith(settings.auth, request);
	} catch {
		return {
			ok: false,
			reason: 'verification_error',
			message: 'The signature could not be checked.',
		};
	}
}

function safeDeliveryId<S extends SourceSettings>(
	source: SourceDefinition<S>,
	request: InboundRequest,
	body: unknown,
): string | undefined {
	try {
		return source.deliveryId?.(request, body) || undefined;
	} catch {
		return undefined;
	}
}

function safeNormalise<S extends SourceSettings>(
	source: SourceDefinition<S>,
	raw: RawEvent,
	request: InboundRequest,
	settings: S,
): NormalisedEvent {
	try {
		return source.normalise(raw, request, settings);
	} catch (error) {
		// Schema drift must not lose the event: emit it unmapped, say why.
		return {
			event: 'unknown',
			subject: { type: 'unknown', id: null },
			warnings: [`normalise_failed: ${(error as Error).message}`],
		};
	}
}

/** Dedup identity: the event's own id, else the delivery id (per batch position), else a body hash. */
function identityOf(
	raw: RawEvent,
	index: number,
	count: number,
	deliveryId: string | undefined,
	rawBody: Buffer | undefined,
	body: unknown,
): string {
	if (raw.eventId) return `event:${raw.eventId}`;
	if (deliveryId) return count > 1 ? `delivery:${deliveryId}#${index}` : `delivery:${deliveryId}`;
	if (count === 1) return `body:${hashKey(rawBody ?? JSON.stringify(body))}`;
	return `item:${hashKey(JSON.stringify(raw.body) ?? '')}`;
}

interface CanonicalContext {
	id: string;
	deliveryId: string | undefined;
	auth: Extract<AuthResult, { ok: true }>;
	receivedAt: string;
	privacy: boolean;
	splitWarnings?: string[];
	/** The hashed dedup key, carried on the item so the trigger's execute() can record it as stored. */
	dedupKey?: string;
	/** The hashed change identity, when the workflow reconciles by polling. */
	changeKey?: string;
}

function toCanonical(
	source: string,
	raw: RawEvent,
	norm: NormalisedEvent,
	ctx: CanonicalContext,
): CanonicalEvent {
	const warnings = [...(ctx.splitWarnings ?? []), ...(norm.warnings ?? [])];
	const candidate = norm.candidate && ctx.privacy ? { id: norm.candidate.id } : norm.candidate;
	const draft = {
		id: ctx.id,
		source,
		event: norm.event,
		sourceEvent: raw.sourceEvent,
		occurredAt: norm.occurredAt ?? null,
		receivedAt: ctx.receivedAt,
		subject: norm.subject,
		...(candidate ? { candidate } : {}),
		...(norm.job ? { job: norm.job } : {}),
		...(norm.application ? { application: norm.application } : {}),
		...(raw.batch ? { batch: raw.batch } : {}),
		delivery: {
			id: ctx.deliveryId ?? null,
			verified: ctx.auth.verified,
			scheme: ctx.auth.scheme,
			...(ctx.dedupKey ? { dedupKey: ctx.dedupKey } : {}),
			...(ctx.changeKey ? { changeKey: ctx.changeKey } : {}),
		},
		payload: ctx.privacy ? minimisePayload(raw.body, warnings) : raw.body,
		...(warnings.length ? { warnings } : {}),
	};
	const checked = canonicalEventSchema.safeParse(draft);
	if (checked.success) return withExtra(checked.data, norm.extra);
	// A source produced a field of the wrong type: keep the event, report the mismatch.
	const issues = checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
	return withExtra(
		{
			...(draft as CanonicalEvent),
			warnings: [...warnings, ...issues.map((i) => `canonical_schema: ${i}`)],
		},
		norm.extra,
	);
}

/** Privacy fails closed: if minimising throws, the payload is removed rather than emitted as is. */
function minimisePayload(body: unknown, warnings: string[]): unknown {
	try {
		return minimise(body);
	} catch {
		warnings.push('privacy_fallback: the payload could not be minimised and was removed');
		return null;
	}
}

function withExtra(
	event: CanonicalEvent,
	extra: Record<string, unknown> | undefined,
): CanonicalEvent {
	if (!extra) return event;
	const out: Record<string, unknown> = { ...event };
	for (const [key, value] of Object.entries(extra)) if (!(key in out)) out[key] = value;
	return out as CanonicalEvent;
}

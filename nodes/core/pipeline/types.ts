import type { CanonicalEvent, SignatureSchemeName } from '../event/schema';
import type { ParseOutcome } from './parseBody';
import type { CanonicalEventName, UNKNOWN_EVENT } from '../event/taxonomy';

/** What the pipeline needs of an HTTP request; built from IWebhookFunctions by the node adapter. */
export interface InboundRequest {
	method: string;
	/** Header names lower-cased; repeated headers joined by n8n/Node as usual. */
	headers: Record<string, string | string[] | undefined>;
	/** The exact bytes received. Authentication runs over these, never over re-serialised JSON. */
	rawBody: Buffer | undefined;
	query: Record<string, unknown>;
	/** Wall clock in ms; injected so tests can pin time. */
	now: number;
}

/** An answer: the node writes it for deliveries that start nothing; n8n sends an accepted one after storing the execution (docs/durability.md). */
export interface Reply {
	status: number;
	body: Record<string, unknown> | string;
	headers?: Record<string, string>;
}

/** Outcome of authentication: ok, or a short machine-readable reason for the 401. */
export type AuthResult =
	| { ok: true; scheme: SignatureSchemeName; verified: boolean }
	| {
			ok: false;
			reason: string;
			message: string;
			status?: number;
			headers?: Record<string, string>;
	  };

/** One event found in a delivery, before normalisation. */
export interface RawEvent {
	/** The vendor's own event name (`candidate_changed`, `creation/candidate`, ...). */
	sourceEvent: string;
	/** The part of the body that describes this event (the whole body for single-event deliveries). */
	body: unknown;
	/** Per-event dedup identity when the vendor gives one (event id, candidate id in a batch). */
	eventId?: string;
	/** Position in a batch, when the delivery carried several events or candidates. */
	batch?: { id: string; index: number; size: number };
}

/** The normalised part a source fills in; the pipeline adds ids, delivery data and timestamps. */
export interface NormalisedEvent {
	event: CanonicalEventName | typeof UNKNOWN_EVENT;
	occurredAt?: string | null;
	subject: CanonicalEvent['subject'];
	candidate?: CanonicalEvent['candidate'];
	job?: CanonicalEvent['job'];
	application?: CanonicalEvent['application'];
	warnings?: string[];
	/**
	 * Vendor fields the canonical shape has no place for (Recruitis' publication channel). Copied
	 * onto the event as they are, never over a canonical field, and NOT minimised by the Privacy
	 * option: put only non-personal data here.
	 */
	extra?: Record<string, unknown>;
}

/** How a delivery is split into events; a source may override the default JSON handling. */
export interface SplitResult {
	events: RawEvent[];
	warnings?: string[];
}

/**
 * A source: the data and pure functions that make one sender work (CONTRIBUTING.md "Architecture").
 * Everything here is free of n8n; the node passes the user's settings in `SourceSettings`.
 */
export interface SourceDefinition<S extends SourceSettings = SourceSettings> {
	/** Stable id, used as `source` on every event (`greenhouse`, `talentats`, `generic`). */
	id: string;
	/** Accepted HTTP methods (upper case). Default `['POST']`. */
	methods?: string[];
	/**
	 * Step 2, before authentication: answers that need no body trust, such as a subscription
	 * handshake header echo or a GET ping. Return undefined to continue.
	 */
	handshake?(request: InboundRequest, settings: S): Reply | undefined;
	/**
	 * Step 3: vendor-specific authentication. Without it, the generic schemes from settings apply.
	 * `body` is the pipeline's own parse of the raw bytes (done once, reused by step 4), for senders
	 * that sign fields of the JSON body (Lever).
	 */
	authenticate?(request: InboundRequest, settings: S, body: () => ParseOutcome): AuthResult;
	/**
	 * Pings and test calls, seen after parsing. `beforeAuth` marks senders whose test call is not
	 * signed (a test must still succeed). A ping starts no execution unless the user asks to see tests.
	 */
	ping?: {
		detect(body: unknown, request: InboundRequest): boolean;
		beforeAuth?: boolean;
		reply?: Reply;
	};
	/** Step 5: one RawEvent per event (or per candidate of a batch). */
	split(body: unknown, request: InboundRequest, settings: S): SplitResult;
	/** Step 7: the delivery id for dedup (a vendor header such as `Greenhouse-Event-ID`). */
	deliveryId?(request: InboundRequest, body: unknown): string | undefined;
	/** Step 8: vendor fields to the canonical event. Must not throw on unexpected shapes: warn instead. */
	normalise(raw: RawEvent, request: InboundRequest, settings: S): NormalisedEvent;
	/**
	 * The body to assume when a request has none (a GET, an empty POST), for senders whose test call
	 * is bodiless (Recruitis). Without it an empty body is a 400.
	 */
	emptyBody?: unknown;
	/** Status for accepted deliveries when the user sets none (202 for SmartRecruiters). */
	acceptedStatus?: number;
	/**
	 * Status for every other acknowledgement (duplicates, deselected events, pings): senders that
	 * count only one code as delivered (SmartRecruiters: 202) would otherwise retry them. Default 200.
	 */
	ackStatus?: number;
}

/** Authentication the user configured for senders that do not sign (or the generic trigger). */
export type AuthSettings =
	| { scheme: 'none' }
	| { scheme: 'headerToken'; headerName: string; tokens: string[] }
	| { scheme: 'basicAuth'; user: string; passwords: string[] }
	| {
			scheme: 'hmac';
			secrets: string[];
			algorithm: 'sha256' | 'sha1' | 'sha512';
			encoding: 'hex' | 'base64' | 'base64url';
			headerName: string;
			prefix: string;
			signedContent: 'body' | 'timestampDotBody';
			timestampHeader?: string;
			toleranceSeconds: number;
	  }
	| { scheme: 'standardWebhooks'; secrets: string[]; toleranceSeconds: number }
	/** Vendor schemes (Greenhouse, Ashby, ...) read their own secrets from here. */
	| { scheme: 'vendor'; secrets: string[]; toleranceSeconds: number }
	/** The trigger's credential could not be read: deliveries get 503 + Retry-After, pings still their answer. */
	| { scheme: 'unavailable' };

/** The user's node settings the pipeline reads. Sources may extend this with their own fields. */
export interface SourceSettings {
	auth: AuthSettings;
	/** Source or canonical event names to accept; empty = all. */
	events: string[];
	dedup: { enabled: boolean; window: number };
	privacy: boolean;
	maxBodyBytes: number;
	/** 0 = the source's default (200, or its `acceptedStatus`). */
	responseCode: number;
	/** Emit a batch as one item instead of one item per event. */
	batchAsOneItem: boolean;
	/** Start an execution for pings and vendor test calls. */
	emitTestEvents: boolean;
}

/** Per-workflow persistent state the node hands in (workflow static data, node scope). */
export interface PipelineState {
	/** Stable key of this trigger in this process: workflow id + node id. */
	scope: string;
	/** The node's static data object; the dedup ring lives in it. Mutated in place. */
	staticData: Record<string, unknown>;
	/**
	 * Set when the workflow also holds an ATS Reconcile Trigger (docs/nodes/atsReconcileTrigger.md):
	 * the workflow's global static data, where the union of both paths lives, and its window.
	 */
	union?: { workflowId: string; staticData: Record<string, unknown>; window: number };
}

export interface PipelineResult {
	reply: Reply;
	/** Items for the workflow; empty means no execution is started. */
	events: CanonicalEvent[] | Array<Record<string, unknown>>;
	/**
	 * For an accepted delivery with dedup on: the claimed keys. Call `commit` once n8n has stored the
	 * execution (its 2xx went out), `release` when it was not stored. Never commit earlier.
	 */
	claims?: DedupSettle;
	/** Outcome `in_flight`: settles when the request holding a copy of this delivery learns its fate. */
	pending?: Promise<unknown>;
	/** Why nothing or something was emitted, for logs without candidate data. */
	outcome:
		| 'accepted'
		| 'in_flight'
		| 'method_not_allowed'
		| 'payload_too_large'
		| 'unsupported_media_type'
		| 'unauthorized'
		| 'bad_request'
		| 'handshake'
		| 'ping'
		| 'filtered'
		| 'duplicate'
		| 'not_configured'
		| 'internal_error';
}

export interface DedupSettle {
	keys: readonly string[];
	commit(): void;
	release(): void;
}

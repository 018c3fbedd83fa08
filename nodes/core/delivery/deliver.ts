import { decide, type AttemptOutcome, type RetryPolicy } from './retryPolicy';

/**
 * Delivery of one request with retries, free of n8n: the node passes its transport (n8n's
 * `httpRequest` helper), `sleep` from n8n-workflow and the clock. Every attempt of a request
 * carries the same body and idempotency key; headers are built per attempt so that signatures
 * carry the attempt's own timestamp.
 */
export interface OutboundRequest {
	url: string;
	body: string;
	headers: Record<string, string>;
}

export interface TransportResponse {
	status: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** Sends one attempt. Resolves for any HTTP status; rejects only when no response arrived. */
export type Transport = (
	request: OutboundRequest,
	options: { timeoutMs: number },
) => Promise<TransportResponse>;

export interface DeliveryEnv {
	send: Transport;
	sleep: (ms: number) => Promise<void>;
	now: () => number;
	random: () => number;
	/** True once the execution is cancelled: no new attempt or wait starts. */
	cancelled?: () => boolean;
}

/**
 * What a transport throws when it knows why an attempt failed (its own deadline fired, the
 * execution was cancelled). Any other rejection is read as a network error by its `code`.
 */
export class AttemptError extends Error {
	constructor(readonly outcome: Extract<AttemptOutcome, { kind: 'error' }>) {
		super(outcome.message);
		this.name = 'AttemptError';
	}
}

/** The run's clock: all requests of one node run share one budget. */
export interface RunClock {
	startedAt: number;
}

export interface AttemptRecord {
	attempt: number;
	status?: number;
	error?: string;
	durationMs: number;
	/** Wait before the next attempt, when there was one. */
	waitMs?: number;
}

export interface DeliveryResult {
	delivered: boolean;
	/** Last HTTP status, when any response arrived. */
	status?: number;
	attempts: number;
	durationMs: number;
	/** Short machine code of the last failure (`http_503`, `timeout`, `gone`, `budget_exhausted`, ...). */
	reason?: string;
	/** What happened, for people; never contains the body, headers or secrets. */
	message?: string;
	/** Whether the last failure was of a kind that a later retry might fix. */
	retryable?: boolean;
	/** The last response's body as received (only kept when small; see `summariseResponse`). */
	response?: unknown;
	responseBytes?: number;
	log: AttemptRecord[];
}

const RESPONSE_KEEP_BYTES = 2048;

/** The response body when small (text or parsed JSON), else only its size. */
export function summariseResponse(body: unknown): { response?: unknown; responseBytes: number } {
	if (body === undefined || body === null || body === '') return { responseBytes: 0 };
	let text: string;
	if (Buffer.isBuffer(body)) text = body.toString('utf8');
	else if (typeof body === 'string') text = body;
	else {
		try {
			text = JSON.stringify(body) ?? '';
		} catch {
			return { responseBytes: 0 };
		}
	}
	const responseBytes = Buffer.byteLength(text, 'utf8');
	if (responseBytes > RESPONSE_KEEP_BYTES) return { responseBytes };
	return {
		response: typeof body === 'object' && !Buffer.isBuffer(body) ? body : text,
		responseBytes,
	};
}

function headerText(headers: Record<string, unknown>, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() !== name) continue;
		if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
		return value === undefined || value === null ? undefined : String(value);
	}
	return undefined;
}

function describe(error: unknown): AttemptOutcome {
	if (error instanceof AttemptError) return error.outcome;
	const e = (error ?? {}) as { code?: unknown; message?: unknown };
	return {
		kind: 'error',
		code: typeof e.code === 'string' ? e.code : undefined,
		message: typeof e.message === 'string' ? e.message : 'request failed',
	};
}

/**
 * Try one request until it is delivered, fails for good, runs out of attempts or the run's
 * time budget. Each attempt's timeout is cut to what is left of the budget.
 */
export async function deliver(
	build: (attempt: number) => OutboundRequest,
	policy: RetryPolicy,
	env: DeliveryEnv,
	clock: RunClock,
): Promise<DeliveryResult> {
	const started = env.now();
	const log: AttemptRecord[] = [];
	let last: { status?: number; body?: unknown } = {};

	const finish = (
		fields: Omit<DeliveryResult, 'attempts' | 'durationMs' | 'log'>,
	): DeliveryResult => ({
		...fields,
		...(last.body !== undefined ? summariseResponse(last.body) : {}),
		attempts: log.length,
		durationMs: env.now() - started,
		log,
	});

	for (let attempt = 1; ; attempt++) {
		if (env.cancelled?.()) {
			return finish({
				delivered: false,
				status: last.status,
				reason: 'cancelled',
				message: 'The execution was cancelled before this request was delivered.',
				retryable: true,
			});
		}
		const remaining = policy.budgetMs - (env.now() - clock.startedAt);
		if (remaining <= 0) {
			const before = log.length
				? `after ${log.length} attempt${log.length === 1 ? '' : 's'}`
				: 'before the first attempt';
			return finish({
				delivered: false,
				status: last.status,
				reason: 'budget_exhausted',
				message: `The run's time budget of ${policy.budgetMs} ms ran out ${before}.`,
				retryable: true,
			});
		}
		const timeoutMs = Math.max(1, Math.min(policy.attemptTimeoutMs, remaining));
		const attemptStart = env.now();
		let outcome: AttemptOutcome;
		try {
			const response = await env.send(build(attempt), { timeoutMs });
			last = { status: response.status, body: response.body };
			outcome = {
				kind: 'response',
				status: response.status,
				retryAfter: headerText(response.headers, 'retry-after'),
			};
		} catch (error) {
			last = { status: undefined, body: undefined };
			outcome = describe(error);
		}
		const record: AttemptRecord = { attempt, durationMs: env.now() - attemptStart };
		if (outcome.kind === 'response') record.status = outcome.status;
		else record.error = outcome.timedOut ? 'timeout' : (outcome.code ?? 'error');
		log.push(record);

		const now = env.now();
		const decision = decide({
			attempt,
			outcome,
			elapsedMs: now - clock.startedAt,
			nowMs: now,
			policy,
			random: env.random,
		});
		if (decision.action === 'delivered') return finish({ delivered: true, status: last.status });
		if (decision.action === 'give_up') {
			return finish({
				delivered: false,
				status: last.status,
				reason: decision.reason,
				message: decision.message,
				retryable: decision.retryable,
			});
		}
		record.waitMs = decision.delayMs;
		if (env.cancelled?.()) continue;
		try {
			await env.sleep(decision.delayMs);
		} catch {
			// A sleep cut short by cancellation: the loop reports it.
		}
	}
}

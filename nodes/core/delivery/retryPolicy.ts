/**
 * When to try a request again, and how long to wait (CONTRIBUTING.md "Outbound delivery"). Pure:
 * the caller passes the attempt number, what happened, the time used and a random source.
 *
 * - 2xx: delivered. 3xx: failure, redirects are not followed (Standard Webhooks; Svix
 *   `test_no_redirects_policy`). 410: failure, the endpoint is gone. 408, 429, 5xx and network
 *   errors: retried. Other 4xx: failure at once (the receiver refused this request).
 * - Delay: exponential (initial × 2^(attempt-1), capped), jitter ±20 % as in Svix's worker.
 *   `Retry-After` (seconds or HTTP date) is honoured as a lower bound, clamped to a cap, so a
 *   receiver can slow us down but not stall the run.
 * - A total time budget: no wait is started that would end past it; the caller also shortens the
 *   last attempt's timeout to what is left.
 */
export interface RetryPolicy {
	/** Attempts in all, the first one included (1 = no retries). */
	maxAttempts: number;
	initialDelayMs: number;
	maxDelayMs: number;
	/** Longest wait a Retry-After header may ask for. */
	retryAfterCapMs: number;
	/** Time for the whole run: every attempt and wait of every request. */
	budgetMs: number;
	/** Timeout of one attempt. */
	attemptTimeoutMs: number;
	/** Fraction of the delay added or removed at random (0.2 = ±20 %). */
	jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	initialDelayMs: 1000,
	maxDelayMs: 30_000,
	retryAfterCapMs: 60_000,
	budgetMs: 120_000,
	attemptTimeoutMs: 30_000,
	jitter: 0.2,
};

/** What one attempt produced. */
export type AttemptOutcome =
	| { kind: 'response'; status: number; retryAfter?: string }
	| { kind: 'error'; code?: string; message: string; timedOut?: boolean; cancelled?: boolean };

/** Transport error codes that mean "the network failed, the request may not have arrived". */
const RETRYABLE_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'ENETDOWN',
	'EHOSTUNREACH',
	'EHOSTDOWN',
	'ENOBUFS',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'ERR_STREAM_PREMATURE_CLOSE',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'ERR_HTTP2_STREAM_ERROR',
]);

export type Verdict =
	| { verdict: 'delivered' }
	| { verdict: 'retryable'; reason: string; message: string }
	| { verdict: 'permanent'; reason: string; message: string };

export function judge(outcome: AttemptOutcome): Verdict {
	if (outcome.kind === 'response') {
		const { status } = outcome;
		if (status >= 200 && status < 300) return { verdict: 'delivered' };
		if (status >= 300 && status < 400) {
			return {
				verdict: 'permanent',
				reason: 'redirect_not_followed',
				message: `HTTP ${status}: the receiver redirects, and redirects are not followed. Put the final address in the URL.`,
			};
		}
		if (status === 410)
			return {
				verdict: 'permanent',
				reason: 'gone',
				message: 'HTTP 410 Gone: the receiver says this endpoint no longer exists (not retried).',
			};
		if (status === 408 || status === 429 || (status >= 500 && status < 600)) {
			return { verdict: 'retryable', reason: `http_${status}`, message: `HTTP ${status}` };
		}
		if (status >= 400 && status < 500) {
			return {
				verdict: 'permanent',
				reason: `http_${status}`,
				message: `HTTP ${status}: the receiver refused the request (4xx is not retried).`,
			};
		}
		return {
			verdict: 'permanent',
			reason: `http_${status}`,
			message: `HTTP ${status}: unexpected status.`,
		};
	}
	if (outcome.cancelled)
		return { verdict: 'permanent', reason: 'cancelled', message: 'The execution was cancelled.' };
	if (outcome.timedOut)
		return {
			verdict: 'retryable',
			reason: 'timeout',
			message: 'No answer within the attempt timeout.',
		};
	const code = outcome.code ?? '';
	if (RETRYABLE_CODES.has(code) || /socket hang up|network|reset/i.test(outcome.message)) {
		return {
			verdict: 'retryable',
			reason: 'network_error',
			message: `Network error${code ? ` ${code}` : ''}: ${outcome.message}`,
		};
	}
	return {
		verdict: 'permanent',
		reason: 'request_error',
		message: `${code ? `${code}: ` : ''}${outcome.message}`,
	};
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined) return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	// An HTTP date has a weekday or month name; bare numbers with signs are not dates.
	if (!/[a-z]/i.test(text)) return undefined;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}

/** Exponential backoff with jitter for the wait after attempt `attempt` (1-based). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
	const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
	const factor = 1 - policy.jitter + 2 * policy.jitter * clamp01(random());
	return Math.max(0, Math.round(base * factor));
}

export type Decision =
	| { action: 'delivered' }
	| { action: 'retry'; delayMs: number; reason: string; message: string }
	| { action: 'give_up'; reason: string; message: string; retryable: boolean };

export interface DecideInput {
	/** The attempt that just finished, 1-based. */
	attempt: number;
	outcome: AttemptOutcome;
	/** Time used by the run so far, when this attempt finished. */
	elapsedMs: number;
	nowMs: number;
	policy: RetryPolicy;
	random: () => number;
}

/** The next step after one attempt. */
export function decide({
	attempt,
	outcome,
	elapsedMs,
	nowMs,
	policy,
	random,
}: DecideInput): Decision {
	const verdict = judge(outcome);
	if (verdict.verdict === 'delivered') return { action: 'delivered' };
	if (verdict.verdict === 'permanent')
		return {
			action: 'give_up',
			reason: verdict.reason,
			message: verdict.message,
			retryable: false,
		};
	if (attempt >= policy.maxAttempts) {
		return {
			action: 'give_up',
			reason: verdict.reason,
			message: `${verdict.message}; gave up after ${attempt} attempt${attempt === 1 ? '' : 's'} (the maximum).`,
			retryable: true,
		};
	}
	let delayMs = backoffDelay(attempt, policy, random);
	const retryAfter =
		outcome.kind === 'response' ? parseRetryAfter(outcome.retryAfter, nowMs) : undefined;
	if (retryAfter !== undefined)
		delayMs = Math.max(delayMs, Math.min(retryAfter, policy.retryAfterCapMs));
	if (elapsedMs + delayMs >= policy.budgetMs) {
		return {
			action: 'give_up',
			reason: verdict.reason,
			message: `${verdict.message}; gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}: the next try (in ${delayMs} ms) would pass the time budget of ${policy.budgetMs} ms.`,
			retryable: true,
		};
	}
	return { action: 'retry', delayMs, reason: verdict.reason, message: verdict.message };
}

function clamp01(n: number): number {
	return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0.5;
}

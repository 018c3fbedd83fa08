import {
	backoffDelay,
	decide,
	judge,
	parseRetryAfter,
	DEFAULT_RETRY_POLICY,
	type RetryPolicy,
} from '../../nodes/core/delivery/retryPolicy';
import {
	AttemptError,
	deliver,
	summariseResponse,
	type DeliveryEnv,
	type OutboundRequest,
	type TransportResponse,
} from '../../nodes/core/delivery/deliver';

/** Retry rules from CONTRIBUTING.md "Outbound delivery": Svix schedule, jitter and Retry-After (https://docs.svix.com/retries); Standard Webhooks status handling. */
const policy: RetryPolicy = {
	...DEFAULT_RETRY_POLICY,
	initialDelayMs: 100,
	maxDelayMs: 1000,
	retryAfterCapMs: 2000,
	budgetMs: 10_000,
	maxAttempts: 5,
};
const mid = () => 0.5;

describe('judge', () => {
	it.each([200, 201, 202, 204, 299])('%s is delivered', (status) =>
		expect(judge({ kind: 'response', status }).verdict).toBe('delivered'),
	);
	it.each([408, 429, 500, 502, 503, 504, 599])('%s is retried', (status) =>
		expect(judge({ kind: 'response', status }).verdict).toBe('retryable'),
	);
	it.each([400, 401, 403, 404, 409, 413, 422])('%s fails at once', (status) =>
		expect(judge({ kind: 'response', status }).verdict).toBe('permanent'),
	);
	it.each([301, 302, 303, 307, 308])(
		'%s (redirect) fails at once: redirects are not followed',
		(status) =>
			expect(judge({ kind: 'response', status })).toMatchObject({
				verdict: 'permanent',
				reason: 'redirect_not_followed',
			}),
	);
	it('410 Gone fails at once', () =>
		expect(judge({ kind: 'response', status: 410 })).toMatchObject({
			verdict: 'permanent',
			reason: 'gone',
		}));
	it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET'])(
		'network error %s is retried',
		(code) => expect(judge({ kind: 'error', code, message: 'x' }).verdict).toBe('retryable'),
	);
	it('a timeout is retried, a cancellation and an unknown host are not', () => {
		expect(judge({ kind: 'error', message: 'slow', timedOut: true })).toMatchObject({
			verdict: 'retryable',
			reason: 'timeout',
		});
		expect(judge({ kind: 'error', message: 'stop', cancelled: true })).toMatchObject({
			verdict: 'permanent',
			reason: 'cancelled',
		});
		expect(
			judge({ kind: 'error', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND x' }).verdict,
		).toBe('permanent');
		expect(judge({ kind: 'error', message: 'socket hang up' }).verdict).toBe('retryable');
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-01-01T00:00:00Z');
	it('reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('0.5', now)).toBe(500);
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
	});
	it('ignores what it cannot read', () => {
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('', now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter('-5', now)).toBeUndefined();
	});
});

describe('backoffDelay', () => {
	it('doubles from the initial delay up to the cap, jitter ±20 %', () => {
		expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, mid))).toEqual([
			100, 200, 400, 800, 1000, 1000,
		]);
		expect(backoffDelay(3, policy, () => 0)).toBe(320);
		expect(backoffDelay(3, policy, () => 1)).toBe(480);
		for (let i = 0; i < 200; i++) {
			const d = backoffDelay(2, policy, Math.random);
			expect(d).toBeGreaterThanOrEqual(160);
			expect(d).toBeLessThanOrEqual(240);
		}
	});
});

describe('decide', () => {
	const base = { elapsedMs: 0, nowMs: 0, policy, random: mid };
	it('retries a 503 with backoff, and stops at the attempt limit', () => {
		expect(
			decide({ ...base, attempt: 1, outcome: { kind: 'response', status: 503 } }),
		).toMatchObject({ action: 'retry', delayMs: 100 });
		expect(
			decide({ ...base, attempt: 5, outcome: { kind: 'response', status: 503 } }),
		).toMatchObject({ action: 'give_up', retryable: true });
	});
	it('honours Retry-After as a lower bound, up to the cap', () => {
		expect(
			decide({ ...base, attempt: 1, outcome: { kind: 'response', status: 429, retryAfter: '1' } }),
		).toMatchObject({ action: 'retry', delayMs: 1000 });
		expect(
			decide({
				...base,
				attempt: 1,
				outcome: { kind: 'response', status: 429, retryAfter: '3600' },
			}),
		).toMatchObject({ action: 'retry', delayMs: 2000 });
		// A Retry-After shorter than the backoff does not shorten it.
		expect(
			decide({ ...base, attempt: 4, outcome: { kind: 'response', status: 503, retryAfter: '0' } }),
		).toMatchObject({ action: 'retry', delayMs: 800 });
	});
	it('gives up when the wait would pass the time budget', () => {
		const d = decide({
			...base,
			elapsedMs: 9_500,
			attempt: 1,
			outcome: { kind: 'response', status: 429, retryAfter: '1' },
		});
		expect(d).toMatchObject({ action: 'give_up', retryable: true });
		if (d.action === 'give_up') expect(d.message).toContain('time budget');
	});
	it('does not retry a 4xx, a redirect or a 410', () => {
		for (const status of [400, 302, 410])
			expect(decide({ ...base, attempt: 1, outcome: { kind: 'response', status } })).toMatchObject({
				action: 'give_up',
				retryable: false,
			});
	});
});

/** A fake clock and transport: waits advance the clock, answers come from a script. */
function scripted(
	answers: Array<
		| TransportResponse
		| Error
		| ((req: OutboundRequest, timeoutMs: number) => TransportResponse | Error)
	>,
	attemptMs = 10,
) {
	let now = 1_000_000;
	const seen: Array<{ request: OutboundRequest; timeoutMs: number; at: number }> = [];
	const waits: number[] = [];
	const env: DeliveryEnv = {
		now: () => now,
		random: mid,
		sleep: async (ms) => {
			waits.push(ms);
			now += ms;
		},
		send: async (request, { timeoutMs }) => {
			seen.push({ request, timeoutMs, at: now });
			const next = answers[Math.min(seen.length - 1, answers.length - 1)];
			const answer = typeof next === 'function' ? next(request, timeoutMs) : next;
			now += attemptMs;
			if (answer instanceof Error) throw answer;
			return answer;
		},
	};
	return { env, seen, waits, clock: { startedAt: now }, advance: (ms: number) => (now += ms) };
}
const status = (
	code: number,
	headers: Record<string, unknown> = {},
	body: unknown = '',
): TransportResponse => ({ status: code, headers, body });
const build = (attempt: number): OutboundRequest => ({
	url: 'http://127.0.0.1/x',
	body: '{"a":1}',
	headers: { 'Idempotency-Key': 'k:0', attempt: String(attempt) },
});

describe('deliver', () => {
	it('retries 500, a reset and a 429 with Retry-After, then delivers; same body and key every time', async () => {
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const s = scripted([
			status(500),
			reset,
			status(429, { 'Retry-After': '1' }),
			status(200, {}, { ok: true }),
		]);
		const result = await deliver(build, policy, s.env, s.clock);
		expect(result).toMatchObject({
			delivered: true,
			status: 200,
			attempts: 4,
			response: { ok: true },
		});
		expect(s.waits).toEqual([100, 200, 1000]);
		expect(new Set(s.seen.map((x) => x.request.body)).size).toBe(1);
		expect(new Set(s.seen.map((x) => x.request.headers['Idempotency-Key'])).size).toBe(1);
		expect(s.seen.map((x) => x.request.headers.attempt)).toEqual(['1', '2', '3', '4']);
		expect(result.log.map((l) => l.status ?? l.error)).toEqual([500, 'ECONNRESET', 429, 200]);
	});

	it('stops at once on 410 and on a redirect', async () => {
		for (const code of [410, 308]) {
			const s = scripted([status(code, { location: 'http://elsewhere/' })]);
			const result = await deliver(build, policy, s.env, s.clock);
			expect(result).toMatchObject({
				delivered: false,
				attempts: 1,
				status: code,
				retryable: false,
			});
			expect(s.waits).toEqual([]);
		}
	});

	it('cuts the attempt timeout to what is left of the budget, and reports an exhausted budget', async () => {
		const tight = { ...policy, budgetMs: 1000, attemptTimeoutMs: 800, initialDelayMs: 300 };
		const timeout = new AttemptError({ kind: 'error', message: 'no answer', timedOut: true });
		const s = scripted([(_r, t) => (s.advance(t), timeout)], 0);
		const result = await deliver(build, tight, s.env, s.clock);
		expect(result.delivered).toBe(false);
		expect(s.seen.map((x) => x.timeoutMs)).toEqual([800]);
		expect(result.message).toContain('time budget');
		expect(result.reason).toBe('timeout');
	});

	it('does not start when the run has no budget left (zero attempts)', async () => {
		const s = scripted([status(200)]);
		s.advance(policy.budgetMs + 1);
		const result = await deliver(build, policy, s.env, s.clock);
		expect(result).toMatchObject({ delivered: false, attempts: 0, reason: 'budget_exhausted' });
		expect(s.seen).toHaveLength(0);
	});

	it('stops when the execution is cancelled', async () => {
		let cancelled = false;
		const s = scripted([
			() => {
				cancelled = true;
				return status(503);
			},
		]);
		const result = await deliver(build, policy, { ...s.env, cancelled: () => cancelled }, s.clock);
		expect(result).toMatchObject({ delivered: false, attempts: 1, reason: 'cancelled' });
	});

	it('keeps small response bodies and only the size of large ones', () => {
		expect(summariseResponse({ received: true })).toEqual({
			response: { received: true },
			responseBytes: 17,
		});
		expect(summariseResponse('x'.repeat(5000))).toEqual({ responseBytes: 5000 });
		expect(summariseResponse(Buffer.from('ok'))).toEqual({ response: 'ok', responseBytes: 2 });
		expect(summariseResponse('')).toEqual({ responseBytes: 0 });
	});
});

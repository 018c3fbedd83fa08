import type { IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';
import { AttemptError, type Transport } from '../core/delivery/deliver';

/**
 * One attempt through n8n's own request helper, so n8n's proxy settings and SSRF guard apply
 * (CONTRIBUTING.md "Outbound delivery"). The body is sent as the exact text that was signed (`json: false`),
 * any status comes back as a response (`ignoreHttpStatusErrors`), redirects are not followed.
 *
 * axios' `timeout` only limits idle time on the socket, so a receiver that trickles bytes could
 * hold an attempt open; an AbortSignal deadline bounds the attempt as a whole. A cancelled
 * execution aborts the attempt in flight.
 */
export function n8nTransport(context: IExecuteFunctions, cancelSignal?: AbortSignal): Transport {
	return async (request, { timeoutMs }) => {
		const deadline = AbortSignal.timeout(timeoutMs);
		const signal = cancelSignal ? AbortSignal.any([deadline, cancelSignal]) : deadline;
		try {
			const response = (await context.helpers.httpRequest({
				method: 'POST',
				url: request.url,
				body: request.body,
				headers: request.headers,
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: timeoutMs,
				abortSignal: signal,
			})) as IN8nHttpFullResponse;
			return {
				status: Number(response.statusCode),
				headers: (response.headers ?? {}) as Record<string, unknown>,
				body: response.body,
			};
		} catch (error) {
			const e = (error ?? {}) as { code?: unknown; message?: unknown; name?: unknown };
			const code = typeof e.code === 'string' ? e.code : undefined;
			const message = typeof e.message === 'string' ? e.message : 'request failed';
			if (cancelSignal?.aborted)
				throw new AttemptError({ kind: 'error', code, message: 'cancelled', cancelled: true });
			if (deadline.aborted || code === 'ECONNABORTED' || /timeout/i.test(message)) {
				throw new AttemptError({
					kind: 'error',
					code,
					message: `no answer within ${timeoutMs} ms`,
					timedOut: true,
				});
			}
			throw new AttemptError({ kind: 'error', code, message: cleanMessage(message, request.url) });
		}
	};
}

/** Error texts may quote the URL; drop it so a token in the query string never reaches an output. */
function cleanMessage(message: string, url: string): string {
	return message.split(url).join('(url)').slice(0, 300);
}

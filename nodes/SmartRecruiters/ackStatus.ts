import type { IWebhookFunctions } from 'n8n-workflow';

/**
 * SmartRecruiters counts a callback as delivered only when it gets 202 ("Receiving webhook
 * notifications": any other code is a failure and is retried up to 10 times, then an alert email).
 * The pipeline answers duplicates and deselected events with 200, which would make SmartRecruiters
 * retry a delivery we already have. This wraps the response so those 200 answers go out as 202.
 * The activation handshake (the reply that sets X-Hook-Secret) keeps its 200, as documented.
 * Errors (4xx/5xx) are untouched.
 */
export function withAckStatus(context: IWebhookFunctions, ackStatus: number): IWebhookFunctions {
	const res = context.getResponseObject();
	let handshake = false;
	const response: typeof res = new Proxy(res, {
		get(target, property) {
			if (property === 'setHeader') {
				return (name: string, value: string | number | readonly string[]) => {
					if (String(name).toLowerCase() === 'x-hook-secret') handshake = true;
					target.setHeader(name, value);
					return response;
				};
			}
			if (property === 'status') {
				return (code: number) => {
					target.status(code === 200 && !handshake ? ackStatus : code);
					return response;
				};
			}
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
	return new Proxy(context, {
		get(target, property) {
			if (property === 'getResponseObject') return () => response;
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}

import type { IWebhookFunctions } from 'n8n-workflow';

/**
 * Recruitis' "Test" may carry no body at all (a GET, or an empty POST). The pipeline needs JSON to
 * start an execution, so when the user asks to see test events such a call is handed to it as `{}`
 * (which the Recruitis source reads as a test call). Authentication still runs over the bytes the
 * pipeline sees, so a protected trigger does not start test executions for strangers.
 */
export async function withEmptyJsonBody(context: IWebhookFunctions): Promise<IWebhookFunctions> {
	const req = context.getRequestObject();
	const method = String(req.method ?? 'POST').toUpperCase();
	if (req.rawBody === undefined && typeof req.readRawBody === 'function') {
		try {
			await req.readRawBody();
		} catch {
			// Unreadable: the pipeline answers it as usual.
		}
	}
	const raw = Buffer.isBuffer(req.rawBody) ? req.rawBody : typeof req.rawBody === 'string' ? Buffer.from(req.rawBody) : undefined;
	const bare = method === 'GET' || method === 'HEAD' || !raw || raw.toString('utf8').trim().length === 0;
	if (!bare) return context;
	const request = { method, headers: req.headers, rawBody: Buffer.from('{}'), header: (name: string) => req.header?.(name) };
	const headers = { ...context.getHeaderData(), 'content-type': 'application/json' };
	return new Proxy(context, {
		get(target, property) {
			if (property === 'getRequestObject') return () => request;
			if (property === 'getHeaderData') return () => headers;
			const value = Reflect.get(target, property);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
}

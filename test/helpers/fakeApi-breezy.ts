import { randomBytes } from 'node:crypto';
import { FakeServer } from './fakeApi-gaw';

/* ------------------------------------------------------------------------------------------------
 * Breezy HR webhook management API, a local fake on 127.0.0.1 written from the documented contract
 * (developer.breezy.hr/reference/webhook-management-api):
 *  - `Authorization: <api token>` (no scheme word); a wrong token is 401;
 *  - POST /v3/company/{company_id}/webhook_endpoints {url, description, events[]} → the endpoint
 *    with its `secret` (whsec_…, returned only here);
 *  - GET the same path → the list (without secrets); DELETE .../webhook_endpoints/{id} → gone, 404
 *    for an unknown id.
 * The id field is `_id`, as in Breezy's other objects (UNCONFIRMED; the node reads `id` too).
 * ---------------------------------------------------------------------------------------------- */
export interface BreezyEndpoint {
	_id: string;
	url: string;
	description: string;
	events: string[];
	secret: string;
	status: 'active' | 'paused';
	enabled: boolean;
}

export class FakeBreezy extends FakeServer {
	readonly endpoints = new Map<string, BreezyEndpoint>();
	token = 'breezy-token';
	company = 'comp123';
	/** Set to leave the secret out of the create answer (a broken or changed API). */
	omitSecret = false;

	protected handle(
		method: string,
		path: string,
		body: unknown,
		authorization: string | undefined,
	): { status: number; body: unknown } {
		if (authorization !== this.token)
			return { status: 401, body: { error: { message: 'Invalid access token' } } };
		const base = `/v3/company/${this.company}/webhook_endpoints`;
		const url = path.split('?')[0];
		if (url === base && method === 'GET')
			return {
				status: 200,
				body: [...this.endpoints.values()].map(({ secret: _s, ...visible }) => ({
					...visible,
					secret_prefix: 'whsec_',
				})),
			};
		if (url === base && method === 'POST') {
			const input = (body ?? {}) as Record<string, unknown>;
			if (
				typeof input.url !== 'string' ||
				!Array.isArray(input.events) ||
				input.events.length === 0
			)
				return { status: 400, body: { error: { message: 'url and events are required' } } };
			const endpoint: BreezyEndpoint = {
				_id: randomBytes(6).toString('hex'),
				url: input.url,
				description: String(input.description ?? ''),
				events: input.events.map(String),
				secret: `whsec_${randomBytes(24).toString('base64url')}`,
				status: 'active',
				enabled: true,
			};
			this.endpoints.set(endpoint._id, endpoint);
			const { secret, ...rest } = endpoint;
			return { status: 201, body: this.omitSecret ? rest : { ...rest, secret } };
		}
		const one = url.startsWith(`${base}/`)
			? decodeURIComponent(url.slice(base.length + 1))
			: undefined;
		if (one && method === 'DELETE') {
			if (!this.endpoints.delete(one))
				return { status: 404, body: { error: { message: 'Not found' } } };
			return { status: 200, body: { success: true } };
		}
		return { status: 404, body: { error: { message: `No route ${method} ${url}` } } };
	}
}

import { randomUUID } from 'node:crypto';
import { FakeServer } from './fakeApi-gaw';

/* ------------------------------------------------------------------------------------------------
 * Personio API v2, a local fake on 127.0.0.1 written from the documented contract:
 *  - `POST /v2/auth/token`, form-encoded `grant_type=client_credentials&client_id&client_secret`
 *    → `{ access_token, token_type: "Bearer", expires_in }` (https://developer.personio.de/reference/post_v2-auth-token);
 *    a wrong client → 401;
 *  - `Authorization: Bearer <access token>` on the webhook endpoints, else 401;
 *  - `POST /v2/webhooks` {url, description, status, auth_type, token, enabled_events} → 201 + the
 *    webhook; a second webhook for the same URL → 409 (https://developer.personio.de/reference/post_v2-webhooks);
 *  - `GET /v2/webhooks` → `{ _data: [...], _meta: {} }`, `GET /v2/webhooks/{id}` → the webhook,
 *    `DELETE /v2/webhooks/{id}` → 204, unknown id → 404 (/reference/get_v2-webhooks, /get_v2-webhooks-id,
 *    /delete_v2-webhooks-id).
 * The list envelope (`_data`) and the created answer at the top level are ASSUMED (the node reads both
 * forms). The token is never returned by GET here (it is a secret).
 * ---------------------------------------------------------------------------------------------- */
export interface PersonioWebhook {
	id: string;
	url: string;
	description: string;
	status: string;
	auth_type: string;
	token: string;
	enabled_events: string[];
}

export class FakePersonio extends FakeServer {
	readonly webhooks = new Map<string, PersonioWebhook>();
	clientId = 'papi-client-id';
	clientSecret = 'papi-client-secret';
	/** Access tokens issued; a revoked one answers 401 (as an expired token would). */
	readonly issued = new Set<string>();
	/** Leave the id out of the create answer (a broken or changed API). */
	omitId = false;

	protected handle(
		method: string,
		path: string,
		body: unknown,
		authorization: string | undefined,
	): { status: number; body: unknown } {
		const url = path.split('?')[0];
		if (url === '/v2/auth/token' && method === 'POST') {
			const form = new URLSearchParams(typeof body === 'string' ? body : '');
			if (
				form.get('grant_type') !== 'client_credentials' ||
				form.get('client_id') !== this.clientId ||
				form.get('client_secret') !== this.clientSecret
			)
				return { status: 401, body: { error: 'invalid_client' } };
			const token = `papi-${randomUUID()}`;
			this.issued.add(token);
			return {
				status: 200,
				body: {
					access_token: token,
					token_type: 'Bearer',
					expires_in: 86400,
					scope: 'personio:webhooks:read personio:webhooks:write',
				},
			};
		}
		const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
		if (!bearer || !this.issued.has(bearer))
			return { status: 401, body: { errors: [{ title: 'Unauthorized' }] } };
		const visible = ({ token: _token, ...rest }: PersonioWebhook) => rest;
		if (url === '/v2/webhooks' && method === 'GET')
			return { status: 200, body: { _data: [...this.webhooks.values()].map(visible), _meta: {} } };
		if (url === '/v2/webhooks' && method === 'POST') {
			const input = (body ?? {}) as Record<string, unknown>;
			if (
				typeof input.url !== 'string' ||
				!Array.isArray(input.enabled_events) ||
				!input.enabled_events.length
			)
				return {
					status: 422,
					body: { errors: [{ title: 'url and enabled_events are required' }] },
				};
			if ([...this.webhooks.values()].some((w) => w.url === input.url))
				return { status: 409, body: { errors: [{ title: 'A webhook for this URL exists' }] } };
			const hook: PersonioWebhook = {
				id: randomUUID(),
				url: input.url,
				description: String(input.description ?? ''),
				status: String(input.status ?? 'DISABLED'),
				auth_type: String(input.auth_type ?? 'TOKEN'),
				token: String(input.token ?? ''),
				enabled_events: input.enabled_events.map(String),
			};
			this.webhooks.set(hook.id, hook);
			const answer = visible(hook) as Partial<PersonioWebhook>;
			if (this.omitId) delete answer.id;
			return { status: 201, body: answer };
		}
		const id = url.startsWith('/v2/webhooks/')
			? decodeURIComponent(url.slice('/v2/webhooks/'.length))
			: undefined;
		if (id && method === 'GET') {
			const hook = this.webhooks.get(id);
			return hook
				? { status: 200, body: visible(hook) }
				: { status: 404, body: { errors: [{ title: 'Not found' }] } };
		}
		if (id && method === 'DELETE')
			return this.webhooks.delete(id)
				? { status: 204, body: undefined }
				: { status: 404, body: { errors: [{ title: 'Not found' }] } };
		return { status: 404, body: { errors: [{ title: `No route ${method} ${url}` }] } };
	}
}

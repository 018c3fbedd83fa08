import { createHash } from 'node:crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IPollFunctions,
} from 'n8n-workflow';
import { ashbyBaseUrl, ASHBY_CREDENTIAL } from '../Ashby/ashbyApi';
import { leverBaseUrl, LEVER_API_CREDENTIAL } from '../Lever/leverApi';
import { SR_API_CREDENTIAL } from '../SmartRecruiters/smartRecruitersApi';
import { workableBaseUrl, WORKABLE_CREDENTIAL } from '../Workable/workableApi';
import type { HttpRequest, HttpResponse } from '../core/reconcile/vendors/types';

export type ReconcileContext = IPollFunctions | IExecuteFunctions;

export const GREENHOUSE_HARVEST_CREDENTIAL = 'greenhouseHarvestApi';
export const TEAMTAILOR_CREDENTIAL = 'teamtailorApi';

/** Each vendor's credential (the same ones the webhook triggers use, where they exist). */
export const CREDENTIAL_OF: Record<string, string> = {
	greenhouse: GREENHOUSE_HARVEST_CREDENTIAL,
	lever: LEVER_API_CREDENTIAL,
	ashby: ASHBY_CREDENTIAL,
	workable: WORKABLE_CREDENTIAL,
	smartrecruiters: SR_API_CREDENTIAL,
	teamtailor: TEAMTAILOR_CREDENTIAL,
};

function trimmed(value: unknown, fallback: string): string {
	const text = typeof value === 'string' && value.trim() ? value.trim() : fallback;
	return text.replace(/\/+$/, '');
}

export function baseUrlOf(vendor: string, credentials: IDataObject): string {
	switch (vendor) {
		case 'greenhouse':
			return credentials.useCustomBaseUrl === true
				? trimmed(credentials.baseUrl, 'https://harvest.greenhouse.io')
				: 'https://harvest.greenhouse.io';
		case 'lever':
			return leverBaseUrl(credentials);
		case 'ashby':
			return ashbyBaseUrl(credentials);
		case 'workable':
			// https://{subdomain}.workable.com/spi/v3, or the custom base URL standing for it.
			return workableBaseUrl(credentials);
		case 'smartrecruiters':
			// The credential's root (its webhook API lives under /webhooks-api/v201907 of it).
			return String(credentials.environment ?? 'production') === 'custom'
				? trimmed(credentials.baseUrl, 'https://api.smartrecruiters.com')
				: 'https://api.smartrecruiters.com';
		default:
			return trimmed(credentials.baseUrl, 'https://api.teamtailor.com');
	}
}

/** Greenhouse bearer tokens of this process, by a hash of client and token URL (never the secret in clear). */
const tokens = new Map<string, { token: string; expiresAt: number }>();

async function greenhouseToken(
	context: ReconcileContext,
	credentials: IDataObject,
	refresh: boolean,
): Promise<{ token: string } | { refused: HttpResponse }> {
	const tokenUrl =
		credentials.useCustomBaseUrl === true
			? trimmed(credentials.tokenUrl, 'https://auth.greenhouse.io/token')
			: 'https://auth.greenhouse.io/token';
	const id = String(credentials.clientId ?? '');
	const secret = String(credentials.clientSecret ?? '');
	const cacheKey = createHash('sha256')
		.update(`${tokenUrl}\u0000${id}\u0000${secret}\u0000${String(credentials.userId ?? '')}`)
		.digest('base64url');
	const cached = tokens.get(cacheKey);
	if (cached && !refresh && cached.expiresAt > Date.now() + 60_000) return { token: cached.token };
	// A network failure throws: the engine retries it like a 5xx.
	const response = (await context.helpers.httpRequest({
		method: 'POST',
		url: tokenUrl,
		headers: {
			Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
		},
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			sub: String(credentials.userId ?? ''),
		}).toString(),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: false,
	})) as { statusCode: number; headers: HttpResponse['headers']; body: unknown };
	const body = parseJson(response.body) as IDataObject | undefined;
	const token = typeof body?.access_token === 'string' ? body.access_token : undefined;
	if (response.statusCode < 200 || response.statusCode >= 300 || !token) {
		// The token endpoint's answer stands for the request: 401/400 fail the poll, 429/5xx are retried.
		const status =
			response.statusCode >= 200 && response.statusCode < 300 ? 401 : response.statusCode;
		return { refused: { status, headers: response.headers ?? {}, body: undefined } };
	}
	const expiresAt =
		typeof body?.expires_at === 'string' && Number.isFinite(Date.parse(body.expires_at))
			? Date.parse(body.expires_at)
			: Date.now() + (typeof body?.expires_in === 'number' ? body.expires_in : 3600) * 1000;
	tokens.set(cacheKey, { token, expiresAt });
	return { token };
}

function parseJson(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		return undefined;
	}
}

/**
 * The poll's transport: every status comes back as an answer (the engine decides what to retry),
 * through n8n's request helpers so proxies apply; the credential's own auth for API-key vendors, a
 * bearer token from the client-credentials grant for Greenhouse (renewed once on a 401).
 */
export function transportFor(
	context: ReconcileContext,
	vendor: string,
	credentials: IDataObject,
): (request: HttpRequest) => Promise<HttpResponse> {
	const credential = CREDENTIAL_OF[vendor];
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			...(request.qs ? { qs: request.qs } : {}),
			...(request.body ? { body: request.body } : {}),
			json: true,
			headers: { Accept: 'application/json' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		if (vendor === 'greenhouse') {
			for (let attempt = 0; ; attempt++) {
				const grant = await greenhouseToken(context, credentials, attempt > 0);
				if ('refused' in grant) return grant.refused;
				const response = (await context.helpers.httpRequest({
					...options,
					headers: { ...options.headers, Authorization: `Bearer ${grant.token}` },
				})) as { statusCode: number; headers: HttpResponse['headers']; body: unknown };
				if (response.statusCode === 401 && attempt === 0) continue;
				return {
					status: response.statusCode,
					headers: response.headers ?? {},
					body: response.body,
				};
			}
		}
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			credential,
			options,
		)) as { statusCode: number; headers: HttpResponse['headers']; body: unknown };
		return { status: response.statusCode, headers: response.headers ?? {}, body: response.body };
	};
}

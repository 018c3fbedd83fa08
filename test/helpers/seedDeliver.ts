import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
} from 'n8n-workflow';
import {
	deliver,
	type DeliveryOptions,
	type DeliveryResult,
	type TriggerUnderTest,
} from './webhookContext';
import { uniqueScope } from './seedFixtures';

/**
 * Node-test delivery for the seed triggers, on top of the lead's webhookContext helper: a fresh
 * workflow id per call unless one is given (the in-process dedup store is shared by the jest worker),
 * and optionally an `httpRequestWithAuthentication` that really sends the request (to a local fake
 * vendor server) after applying the credential type's own generic `authenticate` block.
 */
export interface SeedDeliveryOptions extends DeliveryOptions {
	/** Credential classes whose `authenticate` is applied by httpRequestWithAuthentication. */
	credentialTypes?: Record<string, ICredentialType>;
}

/** Evaluate a simple n8n expression (`={{ ... }}` with $credentials) the way n8n would for these credentials. */
export function resolveCredentialExpression(
	value: string,
	credentials: ICredentialDataDecryptedObject,
): string {
	if (!value.startsWith('=')) return value;
	return value.slice(1).replace(/\{\{([\s\S]+?)\}\}/g, (_m, expression: string) => {
		const evaluate = new Function('$credentials', `return (${expression});`) as (
			c: ICredentialDataDecryptedObject,
		) => unknown;
		return String(evaluate(credentials));
	});
}

export interface SentRequest {
	url: string;
	method: string;
	headers: Record<string, string>;
}

/** A stand-in for n8n's helpers.httpRequestWithAuthentication, using fetch; errors carry httpCode like NodeApiError. */
export function httpWithAuthentication(options: SeedDeliveryOptions, sent: SentRequest[]) {
	return async function httpRequestWithAuthentication(
		type: string,
		request: IHttpRequestOptions,
	): Promise<unknown> {
		const credentials = options.credentials?.[type];
		const credentialType = options.credentialTypes?.[type];
		if (!credentials || !credentialType)
			throw new Error(`Node does not have credentials of type ${type}`);
		const headers: Record<string, string> = {
			...((request.headers as Record<string, string>) ?? {}),
		};
		const auth = credentialType.authenticate;
		if (auth && typeof auth === 'object' && auth.type === 'generic') {
			for (const [name, value] of Object.entries(auth.properties.headers ?? {}))
				headers[name] = resolveCredentialExpression(String(value), credentials);
		}
		const url = request.baseURL ? new URL(request.url, request.baseURL).toString() : request.url;
		sent.push({ url, method: request.method ?? 'GET', headers });
		const response = await fetch(url, {
			method: request.method ?? 'GET',
			headers,
			redirect: request.disableFollowRedirect ? 'manual' : 'follow',
			signal: AbortSignal.timeout(request.timeout ?? 10_000),
		});
		const text = await response.text();
		if (response.status < 200 || response.status >= 300)
			throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
				httpCode: String(response.status),
			});
		return request.json ? JSON.parse(text) : text;
	};
}

export async function deliverSeed(
	node: TriggerUnderTest,
	options: SeedDeliveryOptions = {},
): Promise<DeliveryResult & { sent: SentRequest[] }> {
	const sent: SentRequest[] = [];
	const delivered = await deliver(
		node,
		{ workflowId: uniqueScope('wf'), ...options },
		{ httpRequestWithAuthentication: httpWithAuthentication(options, sent) },
	);
	return { ...delivered, sent };
}

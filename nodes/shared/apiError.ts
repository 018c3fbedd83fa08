import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { asText, firstPath, isRecord } from '../core/json/path';

/**
 * Turns whatever `httpRequestWithAuthentication` threw (an axios error, or n8n's NodeApiError
 * around one) into a NodeApiError whose message says what to do. A fresh object is wrapped on
 * purpose: `new NodeApiError(node, existingNodeApiError, {message})` returns the original and
 * drops the message. The vendor's own error text goes into the description, cut short; request
 * headers (which hold the API key) are never copied.
 */
export function statusOf(error: unknown): number | undefined {
	if (!isRecord(error) && !(error instanceof Error)) return undefined;
	const e = error as Record<string, unknown>;
	const found = firstPath(e, [
		'httpCode',
		'response.status',
		'cause.response.status',
		'statusCode',
		'status',
		'cause.status',
		'context.data.status',
	]);
	const n = Number(found ? asText(found.value) : undefined);
	return Number.isInteger(n) && n >= 100 && n < 600 ? n : undefined;
}

export function vendorMessageOf(error: unknown): string | undefined {
	if (!isRecord(error) && !(error instanceof Error)) return undefined;
	const e = error as Record<string, unknown>;
	const found = firstPath(e, [
		'response.data.message',
		'response.data.error.message',
		'response.data.error',
		'response.data.errors.0.message',
		'cause.response.data.message',
		'cause.response.data.error',
		'context.data.message',
		'context.data.error',
		'description',
	]);
	const text = found ? asText(found.value) : undefined;
	return text ? text.replace(/\s+/g, ' ').slice(0, 300) : undefined;
}

export function apiError(
	node: INode,
	vendor: string,
	action: string,
	error: unknown,
	hint = '',
): NodeApiError {
	const status = statusOf(error);
	const said = vendorMessageOf(error);
	let message: string;
	switch (true) {
		case status === 401:
			message = `${vendor} rejected the API key while ${action}. Check the ${vendor} API credential (key, and Base URL if you set one).`;
			break;
		case status === 403:
			message = `${vendor} refused ${action}: the API key is not allowed to manage webhooks. Give the key webhook permissions in ${vendor}, then publish again.`;
			break;
		case status === 404:
			message = `${vendor} answered "not found" while ${action}. Check the Base URL in the ${vendor} API credential.`;
			break;
		case status === 429:
			message = `${vendor} is rate-limiting requests while ${action}. Wait a minute and publish the workflow again.`;
			break;
		case status !== undefined && status >= 500:
			message = `${vendor} had a server error (HTTP ${status}) while ${action}. Try publishing again later.`;
			break;
		case status !== undefined:
			message = `${vendor} refused ${action} (HTTP ${status})${said ? `: ${said}` : ''}.${hint ? ` ${hint}` : ''}`;
			break;
		default:
			message = `Could not reach ${vendor} while ${action}. Check the network and the Base URL in the ${vendor} API credential.`;
	}
	const payload: JsonObject = { message, ...(status ? { httpCode: String(status) } : {}) };
	return new NodeApiError(node, payload, {
		message,
		description: said ? `${vendor} said: ${said}` : undefined,
		httpCode: status ? String(status) : undefined,
	});
}

/** The vendor answered 2xx but without what we need (no id, no secret). */
export function unexpectedAnswer(
	node: INode,
	vendor: string,
	action: string,
	missing: string,
): NodeApiError {
	const message = `${vendor} answered ${action} without ${missing}. Nothing was left half set up; publish the workflow again, and report this if it repeats.`;
	return new NodeApiError(node, { message } as JsonObject, { message });
}

/**
 * For catch blocks that clean up and then pass the failure on: an error that is already a
 * NodeApiError or NodeOperationError (its message already says what to do) is returned as it is;
 * anything else (a bug, a network error that bypassed the transport) becomes a NodeApiError for
 * `vendor` and `action`, so n8n always shows a node error with the vendor's status, never a bare one.
 */
export function asNodeError(
	node: INode,
	vendor: string,
	action: string,
	error: unknown,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return apiError(node, vendor, action, error);
}

import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';
import { apiError } from './apiError';

/** Where a vendor's API lives and which credential signs requests to it. */
export interface VendorApi {
	/** For error messages: "Lever rejected …". */
	name: string;
	credential: string;
	baseUrl: (credentials: IDataObject) => string;
}

/**
 * One JSON request to a vendor API through n8n's authenticated request helper (so proxies and the
 * credential's own auth apply), with errors turned into messages that say what to do.
 */
export async function vendorRequest(
	context: IHookFunctions,
	api: VendorApi,
	method: IHttpRequestMethods,
	path: string,
	action: string,
	extra: Pick<IHttpRequestOptions, 'body' | 'qs'> = {},
	hint = '',
): Promise<unknown> {
	const credentials = await context.getCredentials(api.credential);
	const options: IHttpRequestOptions = {
		method,
		url: `${api.baseUrl(credentials)}${path}`,
		json: true,
		headers: { Accept: 'application/json' },
		...extra,
	};
	try {
		return await context.helpers.httpRequestWithAuthentication.call(
			context,
			api.credential,
			options,
		);
	} catch (error) {
		throw apiError(context.getNode(), api.name, action, error, hint);
	}
}

/** The vendor's answer whatever its status; `statusCode` 0 and `networkError` when none came. */
export interface VendorResponse {
	statusCode: number;
	body: unknown;
	networkError?: string;
}

/**
 * The same transport for vendors whose API says what happened in the status or the body rather
 * than by failing (Ashby answers 200 with `success: false`; Workable's 409 means "a subscription
 * to this URL exists"): every status comes back as a response for the vendor's own interpreter,
 * which turns failures into a NodeApiError. Also usable from loadOptions (dropdowns).
 */
export async function vendorResponse(
	context: IHookFunctions | ILoadOptionsFunctions,
	api: VendorApi,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
): Promise<VendorResponse> {
	const credentials = await context.getCredentials(api.credential);
	const options: IHttpRequestOptions = {
		method,
		url: `${api.baseUrl(credentials)}${path}`,
		...(body ? { body } : {}),
		json: true,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			api.credential,
			options,
		)) as { statusCode: number; body: unknown };
		return { statusCode: response.statusCode, body: response.body };
	} catch (error) {
		return { statusCode: 0, body: undefined, networkError: (error as Error).message };
	}
}

import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
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

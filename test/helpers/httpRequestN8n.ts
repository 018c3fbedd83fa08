import type {
	IHttpRequestOptions,
	INode,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

/**
 * n8n's own `helpers.httpRequest`, taken from n8n-core 2.41.1 (the version that matches
 * n8n-workflow 2.41.x), so node tests send over the same axios-based client, option handling
 * (json:false, returnFullResponse, ignoreHttpStatusErrors, disableFollowRedirect, timeout,
 * abortSignal) and SSRF bridge as a running n8n. `getRequestHelperFunctions` is not exported from
 * n8n-core's index, hence the deep require; it loads on Node 20 (checked).
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { getRequestHelperFunctions } =
	require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers') as {
		getRequestHelperFunctions: (
			workflow: Workflow,
			node: INode,
			additionalData: IWorkflowExecuteAdditionalData,
		) => { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
	};

const helpers = getRequestHelperFunctions(
	{} as Workflow,
	{ name: 'ATS Webhook' } as INode,
	{} as IWorkflowExecuteAdditionalData,
);

export const n8nHttpRequest: (options: IHttpRequestOptions) => Promise<unknown> = (options) =>
	helpers.httpRequest(options);

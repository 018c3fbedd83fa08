import { mock } from 'jest-mock-extended';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	Workflow,
} from 'n8n-workflow';
import { getParam } from './webhookContext';
import { n8nHttpRequest } from './httpRequestN8n';

/**
 * A mocked IExecuteFunctions for the ATS Webhook node whose `helpers.httpRequest` is n8n's real
 * request helper (n8n-core), so requests really go over the loopback network. A parameter given
 * as a function is called with the item index, standing in for an expression.
 */
export interface ExecuteOptions {
	items: Array<Record<string, unknown>> | INodeExecutionData[];
	parameters: Record<string, unknown>;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	continueOnFail?: boolean;
	executionId?: string;
	instanceId?: string;
	workflowId?: string;
	nodeName?: string;
	runIndex?: number;
	cancelSignal?: AbortSignal;
	/** Wraps the real helper (e.g. to count calls). */
	httpRequest?: (options: IHttpRequestOptions) => Promise<unknown>;
}

export function executeContext(options: ExecuteOptions) {
	const items: INodeExecutionData[] = options.items.map((item) =>
		item &&
		typeof item === 'object' &&
		'json' in item &&
		typeof (item as INodeExecutionData).json === 'object'
			? (item as INodeExecutionData)
			: { json: item as INodeExecutionData['json'] },
	);
	const httpRequest = jest.fn(options.httpRequest ?? n8nHttpRequest);
	const node = {
		id: 'node-1',
		name: options.nodeName ?? 'ATS Webhook',
		parameters: options.parameters,
	} as unknown as INode;
	const context = mock<IExecuteFunctions>({ helpers: { httpRequest } as never });
	context.getInputData.mockReturnValue(items);
	context.getNode.mockReturnValue(node);
	context.getWorkflow.mockReturnValue({
		id: options.workflowId ?? 'wf-export',
		name: 'export',
		active: false,
	} as unknown as Workflow);
	context.getExecutionId.mockReturnValue(options.executionId ?? 'exec-1');
	context.getInstanceId.mockReturnValue(options.instanceId ?? 'instance-1');
	context.getWorkflowDataProxy.mockReturnValue({ $runIndex: options.runIndex ?? 0 } as never);
	context.continueOnFail.mockReturnValue(options.continueOnFail ?? false);
	context.getExecutionCancelSignal.mockReturnValue(options.cancelSignal);
	context.getNodeParameter.mockImplementation(((
		name: string,
		itemIndex: number,
		fallback?: unknown,
	) => {
		const value = getParam(options.parameters, name, fallback);
		return typeof value === 'function' ? (value as (i: number) => unknown)(itemIndex) : value;
	}) as never);
	context.getCredentials.mockImplementation((async (type: string) => {
		const credential = options.credentials?.[type];
		if (!credential) throw new Error(`Node does not have credentials of type ${type}`);
		return credential;
	}) as never);
	return { context, httpRequest, items };
}

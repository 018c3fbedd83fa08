import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';
import { reconciledWindow, recordUnion } from '../core/reconcile/unionState';

/**
 * The webhook triggers' side of the union with an ATS Reconcile Trigger in the same workflow
 * (docs/nodes/atsReconcileTrigger.md). Nothing changes for a workflow without one: global static
 * data is not even read (reading it creates it, and n8n would then save it).
 */
export function unionStateOf(
	context: IWebhookFunctions,
	workflowId: string,
): { workflowId: string; staticData: Record<string, unknown>; window: number } | undefined {
	const window = reconciledWindow(workflowId);
	if (window === undefined) return undefined;
	return { workflowId, staticData: context.getWorkflowStaticData('global'), window };
}

/**
 * From a webhook trigger's execute() (its execution is stored): the change and delivery keys of
 * its events join the union ring in global static data, with a live view of the reconcile cursors,
 * so n8n's save at the end of this execution moves neither back.
 */
export function recordUnionOf(context: IExecuteFunctions, items: INodeExecutionData[]): void {
	const workflowId = context.getWorkflow().id ?? 'unsaved';
	const window = reconciledWindow(workflowId);
	if (window === undefined) return;
	const keys = new Set<string>();
	const add = (event: unknown) => {
		const delivery = (event as IDataObject | undefined)?.delivery as IDataObject | undefined;
		if (typeof delivery?.changeKey === 'string') keys.add(delivery.changeKey);
		if (typeof delivery?.dedupKey === 'string') keys.add(delivery.dedupKey);
	};
	for (const item of items) {
		add(item.json);
		if (Array.isArray(item.json.events)) for (const event of item.json.events) add(event);
	}
	recordUnion(workflowId, context.getWorkflowStaticData('global'), [...keys], window);
}

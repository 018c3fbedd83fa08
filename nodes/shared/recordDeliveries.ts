import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { recordStored } from '../core/dedup/deduplicator';
import { dedupWindowOf } from './readSettings';
import { recordStoredShared } from './redisDedup';
import { recordUnionOf } from './reconcileUnion';

/**
 * The trigger's execute(): n8n runs it as the first step of every execution the trigger started,
 * so it runs only for events whose execution n8n has stored. It passes the items through unchanged
 * and records their dedup keys in the node's static data, which n8n saves when the execution ends.
 * That is the path by which the dedup memory survives a restart on n8n >= 2.20, where static data
 * changed inside webhook() is not saved for a delivery that starts an execution
 * (docs/durability.md). A key is remembered only once its execution exists.
 */
export async function recordDeliveries(
	context: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	try {
		const keys = dedupKeysOf(items);
		if (keys.length > 0) {
			const workflowId = context.getWorkflow().id ?? 'unsaved';
			const node = context.getNode();
			recordStored(
				`${workflowId}:${node.id ?? node.name}`,
				context.getWorkflowStaticData('node'),
				keys,
				dedupWindowOf((context.getNodeParameter('options', 0, {}) ?? {}) as IDataObject),
			);
			// With the shared store on (docs/queue-mode.md): mark them stored in Redis as well.
			await recordStoredShared(context, `${workflowId}:${node.id ?? node.name}`, keys);
		}
		recordUnionOf(context, items);
	} catch (error) {
		// Remembering is a convenience for later retries; it must never fail the execution of an event.
		context.logger.warn(
			`Could not record delivered events for deduplication: ${(error as Error).message}`,
		);
	}
	return [items];
}

/** The `delivery.dedupKey` of each item, and of each event of a batch kept as one item. */
export function dedupKeysOf(items: INodeExecutionData[]): string[] {
	const keys = new Set<string>();
	const add = (event: unknown) => {
		const delivery = (event as IDataObject | undefined)?.delivery as IDataObject | undefined;
		if (typeof delivery?.dedupKey === 'string') keys.add(delivery.dedupKey);
	};
	for (const item of items) {
		add(item.json);
		if (Array.isArray(item.json.events)) for (const event of item.json.events) add(event);
	}
	return [...keys];
}

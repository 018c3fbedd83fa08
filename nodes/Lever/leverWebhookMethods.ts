import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';
import { asNodeError } from '../shared/apiError';
import { parseEventList } from '../shared/readSettings';
import {
	createLeverWebhook,
	deleteLeverWebhook,
	isSettled,
	listLeverWebhooks,
	originsFor,
	planLever,
	readStore,
	writeStore,
	type LeverWanted,
	type StoredLeverWebhook,
} from './leverApi';

/**
 * checkExists / create / delete for the Lever Trigger (n8n calls them on publish and unpublish).
 * The Lever side is the truth: checkExists lists the webhooks at Lever, so a webhook someone
 * deleted in Lever is re-created on the next publish, and one left over from an earlier
 * activation (pointing at this URL, token unknown) is removed instead of delivering twice.
 */
export type Registration = 'api' | 'manual';

export function registrationOf(context: IHookFunctions): Registration {
	return context.getNodeParameter('registration', 'api') === 'manual' ? 'manual' : 'api';
}

function wantedOf(context: IHookFunctions): LeverWanted {
	return {
		url: context.getNodeWebhookUrl('default') ?? '',
		events: parseEventList(context.getNodeParameter('events', [])),
		origins: parseEventList(context.getNodeParameter('options.origins', [])),
	};
}

export async function leverCheckExists(this: IHookFunctions): Promise<boolean> {
	if (registrationOf(this) === 'manual') return true;
	const store = readStore(this.getWorkflowStaticData('node'));
	if (store.webhooks.length === 0) return false;
	const remote = await listLeverWebhooks(this);
	return isSettled(planLever(wantedOf(this), store, remote));
}

export async function leverCreate(this: IHookFunctions): Promise<boolean> {
	if (registrationOf(this) === 'manual') return true;
	const wanted = wantedOf(this);
	if (!wanted.url)
		throw new NodeOperationError(
			this.getNode(),
			'n8n has no production URL for this trigger yet; save the workflow and publish it again.',
		);
	if (wanted.events.length === 0) {
		throw new NodeOperationError(
			this.getNode(),
			'Select at least one Lever event: Lever needs one webhook per event.',
		);
	}
	const staticData = this.getWorkflowStaticData('node') as IDataObject;
	const store = readStore(staticData);
	const remote = await listLeverWebhooks(this);
	const plan = planLever(wanted, store, remote);

	for (const stale of [...plan.remove, ...plan.orphans]) await deleteLeverWebhook(this, stale.id);

	const created: StoredLeverWebhook[] = [];
	try {
		for (const event of plan.create)
			created.push(
				await createLeverWebhook(this, wanted.url, event, originsFor(event, wanted.origins)),
			);
	} catch (error) {
		// Leave nothing half set up: remove what this call created, keep what was there before.
		for (const webhook of created) {
			await deleteLeverWebhook(this, webhook.id).catch((rollbackError: Error) =>
				this.logger.warn('Lever Trigger: could not roll back a webhook after a failed activation', {
					webhookId: webhook.id,
					error: rollbackError.message,
				}),
			);
		}
		writeStore(staticData, { webhooks: plan.keep });
		throw asNodeError(this.getNode(), 'Lever', 'creating the webhooks', error);
	}
	writeStore(staticData, { webhooks: [...plan.keep, ...created] });
	return true;
}

export async function leverDelete(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node') as IDataObject;
	const store = readStore(staticData);
	const remaining: StoredLeverWebhook[] = [];
	for (const webhook of store.webhooks) {
		try {
			await deleteLeverWebhook(this, webhook.id);
		} catch (error) {
			// Keep it so the next delete or create tries again; say so in the log (no secrets in it).
			this.logger.warn(
				'Lever Trigger: could not delete a webhook at Lever; it is kept and retried on the next publish',
				{
					webhookId: webhook.id,
					event: webhook.event,
					error: (error as Error).message,
				},
			);
			remaining.push(webhook);
		}
	}
	writeStore(staticData, { webhooks: remaining });
	return remaining.length === 0;
}

import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';
import { parseEventList } from '../shared/readSettings';
import { asNodeError, statusOf } from '../shared/apiError';
import {
	activateSubscription,
	createSubscription,
	deleteSubscription,
	generateSecretKey,
	getSubscription,
	isSrSettled,
	listSubscriptions,
	planSmartRecruiters,
	readSrStore,
	writeSrStore,
	type RemoteSubscription,
	type StoredSubscription,
	type SrWanted,
} from './smartRecruitersApi';

/**
 * checkExists / create / delete for the SmartRecruiters Trigger. SmartRecruiters is the truth:
 * checkExists reads every stored subscription there, so one deleted (or deactivated) at
 * SmartRecruiters is re-created (or re-activated) on the next publish.
 */
export function isManual(context: IHookFunctions): boolean {
	return context.getNodeParameter('registration', 'api') === 'manual';
}

/** Selected events plus the free-text extra names, without duplicates. */
export function selectedEvents(
	getParameter: (name: string, fallback: unknown) => unknown,
): string[] {
	return [
		...new Set([
			...parseEventList(getParameter('events', [])),
			...parseEventList(getParameter('additionalEvents', '')),
		]),
	];
}

function wantedOf(context: IHookFunctions): SrWanted {
	return {
		url: context.getNodeWebhookUrl('default') ?? '',
		events: selectedEvents((name, fallback) => context.getNodeParameter(name, fallback)),
	};
}

async function remoteState(
	context: IHookFunctions,
	stored: StoredSubscription[],
): Promise<Map<string, RemoteSubscription>> {
	const remote = new Map<string, RemoteSubscription>();
	for (const subscription of stored)
		remote.set(subscription.id, await getSubscription(context, subscription.id));
	return remote;
}

export async function smartRecruitersCheckExists(this: IHookFunctions): Promise<boolean> {
	if (isManual(this)) return true;
	const store = readSrStore(this.getWorkflowStaticData('node'));
	if (store.subscriptions.length === 0) return false;
	return isSrSettled(
		planSmartRecruiters(wantedOf(this), store, await remoteState(this, store.subscriptions)),
	);
}

/** One subscription with all events; if SmartRecruiters refuses several events in one (400), one per event. */
async function createSubscriptions(
	context: IHookFunctions,
	url: string,
	events: string[],
	alertEmail: string,
): Promise<Array<{ id: string; events: string[] }>> {
	try {
		return [{ id: await createSubscription(context, url, events, alertEmail), events }];
	} catch (error) {
		if (events.length < 2 || statusOf(error) !== 400)
			throw asNodeError(
				context.getNode(),
				'SmartRecruiters',
				'creating a webhook subscription',
				error,
			);
		context.logger.info(
			'SmartRecruiters Trigger: one subscription for several events was refused; creating one per event',
		);
	}
	const created: Array<{ id: string; events: string[] }> = [];
	try {
		for (const event of events)
			created.push({
				id: await createSubscription(context, url, [event], alertEmail),
				events: [event],
			});
	} catch (error) {
		await rollback(
			context,
			created.map((c) => c.id),
		);
		throw asNodeError(
			context.getNode(),
			'SmartRecruiters',
			'creating the webhook subscriptions',
			error,
		);
	}
	return created;
}

async function rollback(context: IHookFunctions, ids: string[]): Promise<void> {
	for (const id of ids) {
		await deleteSubscription(context, id).catch((error: Error) =>
			context.logger.warn(
				'SmartRecruiters Trigger: could not roll back a subscription after a failed activation',
				{ subscriptionId: id, error: error.message },
			),
		);
	}
}

export async function smartRecruitersCreate(this: IHookFunctions): Promise<boolean> {
	if (isManual(this)) return true;
	const wanted = wantedOf(this);
	if (!wanted.url)
		throw new NodeOperationError(
			this.getNode(),
			'n8n has no production URL for this trigger yet; save the workflow and publish it again.',
		);
	if (wanted.events.length === 0)
		throw new NodeOperationError(this.getNode(), 'Select at least one SmartRecruiters event.');
	const alertEmail = String(this.getNodeParameter('options.alertEmailAddress', '') ?? '').trim();

	const staticData = this.getWorkflowStaticData('node') as IDataObject;
	const store = readSrStore(staticData);
	const remote = await remoteState(this, store.subscriptions);
	const listed = await listSubscriptions(this);
	const plan = planSmartRecruiters(wanted, store, remote, listed);

	for (const stale of [...plan.remove, ...plan.orphans]) await deleteSubscription(this, stale.id);
	for (const subscription of plan.reactivate)
		await activateSubscription(this, subscription.id, wanted.url);

	const created: StoredSubscription[] = [];
	if (plan.create.length > 0) {
		const fresh = await createSubscriptions(this, wanted.url, plan.create, alertEmail);
		try {
			for (const subscription of fresh) {
				// The key first, so the very first callback after activation is already signed.
				const secretKey = await generateSecretKey(this, subscription.id);
				created.push({
					id: subscription.id,
					url: wanted.url,
					events: subscription.events,
					secretKeys: [secretKey],
				});
			}
			for (const subscription of created)
				await activateSubscription(this, subscription.id, wanted.url);
		} catch (error) {
			await rollback(
				this,
				fresh.map((s) => s.id),
			);
			writeSrStore(staticData, { subscriptions: plan.keep });
			throw asNodeError(
				this.getNode(),
				'SmartRecruiters',
				'setting up the webhook subscriptions',
				error,
			);
		}
	}
	writeSrStore(staticData, { subscriptions: [...plan.keep, ...created] });
	return true;
}

export async function smartRecruitersDelete(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node') as IDataObject;
	const store = readSrStore(staticData);
	const remaining: StoredSubscription[] = [];
	for (const subscription of store.subscriptions) {
		try {
			await deleteSubscription(this, subscription.id);
		} catch (error) {
			this.logger.warn(
				'SmartRecruiters Trigger: could not delete a subscription; it is kept and retried on the next publish',
				{
					subscriptionId: subscription.id,
					error: (error as Error).message,
				},
			);
			remaining.push(subscription);
		}
	}
	writeSrStore(staticData, { subscriptions: remaining });
	return remaining.length === 0;
}

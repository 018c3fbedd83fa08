import type { ChangeIdentity } from '../changeIdentity';
import { ashbyAdapter, ashbyWebhookChange } from './ashby';
import { greenhouseAdapter, greenhouseWebhookChange } from './greenhouse';
import { leverAdapter, leverWebhookChange } from './lever';
import { smartRecruitersAdapter, smartRecruitersWebhookChange } from './smartRecruiters';
import { teamtailorAdapter, teamtailorWebhookChange } from './teamtailor';
import type { ReconcileAdapter } from './types';
import { workableAdapter, workableWebhookChange } from './workable';

export const RECONCILE_ADAPTERS: Record<string, ReconcileAdapter> = {
	greenhouse: greenhouseAdapter,
	lever: leverAdapter,
	ashby: ashbyAdapter,
	workable: workableAdapter,
	smartrecruiters: smartRecruitersAdapter,
	teamtailor: teamtailorAdapter,
};

/**
 * The change identity of one webhook event, by the webhook trigger's source id; undefined when the
 * vendor's payload lacks what it needs (Lever, SmartRecruiters: docs/nodes/atsReconcileTrigger.md).
 */
const WEBHOOK_CHANGE: Record<string, (body: unknown) => ChangeIdentity | undefined> = {
	greenhouse: greenhouseWebhookChange,
	lever: leverWebhookChange,
	ashby: ashbyWebhookChange,
	workable: workableWebhookChange,
	smartrecruiters: smartRecruitersWebhookChange,
	teamtailor: teamtailorWebhookChange,
};

export function webhookChangeOf(source: string, body: unknown): ChangeIdentity | undefined {
	try {
		return WEBHOOK_CHANGE[source]?.(body);
	} catch {
		return undefined;
	}
}

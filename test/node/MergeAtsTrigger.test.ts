import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MergeAtsTrigger } from '../../nodes/MergeAts/MergeAtsTrigger.node';
import { signMergeAts } from '../../nodes/MergeAts/mergeAtsSource';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { deliver, type DeliveryOptions } from '../helpers/webhookContext';
import { sharedDedupCredential } from '../../nodes/shared/triggerDescription';

/**
 * Merge ATS Trigger with a mocked IWebhookFunctions (test/helpers/webhookContext.ts). Merge webhooks are
 * created in Merge's dashboard; the node verifies with the organisation's webhook signature key.
 */
const node = new MergeAtsTrigger();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'mergeats', `${name}.json`), 'utf8');
const KEY = 'merge organisation webhook signature key';
const credentials = { atsWebhookSigningSecretApi: { secret: KEY, previousSecret: '' } };

const signed = (raw: string, extra: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
	body: raw,
	headers: { 'x-merge-webhook-signature': signMergeAts(KEY, raw), 'user-agent': 'Merge/Webhooks' },
	parameters: { events: [], options: {} },
	credentials,
	...extra,
});

beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
});

describe('Merge ATS Trigger', () => {
	it('is set up in the Merge dashboard: no webhookMethods, a set-up notice, the signing-secret credential, Merge event names', () => {
		expect((node as { webhookMethods?: unknown }).webhookMethods).toBeUndefined();
		expect(node.description.properties.find((p) => p.name === 'setupNotice')?.displayName).toMatch(
			/Merge dashboard/,
		);
		expect(node.description.credentials).toEqual([
			{ name: 'atsWebhookSigningSecretApi', required: true },
			sharedDedupCredential,
		]);
		const events = node.description.properties.find((p) => p.name === 'events');
		expect((events?.options ?? []).map((o) => ('value' in o ? o.value : ''))).toEqual(
			expect.arrayContaining(['Candidate.changed', 'Application.changed', 'Scorecard.added']),
		);
	});

	it('a signed Candidate.changed starts one execution; the real ATS is on the event as integration', async () => {
		const raw = fixture('Candidate.changed');
		const { response, items } = await deliver(node, signed(raw));
		expect(response.status).toBe(200);
		expect(items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(items[0]).success).toBe(true);
		expect(items[0]).toMatchObject({
			source: 'mergeats',
			event: 'candidate.updated',
			integration: 'Workday',
			candidate: { firstName: 'Lena' },
			delivery: { verified: true, scheme: 'vendor' },
		});
	});

	it('Merge retrying the same change starts nothing', async () => {
		const staticData = {};
		const options = signed(fixture('Application.changed'), { staticData });
		expect((await deliver(node, options)).items).toHaveLength(1);
		const retry = await deliver(node, options);
		expect(retry.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(retry.result.workflowData).toBeUndefined();
	});

	it('401 for unsigned and wrongly signed deliveries, without the key or candidate data in the answer', async () => {
		const raw = fixture('Candidate.added');
		for (const headers of <Array<Record<string, string>>>[
			{},
			{ 'x-merge-webhook-signature': signMergeAts('another key', raw) },
		]) {
			const { response, result } = await deliver(node, { ...signed(raw), headers });
			expect(response.status).toBe(401);
			expect(result.workflowData).toBeUndefined();
			expect(JSON.stringify(response.body)).not.toMatch(/organisation webhook|Lena|example\.com/);
		}
	});
});

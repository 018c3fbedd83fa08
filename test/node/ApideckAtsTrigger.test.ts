import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApideckAtsTrigger } from '../../nodes/ApideckAts/ApideckAtsTrigger.node';
import { signApideck } from '../../nodes/ApideckAts/apideckAtsSource';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { deliver, type DeliveryOptions } from '../helpers/webhookContext';
import { sharedDedupCredential } from '../../nodes/shared/triggerDescription';

/** Apideck ATS Trigger with a mocked IWebhookFunctions (test/helpers/webhookContext.ts); Apideck signs with the API key. */
const node = new ApideckAtsTrigger();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'apideckats', `${name}.json`), 'utf8');
const API_KEY = 'apideck unify api key';
const credentials = { atsWebhookSigningSecretApi: { secret: API_KEY, previousSecret: '' } };

let n = 0;
const signed = (raw: string, extra: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
	body: raw,
	headers: {
		'x-apideck-signature': signApideck(API_KEY, raw),
		'x-apideck-idempotency-key': `idem-${n++}`,
		'x-apideck-event-type': JSON.parse(raw).payload.event_type,
	},
	parameters: { events: [], options: {} },
	credentials,
	...extra,
});

beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
});

describe('Apideck ATS Trigger', () => {
	it('is set up in the Apideck dashboard: no webhookMethods, a set-up notice naming the API key, the signing-secret credential', () => {
		expect((node as { webhookMethods?: unknown }).webhookMethods).toBeUndefined();
		expect(node.description.properties.find((p) => p.name === 'setupNotice')?.displayName).toMatch(
			/API key/,
		);
		expect(node.description.credentials).toEqual([
			{ name: 'atsWebhookSigningSecretApi', required: true },
			sharedDedupCredential,
		]);
	});

	it('a signed ats.application.updated starts one execution; the same idempotency key again starts nothing', async () => {
		const raw = fixture('ats.application.updated');
		const staticData = {};
		const options = signed(raw, { staticData });
		const first = await deliver(node, options);
		expect(first.response.status).toBe(200);
		expect(first.items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(first.items[0]).success).toBe(true);
		expect(first.items[0]).toMatchObject({
			source: 'apideckats',
			event: 'application.updated',
			integration: 'workable',
			subject: { id: 'APP-20931' },
			delivery: { verified: true },
		});
		const again = await deliver(node, options);
		expect(again.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
	});

	it('401 for unsigned and wrongly signed deliveries, without the key in the answer', async () => {
		const raw = fixture('ats.job.updated');
		for (const headers of <Array<Record<string, string>>>[
			{},
			{ 'x-apideck-signature': signApideck('another key', raw) },
		]) {
			const { response, result } = await deliver(node, { ...signed(raw), headers });
			expect(response.status).toBe(401);
			expect(result.workflowData).toBeUndefined();
			expect(JSON.stringify(response.body)).not.toMatch(/unify api key/);
		}
	});
});

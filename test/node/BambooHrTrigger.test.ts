import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BambooHrTrigger } from '../../nodes/BambooHr/BambooHrTrigger.node';
import { bambooHrHeaders } from '../../nodes/BambooHr/bambooHrSource';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { deliver, type DeliveryOptions } from '../helpers/webhookContext';
import { sharedDedupCredential } from '../../nodes/shared/triggerDescription';

/**
 * BambooHR Trigger with a mocked IWebhookFunctions (test/helpers/webhookContext.ts). BambooHR global
 * webhooks are set up in BambooHR's settings with a generated Private Key
 * (https://documentation.bamboohr.com/docs/webhooks); the node verifies body + timestamp.
 */
const node = new BambooHrTrigger();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'bamboohr', `${name}.json`), 'utf8');
const KEY = 'bamboohr private key for node tests';
const credentials = { atsWebhookSigningSecretApi: { secret: KEY, previousSecret: '' } };
const now = () => Math.floor(Date.now() / 1000);

const signed = (raw: string, extra: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
	body: raw,
	headers: {
		...bambooHrHeaders(KEY, raw, now()),
		'user-agent': 'BambooHR-WebHooks/1.0 (+https://www.bamboohr.com)',
	},
	parameters: { events: [], options: {} },
	credentials,
	...extra,
});

beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
});

describe('BambooHR Trigger', () => {
	it('is set up in BambooHR: a set-up notice, the signing-secret credential, a Replay Window option', () => {
		expect(node.description).toMatchObject({
			name: 'bambooHrTrigger',
			displayName: 'BambooHR Trigger',
		});
		expect(node.description.properties.find((p) => p.name === 'setupNotice')?.displayName).toMatch(
			/Private Key/,
		);
		expect(node.description.credentials).toEqual([
			{ name: 'atsWebhookSigningSecretApi', required: true },
			sharedDedupCredential,
		]);
		expect(JSON.stringify(node.description.properties)).toMatch(/toleranceSeconds/);
	});

	it('a signed field-based batch starts one execution with one item per employee; the retry starts nothing', async () => {
		const staticData = {};
		const raw = fixture('field-based.batch');
		const first = await deliver(node, signed(raw, { staticData }));
		expect(first.response.status).toBe(200);
		expect(first.items).toHaveLength(2);
		for (const item of first.items) expect(canonicalEventSchema.safeParse(item).success).toBe(true);
		expect(first.items.map((i) => i.sourceEvent)).toEqual(['employee.updated', 'employee.created']);
		const retry = await deliver(node, signed(raw, { staticData }));
		expect(retry.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(retry.result.workflowData).toBeUndefined();
	});

	it('401 for a stale timestamp, a wrong key and no signature, without the key or employee data in the answer', async () => {
		const raw = fixture('field-based.batch');
		for (const headers of <Array<Record<string, string>>>[
			bambooHrHeaders(KEY, raw, now() - 3600),
			bambooHrHeaders('another key', raw, now()),
			{},
		]) {
			const { response, result } = await deliver(node, { ...signed(raw), headers });
			expect(response.status).toBe(401);
			expect(result.workflowData).toBeUndefined();
			expect(JSON.stringify(response.body)).not.toMatch(/node tests|Ines|Oskar/);
		}
	});
});

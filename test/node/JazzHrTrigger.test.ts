import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JazzHrTrigger } from '../../nodes/JazzHr/JazzHrTrigger.node';
import { signJazzHr } from '../../nodes/JazzHr/jazzHrSource';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { deliver, type DeliveryOptions } from '../helpers/webhookContext';
import { sharedDedupCredential } from '../../nodes/shared/triggerDescription';

/**
 * JazzHR Trigger with a mocked IWebhookFunctions (test/helpers/webhookContext.ts). JazzHR has no webhook API:
 * the user adds a Custom Integration (URL + secret) in JazzHR (github.com/JazzHR/api-doc,
 * source/includes/webhook/_user_flows.md).
 */
const node = new JazzHrTrigger();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'jazzhr', `${name}.json`), 'utf8');
const SECRET = 'secret typed into the jazzhr custom integration';
const credentials = { atsWebhookSigningSecretApi: { secret: SECRET, previousSecret: '' } };

let n = 0;
const signed = (raw: string, extra: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
	body: raw,
	headers: {
		'x-jazzhr-event': 'CANDIDATE-EXPORT',
		'x-jazzhr-signature': signJazzHr(SECRET, raw),
		'x-jazzhr-uuid': `uuid-${n++}`,
		'user-agent': 'JazzHR',
	},
	parameters: { options: {} },
	credentials,
	...extra,
});

beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
});

describe('JazzHR Trigger', () => {
	it('has no registration API: a set-up notice naming the Custom Integration, the signing-secret credential, no Replay Window', () => {
		expect((node as { webhookMethods?: unknown }).webhookMethods).toBeUndefined();
		expect(node.description.properties.find((p) => p.name === 'setupNotice')?.displayName).toMatch(
			/Add Custom Integration.*VERIFY/,
		);
		expect(node.description.credentials).toEqual([
			{ name: 'atsWebhookSigningSecretApi', required: true },
			sharedDedupCredential,
		]);
		const names = (
			node.description.properties.find((p) => p.name === 'options')?.options ?? []
		).map((o) => ('name' in o ? o.name : ''));
		expect(names).not.toContain('toleranceSeconds');
	});

	it('answers VERIFY with 200 even before the credential is set, starting nothing', async () => {
		const { response, result } = await deliver(node, {
			body: fixture('verify'),
			headers: { 'x-jazzhr-event': 'VERIFY' },
			parameters: {},
			credentials: {},
		});
		expect(response.status).toBe(200);
		expect(result.workflowData).toBeUndefined();
	});

	it('a signed export starts one execution with candidate.exported; a redelivery with the same X-JazzHR-UUID starts nothing', async () => {
		const raw = fixture('candidate_export');
		const staticData = {};
		const options = signed(raw, { staticData });
		const first = await deliver(node, options);
		expect(first.response.status).toBe(200);
		expect(first.items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(first.items[0]).success).toBe(true);
		expect(first.items[0]).toMatchObject({
			source: 'jazzhr',
			event: 'candidate.exported',
			sourceEvent: 'CANDIDATE-EXPORT',
			candidate: { id: '71002233', email: 'maria.gonzalez@example.com' },
			delivery: { verified: true, scheme: 'vendor' },
			payload: JSON.parse(raw),
		});
		const again = await deliver(node, options);
		expect(again.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(again.result.workflowData).toBeUndefined();
	});

	it('401 for an unsigned or wrongly signed export, without the secret or candidate data in the answer', async () => {
		const raw = fixture('candidate_export');
		for (const signature of [undefined, signJazzHr('another secret', raw)]) {
			const headers: Record<string, string> = { 'x-jazzhr-event': 'CANDIDATE-EXPORT' };
			if (signature) headers['x-jazzhr-signature'] = signature;
			const { response, result } = await deliver(node, { ...signed(raw), headers });
			expect(response.status).toBe(401);
			expect(result.workflowData).toBeUndefined();
			expect(JSON.stringify(response.body)).not.toMatch(/custom integration|Maria|example\.com/);
		}
	});
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecruiteeTrigger } from '../../nodes/Recruitee/RecruiteeTrigger.node';
import { signRecruitee } from '../../nodes/Recruitee/recruiteeSignature';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { deliver, type DeliveryOptions } from '../helpers/webhookContext';
import { sharedDedupCredential } from '../../nodes/shared/triggerDescription';

/**
 * Recruitee Trigger with a mocked IWebhookFunctions (test/helpers/webhookContext.ts). Recruitee has no webhook
 * API: the user creates the webhook in Settings → Apps and Plugins → Webhooks and copies its secret
 * into the signing-secret credential. Only a 200 counts as delivered (docs.recruitee.com/docs/webhooks).
 */
const node = new RecruiteeTrigger();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'recruitee', `${name}.json`), 'utf8');
const SECRET = 'secret from the recruitee webhook dialog';
const credentials = { atsWebhookSigningSecretApi: { secret: SECRET, previousSecret: '' } };

const signed = (raw: string, extra: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
	body: raw,
	headers: {
		'x-recruitee-signature': signRecruitee(SECRET, raw),
		'user-agent': 'Recruitee-Webhooks',
	},
	parameters: { events: [], options: {} },
	credentials,
	...extra,
});

beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
});

describe('Recruitee Trigger', () => {
	it('has no registration API, a set-up notice, the signing-secret credential, and neither Response Code nor Replay Window options', () => {
		expect((node as { webhookMethods?: unknown }).webhookMethods).toBeUndefined();
		const props = node.description.properties;
		expect(props.find((p) => p.name === 'setupNotice')?.displayName).toMatch(
			/Settings → Apps and Plugins → Webhooks.*\{"test":true\}/,
		);
		expect(node.description.credentials).toEqual([
			{ name: 'atsWebhookSigningSecretApi', required: true },
			sharedDedupCredential,
		]);
		const names = (props.find((p) => p.name === 'options')?.options ?? []).map((o) =>
			'name' in o ? o.name : '',
		);
		expect(names).not.toContain('responseCode');
		expect(names).not.toContain('toleranceSeconds');
		expect(names).toContain('dedup');
	});

	it('answers the "Verify and create" request {"test":true} with 200 even before the credential is set, starting nothing', async () => {
		const { response, result } = await deliver(node, {
			body: fixture('test'),
			headers: { 'user-agent': 'Recruitee-Webhooks' },
			parameters: {},
			credentials: {},
		});
		expect(response.status).toBe(200);
		expect(result.workflowData).toBeUndefined();
	});

	it('a signed stage change starts one execution, answered exactly 200 even if an older workflow set another Response Code', async () => {
		const raw = fixture('candidate_moved.stage_changed');
		const { response, items } = await deliver(
			node,
			signed(raw, { parameters: { events: [], options: { responseCode: 202 } } }),
		);
		expect(response.status).toBe(200);
		expect(items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(items[0]).success).toBe(true);
		expect(items[0]).toMatchObject({
			source: 'recruitee',
			event: 'application.stage_changed',
			sourceEvent: 'candidate_moved',
			application: { stage: 'Phone screen', previousStage: 'Applied' },
			candidate: { id: '3310021', firstName: 'Jan', lastName: 'de Vries' },
			job: { id: '880412' },
			delivery: { verified: true, scheme: 'vendor' },
			payload: JSON.parse(raw),
		});
	});

	it('a retry of the same delivery gets 200 and starts nothing', async () => {
		const staticData = {};
		const options = signed(fixture('candidate_created'), { staticData });
		expect((await deliver(node, options)).items).toHaveLength(1);
		const retry = await deliver(node, options);
		expect(retry.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(retry.result.workflowData).toBeUndefined();
	});

	it('401 for unsigned and wrongly signed events, without the secret or candidate data in the answer', async () => {
		const raw = fixture('candidate_created');
		for (const headers of <Array<Record<string, string>>>[
			{},
			{ 'x-recruitee-signature': signRecruitee('another secret', raw) },
		]) {
			const { response, result } = await deliver(node, { ...signed(raw), headers });
			expect(response.status).toBe(401);
			expect(result.workflowData).toBeUndefined();
			expect(JSON.stringify(response.body)).not.toMatch(
				/recruitee webhook dialog|Jan|example\.com/,
			);
		}
	});
});

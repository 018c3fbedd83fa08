import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TeamtailorTrigger } from '../../nodes/Teamtailor/TeamtailorTrigger.node';
import { signTeamtailorV1, signTeamtailorV2 } from '../../nodes/Teamtailor/teamtailorSignature';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { deliver, type DeliveryOptions } from '../helpers/webhookContext';
import { sharedDedupCredential } from '../../nodes/shared/triggerDescription';

/**
 * Teamtailor Trigger with a mocked IWebhookFunctions (test/helpers/webhookContext.ts). Teamtailor has no
 * webhook API: the user adds the webhook in Settings → Integrations → Webhooks and copies the
 * generated signature key into the signing-secret credential.
 */
const node = new TeamtailorTrigger();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'teamtailor', `${name}.json`), 'utf8');
const KEY = 'teamtailor generated signature key';
const credentials = { atsWebhookSigningSecretApi: { secret: KEY, previousSecret: '' } };
const now = () => Math.floor(Date.now() / 1000);

const signed = (raw: string, extra: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
	body: raw,
	headers: { 'tt-signature': signTeamtailorV2(KEY, raw, now()) },
	parameters: { events: [], options: {} },
	credentials,
	...extra,
});

beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
});

describe('Teamtailor Trigger', () => {
	it('has no registration API: no webhookMethods, a set-up notice, the signing-secret credential, a Replay Window, v2 by default', () => {
		expect((node as { webhookMethods?: unknown }).webhookMethods).toBeUndefined();
		const props = node.description.properties;
		expect(props.find((p) => p.name === 'setupNotice')?.displayName).toMatch(
			/Settings → Integrations → Webhooks.*does not retry/,
		);
		expect(node.description.credentials).toEqual([
			{ name: 'atsWebhookSigningSecretApi', required: true },
			sharedDedupCredential,
		]);
		expect(props.find((p) => p.name === 'signatureVersion')?.default).toBe('v2');
		expect(props.find((p) => p.name === 'v1Warning')?.displayOptions).toEqual({
			show: { signatureVersion: ['v1'] },
		});
		const options = props.find((p) => p.name === 'options');
		expect((options?.options ?? []).map((o) => ('name' in o ? o.name : ''))).toContain(
			'toleranceSeconds',
		);
	});

	it('a v2-signed job application update starts one execution with the canonical event', async () => {
		const raw = fixture('job_application.update');
		const { response, items } = await deliver(node, signed(raw));
		expect(response.status).toBe(200);
		expect(items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(items[0]).success).toBe(true);
		expect(items[0]).toMatchObject({
			source: 'teamtailor',
			event: 'application.updated',
			sourceEvent: 'job_application.update',
			application: { id: '555001', stage: 'Interview' },
			job: { id: '4711', title: 'Backend Developer' },
			delivery: { verified: true, scheme: 'vendor' },
			payload: JSON.parse(raw),
		});
	});

	it('the same delivery sent again is a duplicate (200, nothing started)', async () => {
		const staticData = {};
		const options = signed(fixture('candidate.update'), { staticData });
		expect((await deliver(node, options)).items).toHaveLength(1);
		const again = await deliver(node, options);
		expect(again.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(again.result.workflowData).toBeUndefined();
	});

	it('401 for an unsigned, a wrongly signed or a stale delivery; nothing started, no key or candidate data in the answer', async () => {
		const raw = fixture('candidate.create');
		for (const headers of <Array<Record<string, string>>>[
			{},
			{ 'tt-signature': signTeamtailorV2('another key', raw, now()) },
			{ 'tt-signature': signTeamtailorV2(KEY, raw, now() - 3600) },
		]) {
			const { response, result } = await deliver(node, { ...signed(raw), headers });
			expect(response.status).toBe(401);
			expect(result.workflowData).toBeUndefined();
			expect(JSON.stringify(response.body)).not.toMatch(/teamtailor generated|Astrid|example\.com/);
		}
	});

	it('v1 is accepted only when picked in the node', async () => {
		const raw = fixture('job.update');
		const headers = { 'tt-signature': signTeamtailorV1(KEY, '4711') };
		expect((await deliver(node, { ...signed(raw), headers })).response.status).toBe(401);
		const v1 = await deliver(node, {
			...signed(raw),
			headers,
			parameters: { events: [], signatureVersion: 'v1', options: {} },
		});
		expect(v1.response.status).toBe(200);
		expect(v1.items[0]).toMatchObject({ event: 'job.updated', job: { id: '4711' } });
	});

	it('a GET of the URL gets 200 and starts nothing; without a credential a delivery gets 503 + Retry-After', async () => {
		const get = await deliver(node, { method: 'GET', credentials, parameters: {} });
		expect(get.response.status).toBe(200);
		expect(get.result.workflowData).toBeUndefined();
		const missing = await deliver(node, { ...signed(fixture('job.create')), credentials: {} });
		expect(missing.response.status).toBe(503);
		expect(missing.response.headers['retry-after']).toBeDefined();
	});

	it('Events filter: an unselected event gets 200 and starts nothing', async () => {
		const result = await deliver(
			node,
			signed(fixture('job.create'), {
				parameters: { events: ['job_application.create'], options: {} },
			}),
		);
		expect(result.response.status).toBe(200);
		expect(result.result.workflowData).toBeUndefined();
	});
});

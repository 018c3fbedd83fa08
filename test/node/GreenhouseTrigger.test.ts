import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GreenhouseTrigger } from '../../nodes/Greenhouse/GreenhouseTrigger.node';
import { signGreenhouse } from '../../nodes/Greenhouse/greenhouseSignature';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import { resetRingCache } from '../../nodes/core/dedup/staticRing';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { deliver, type DeliveryOptions } from '../helpers/webhookContext';
import { sharedDedupCredential } from '../../nodes/shared/triggerDescription';

/**
 * Greenhouse Trigger with a mocked IWebhookFunctions (CONTRIBUTING.md "Test layers"). Greenhouse has no
 * registration API: the user pastes the URL and the secret key into Configure → Dev Center → Web
 * Hooks, so the node has no webhookMethods and reads the key from the signing-secret credential.
 */
const node = new GreenhouseTrigger();
const fixture = (name: string): string =>
	readFileSync(join(__dirname, '..', 'fixtures', 'greenhouse', `${name}.json`), 'utf8');
const SECRET = 'greenhouse secret key typed by the admin';
const credentials = { atsWebhookSigningSecretApi: { secret: SECRET, previousSecret: '' } };

let n = 0;
const signed = (
	raw: string,
	extra: Partial<DeliveryOptions> = {},
	key = SECRET,
): DeliveryOptions => ({
	body: raw,
	headers: {
		signature: signGreenhouse(key, raw),
		'greenhouse-event-id': `evt-${n++}`,
		'user-agent': 'Greenhouse',
	},
	parameters: { events: [] },
	credentials,
	...extra,
});

beforeEach(() => {
	processDedupStore.clear();
	resetRingCache();
});

describe('Greenhouse Trigger', () => {
	it('has no subscription API: no webhookMethods, the setup hint names the Dev Center, the credential is the signing secret', () => {
		expect((node as { webhookMethods?: unknown }).webhookMethods).toBeUndefined();
		const notice = node.description.properties.find((p) => p.name === 'setupNotice');
		expect(notice?.displayName).toMatch(/Configure → Dev Center → Web Hooks/);
		expect(node.description.credentials).toEqual([
			{ name: 'atsWebhookSigningSecretApi', required: true },
			sharedDedupCredential,
		]);
		const options = node.description.properties.find((p) => p.name === 'options');
		expect((options?.options ?? []).map((o) => ('name' in o ? o.name : ''))).not.toContain(
			'toleranceSeconds',
		);
	});

	it('a signed candidate_stage_change starts one execution with the canonical event, delivery id from Greenhouse-Event-ID', async () => {
		const raw = fixture('candidate_stage_change');
		const { result, response, items } = await deliver(node, {
			...signed(raw),
			headers: { signature: signGreenhouse(SECRET, raw), 'greenhouse-event-id': 'd-42' },
		});
		expect(response.status).toBe(200);
		expect(result.noWebhookResponse).toBeUndefined(); // n8n answers, after it stored the execution
		expect(items).toHaveLength(1);
		expect(canonicalEventSchema.safeParse(items[0]).success).toBe(true);
		expect(items[0]).toMatchObject({
			id: 'd-42',
			source: 'greenhouse',
			event: 'application.stage_changed',
			sourceEvent: 'candidate_stage_change',
			application: { id: '265277', stage: 'Assessment' },
			candidate: { id: '265772', firstName: 'Giuseppe', lastName: 'Hurley' },
			delivery: { id: 'd-42', verified: true, scheme: 'vendor' },
			payload: JSON.parse(raw),
		});
	});

	it('a Greenhouse retry (same Greenhouse-Event-ID) is answered 200 and starts nothing', async () => {
		const raw = fixture('hire_candidate');
		const staticData = {};
		const options = {
			...signed(raw, { staticData }),
			headers: { signature: signGreenhouse(SECRET, raw), 'greenhouse-event-id': 'same' },
		};
		expect((await deliver(node, options)).items).toHaveLength(1);
		const retry = await deliver(node, options);
		expect(retry.response).toMatchObject({
			status: 200,
			body: { status: 'duplicate', duplicates: 1 },
		});
		expect(retry.result.workflowData).toBeUndefined();
	});

	it('answers the ping the way Greenhouse expects (200) for a POST action ping and for a GET, starting nothing', async () => {
		const post = await deliver(node, { body: fixture('ping'), credentials, parameters: {} });
		expect(post.response.status).toBe(200);
		expect(post.result.workflowData).toBeUndefined();
		const get = await deliver(node, { method: 'GET', credentials, parameters: {} });
		expect(get.response.status).toBe(200);
		expect(get.result.workflowData).toBeUndefined();
	});

	it('a bad signature, a missing one, and the previous secret during rotation', async () => {
		const raw = fixture('update_candidate');
		const bad = await deliver(node, signed(raw, {}, 'wrong key'));
		expect(bad.response).toMatchObject({ status: 401, body: { reason: 'signature_mismatch' } });
		expect(bad.result.workflowData).toBeUndefined();
		const missing = await deliver(node, { body: raw, credentials, parameters: {} });
		expect(missing.response).toMatchObject({ status: 401, body: { reason: 'missing_signature' } });
		const rotating = { atsWebhookSigningSecretApi: { secret: 'new key', previousSecret: SECRET } };
		expect((await deliver(node, signed(raw, { credentials: rotating }))).items).toHaveLength(1);
	});

	it('the Events filter: unselected actions get 200 and start nothing', async () => {
		const raw = fixture('job_created');
		const { response, result } = await deliver(
			node,
			signed(raw, { parameters: { events: ['candidate_stage_change', 'hire_candidate'] } }),
		);
		expect(response).toMatchObject({ status: 200, body: { status: 'ignored' } });
		expect(result.workflowData).toBeUndefined();
	});

	it('Privacy drops personal data from the output but keeps ids', async () => {
		const raw = fixture('new_candidate_application');
		const { items } = await deliver(
			node,
			signed(raw, { parameters: { options: { privacy: true } } }),
		);
		expect(items[0].candidate).toEqual({ id: '60304594' });
		expect(JSON.stringify(items[0])).not.toMatch(
			/Jane|person@work\.com|555-555-5555|123 Test Street/,
		);
	});

	it('a body over the size limit gets 413, malformed JSON 400, a missing credential 503; none throws', async () => {
		const big = JSON.stringify({
			action: 'update_candidate',
			payload: { pad: 'x'.repeat(20_000) },
		});
		expect(
			(await deliver(node, signed(big, { parameters: { options: { maxBodySizeMiB: 0.01 } } })))
				.response.status,
		).toBe(413);
		const broken = '{"action":"update_candidate","payload":';
		expect((await deliver(node, signed(broken))).response.status).toBe(400);
		const raw = fixture('job_created');
		const missing = await deliver(node, {
			body: raw,
			headers: { signature: signGreenhouse(SECRET, raw) },
			parameters: {},
		});
		expect(missing.response).toMatchObject({
			status: 503,
			headers: { 'retry-after': '60' },
			body: { reason: 'not_configured' },
		});
		expect(missing.result.workflowData).toBeUndefined();
	});

	it('answers the ping even while the credential is missing, so Greenhouse does not disable the hook', async () => {
		const ping = await deliver(node, { body: '{"action":"ping"}', parameters: {} });
		expect(ping.response.status).toBe(200);
		expect(ping.result.workflowData).toBeUndefined();
		const get = await deliver(node, { method: 'GET', parameters: {} });
		expect(get.response.status).toBe(200);
	});

	it('never writes the secret or candidate data to the reply or logs on failure', async () => {
		const raw = fixture('candidate_stage_change');
		const bad = await deliver(node, signed(raw, {}, 'wrong key'));
		const text = JSON.stringify([bad.response, bad.logs]);
		expect(text).not.toContain(SECRET);
		expect(text).not.toMatch(/Giuseppe|giuseppe\.hurley/);
	});
});

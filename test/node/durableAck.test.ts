import { AtsWebhookTrigger } from '../../nodes/AtsWebhookTrigger/AtsWebhookTrigger.node';
import { TalentAtsTrigger } from '../../nodes/TalentAts/TalentAtsTrigger.node';
import { standardWebhookHeaders } from '../../nodes/core/signature';
import { resetRingCache, StaticDedupRing } from '../../nodes/core/dedup/staticRing';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import {
	answerAsN8n,
	deliver,
	runExecute,
	webhookContext,
	type DeliveryOptions,
} from '../helpers/webhookContext';

/**
 * A 2xx is a promise that the event is safe (docs/durability.md): the trigger never answers an
 * accepted delivery itself; n8n answers after it stored the execution. These tests play n8n's part
 * (test/helpers/webhookContext.ts): storing and answering 200, failing with 500, or dying before
 * either. The kill test in real n8n is test/e2e/kill.mjs.
 */
const node = new AtsWebhookTrigger();
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const credentials = { atsWebhookSigningSecretApi: { secret: SECRET, previousSecret: '' } };
const body = JSON.stringify({ type: 'candidate.created', data: { id: 'c-1' } });
const saved = (staticData: Record<string, unknown>) =>
	JSON.parse(JSON.stringify(staticData)) as Record<string, unknown>;

function signed(id: string, extra: Partial<DeliveryOptions> = {}): DeliveryOptions {
	return {
		body,
		headers: standardWebhookHeaders([SECRET], id, Math.floor(Date.now() / 1000), body),
		parameters: { authentication: 'standardWebhooks' },
		credentials,
		...extra,
	};
}

/** A fresh n8n process: empty in-process memory, only what was saved in static data. */
function restart(): void {
	processDedupStore.clear();
	resetRingCache();
}

beforeEach(restart);

describe('an accepted delivery is answered by n8n, after it stored the execution', () => {
	it('webhook() writes nothing to the response and returns the items with the reply body', async () => {
		const { context, response } = webhookContext(signed('msg_a'));
		const result = await node.webhook.call(context);
		expect(response.ended).toBe(false);
		expect(result.noWebhookResponse).toBeUndefined();
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(result.webhookResponse).toEqual({
			status: 'accepted',
			events: 1,
			duplicates: 0,
			filtered: 0,
		});
	});

	it('a delivery that starts nothing is still answered by the node at once', async () => {
		const { context, response } = webhookContext({
			...signed('msg_b'),
			headers: { 'webhook-id': 'x' },
		});
		expect(await node.webhook.call(context)).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ ended: true, status: 401 });
	});

	it("n8n's 200 goes out as the node's accepted status: the user's Response Code option (SmartRecruiters' 202: SmartRecruitersTrigger.test.ts)", async () => {
		const generic = webhookContext(
			signed('msg_code', {
				parameters: { authentication: 'standardWebhooks', options: { responseCode: 201 } },
			}),
		);
		answerAsN8n(await node.webhook.call(generic.context), generic.res, 'stored');
		expect(generic.response).toMatchObject({ status: 201, body: { status: 'accepted' } });
	});

	it('an n8n error status is never turned into a 2xx', async () => {
		const generic = webhookContext(
			signed('msg_code_err', {
				parameters: { authentication: 'standardWebhooks', options: { responseCode: 202 } },
			}),
		);
		answerAsN8n(await node.webhook.call(generic.context), generic.res, 'failed');
		expect(generic.response.status).toBe(500);
	});
});

describe('dedup stays consistent with what n8n stored', () => {
	it('a copy that arrives while the first is being stored waits, then is a duplicate once it is stored', async () => {
		const first = webhookContext(signed('msg_wait'));
		const firstResult = await node.webhook.call(first.context);
		const copy = deliver(node, signed('msg_wait'));
		await new Promise((resolve) => setImmediate(resolve));
		answerAsN8n(firstResult, first.res, 'stored');
		const copied = await copy;
		expect(copied.items).toHaveLength(0);
		expect(copied.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
	});

	it('when n8n fails to store the first copy, the waiting copy becomes the accepted one', async () => {
		const first = webhookContext(signed('msg_fail_wait'));
		const firstResult = await node.webhook.call(first.context);
		const copy = deliver(node, signed('msg_fail_wait'));
		await new Promise((resolve) => setImmediate(resolve));
		answerAsN8n(firstResult, first.res, 'failed');
		expect(first.response.status).toBe(500);
		const copied = await copy;
		expect(copied.items).toHaveLength(1);
		expect(copied.response).toMatchObject({ status: 200, body: { status: 'accepted' } });
	});

	it('a delivery n8n answered 500 (not stored) is accepted when the sender retries', async () => {
		const failed = await deliver(node, signed('msg_500', { n8n: 'failed' }));
		expect(failed.response.status).toBe(500);
		const retry = await deliver(node, signed('msg_500'));
		expect(retry.items).toHaveLength(1);
		expect(retry.response.status).toBe(200);
	});

	it('a crash before n8n stored the execution: nothing was remembered, so the retry after the restart is accepted', async () => {
		const staticData: Record<string, unknown> = {};
		// n8n dies after webhook() returned: no answer, no execution, and whatever static data n8n
		// might save afterwards names no key of this delivery.
		await deliver(node, signed('msg_crash', { n8n: 'pending', staticData }));
		expect(StaticDedupRing.keysOf(saved(staticData))).toEqual([]);
		restart();
		const retry = await deliver(node, signed('msg_crash', { staticData: saved(staticData) }));
		expect(retry.items).toHaveLength(1);
	});

	it('the key is saved by the execution (execute()), and a restarted process rejects the retry', async () => {
		const webhookCopy: Record<string, unknown> = {};
		const executionCopy: Record<string, unknown> = {};
		const { context, res } = webhookContext(signed('msg_saved', { staticData: webhookCopy }));
		const result = await node.webhook.call(context);
		// webhook() itself does not write the key (n8n >= 2.20 would not save it anyway).
		expect(StaticDedupRing.keysOf(saved(webhookCopy))).toEqual([]);
		answerAsN8n(result, res, 'stored');
		const items = await runExecute(node, result.workflowData![0], {
			parameters: { authentication: 'standardWebhooks' },
			staticData: executionCopy,
		});
		expect(items).toEqual(result.workflowData![0]); // passed through unchanged
		const row = saved(executionCopy); // n8n saves static data when the execution ends
		expect(StaticDedupRing.keysOf(row)).toHaveLength(1);
		restart();
		const retry = await deliver(node, signed('msg_saved', { staticData: saved(row) }));
		expect(retry.items).toHaveLength(0);
		expect(retry.response.body).toMatchObject({ status: 'duplicate' });
	});

	it('after a restart, an execution queued before the crash (old static data) never writes its old ring over the newer one', async () => {
		// The database holds a ring with msg_before (saved before the crash).
		const row: Record<string, unknown> = {};
		await deliver(node, signed('msg_before', { staticData: row }));
		const database = saved(row);
		expect(StaticDedupRing.keysOf(database)).toHaveLength(1);
		const { context } = webhookContext(signed('msg_queued'));
		const queued = await node.webhook.call(context);
		restart();
		// n8n runs the queued execution with the static data of its creation time: empty here.
		const oldSnapshot: Record<string, unknown> = {};
		await runExecute(node, queued.workflowData![0], { staticData: oldSnapshot });
		expect(oldSnapshot).toEqual({}); // not written, so n8n does not save it over the database
		// The next delivery loads the database: both keys are known, and its save carries both.
		const copy = saved(database);
		const retry = await deliver(node, signed('msg_queued', { staticData: copy }));
		expect(retry.response.body).toMatchObject({ status: 'duplicate' });
		expect(StaticDedupRing.keysOf(saved(copy))).toHaveLength(2);
		restart();
		expect(
			(await deliver(node, signed('msg_before', { staticData: saved(copy) }))).response.body,
		).toMatchObject({ status: 'duplicate' });
	});

	it("a duplicate delivery writes the keys stored since its copy was loaded, so n8n's save after it carries them", async () => {
		await deliver(node, signed('msg_d1'));
		const loadedBefore: Record<string, unknown> = {};
		const dup = await deliver(node, signed('msg_d1', { staticData: loadedBefore }));
		expect(dup.response.body).toMatchObject({ status: 'duplicate' });
		expect(StaticDedupRing.keysOf(saved(loadedBefore))).toHaveLength(1);
	});

	it('with dedup off, items carry no key and execute() records nothing', async () => {
		const staticData: Record<string, unknown> = {};
		const off = await deliver(
			node,
			signed('msg_off', {
				parameters: { authentication: 'standardWebhooks', options: { dedup: false } },
				staticData,
			}),
		);
		expect((off.items[0].delivery as Record<string, unknown>).dedupKey).toBeUndefined();
		expect(StaticDedupRing.keysOf(saved(staticData))).toEqual([]);
	});

	it('a batch kept as one item: execute() records the key of every event inside it', async () => {
		const talent = new TalentAtsTrigger();
		const batch = JSON.stringify({
			event: 'candidate.exported',
			batch_id: 'b-1',
			candidates: [
				{ id: 'c1', vacancy_id: 'v' },
				{ id: 'c2', vacancy_id: 'v' },
			],
		});
		const options = {
			body: batch,
			parameters: { authentication: 'none', options: { batchAsOneItem: true } },
		};
		const staticData: Record<string, unknown> = {};
		const first = await deliver(talent, { ...options, staticData });
		expect(first.items).toHaveLength(1);
		expect(StaticDedupRing.keysOf(saved(staticData))).toHaveLength(2);
		restart();
		const again = await deliver(talent, { ...options, staticData: saved(staticData) });
		expect(again.response.body).toMatchObject({ status: 'duplicate', duplicates: 2 });
	});
});

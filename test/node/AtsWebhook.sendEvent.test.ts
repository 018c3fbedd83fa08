import { randomBytes } from 'node:crypto';
import type { INodeExecutionData, INodeType } from 'n8n-workflow';
import { AtsWebhook } from '../../nodes/AtsWebhook/AtsWebhook.node';
import { AtsWebhookTrigger } from '../../nodes/AtsWebhookTrigger/AtsWebhookTrigger.node';
import { HumanSourcingTrigger } from '../../nodes/HumanSourcing/HumanSourcingTrigger.node';
import { TalentAtsTrigger } from '../../nodes/TalentAts/TalentAtsTrigger.node';
import { ViastoTrigger } from '../../nodes/Viasto/ViastoTrigger.node';
import { executeContext } from '../helpers/httpRequestExecuteContext';
import { headerOf, startReceiver, type ReceivedRequest, type Receiver } from '../helpers/receiver';
import { deliver as deliverToTrigger } from '../helpers/webhookContext';

/**
 * "Send Event": one event per item in Standard Webhooks form or a seed vendor's own format
 * (docs/nodes/atsWebhook.md: viasto `{endpoint, time, event, data}` + User-Agent, Human Sourcing array,
 * talentATS export), checked by sending to a local receiver and handing each captured request to
 * the matching trigger of this package, as the demo and the e2e suite do.
 */
const node = new AtsWebhook();
let rx: Receiver;
beforeEach(async () => {
	rx = await startReceiver();
});
afterEach(async () => {
	await rx.close();
});

async function send(
	items: Array<Record<string, unknown>>,
	parameters: Record<string, unknown>,
	extra: {
		credentials?: Record<string, Record<string, string>>;
		continueOnFail?: boolean;
		executionId?: string;
	} = {},
) {
	const { context } = executeContext({
		items,
		...extra,
		parameters: { operation: 'sendEvent', url: rx.url(), ...parameters },
	});
	const [delivered, failed] = (await node.execute.call(context)) as INodeExecutionData[][];
	return { delivered, failed };
}

async function into(
	trigger: INodeType,
	request: ReceivedRequest,
	parameters: Record<string, unknown> = {},
	credentials?: Record<string, Record<string, string>>,
) {
	return await deliverToTrigger(trigger, {
		headers: request.headers as Record<string, string>,
		body: request.rawBody,
		parameters,
		credentials,
		staticData: {},
		workflowId: `wf-${Math.random()}`,
	});
}

describe('ATS Webhook: Send Event', () => {
	it('viasto: the documented envelope and User-Agent; the viasto Trigger (User-Agent required) accepts it', async () => {
		const data = {
			action: 'modified',
			project: 'https://interview-suite.com/api/v3/companies/1/projects/17/',
			candidate: 'https://interview-suite.com/api/v3/companies/1/projects/17/candidates/5/',
		};
		const { delivered } = await send([data], {
			eventFormat: 'viasto',
			viastoEvent: 'candidate_changed',
		});
		expect(delivered).toHaveLength(1);
		const [request] = rx.requests;
		expect(headerOf(request, 'user-agent')).toBe('interview suite webhook');
		const body = JSON.parse(request.rawBody.toString());
		expect(body).toEqual({
			endpoint: rx.url(),
			time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/),
			event: 'candidate_changed',
			data,
		});
		const received = await into(new ViastoTrigger(), request, { requireUserAgent: true });
		expect(received.response.status).toBe(200);
		expect(received.items).toHaveLength(1);
		expect(received.items[0]).toMatchObject({ source: 'viasto', sourceEvent: 'candidate_changed' });
	});

	it('Human Sourcing: all items in one array; the Human Sourcing Trigger splits it into one item each', async () => {
		const items = [
			{ job_id: 11, job_reference: 'REF-11', job_title: 'Data Engineer' },
			{ job_id: 12, job_reference: 'REF-12', job_title: 'Recruiter' },
		];
		const { delivered } = await send(items, {
			eventFormat: 'humanSourcing',
			humanSourcingEvent: 'creation',
			humanSourcingType: 'job',
			groupInOneRequest: true,
		});
		expect(delivered).toHaveLength(1);
		expect(delivered[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		const [request] = rx.requests;
		expect(JSON.parse(request.rawBody.toString())).toEqual(
			items.map((data) => ({ event: 'creation', type: 'job', data })),
		);
		const received = await into(new HumanSourcingTrigger(), request);
		expect(received.items).toHaveLength(2);
		expect(received.items.map((i) => i.event)).toEqual(['job.created', 'job.created']);
	});

	it('Human Sourcing, one request per item by default', async () => {
		await send([{ id: 1 }, { id: 2 }, { id: 3 }], {
			eventFormat: 'humanSourcing',
			humanSourcingEvent: 'update',
			humanSourcingType: 'candidate',
		});
		expect(rx.requests.map((r) => JSON.parse(r.rawBody.toString()))).toEqual(
			[1, 2, 3].map((id) => [{ event: 'update', type: 'candidate', data: { id } }]),
		);
	});

	it('talentATS: the export envelope; the talentATS Trigger reads the candidates', async () => {
		const { delivered } = await send(
			[
				{
					candidates: [
						{ id: 'c1', first_name: 'Ada', email: 'ada@example.com' },
						{ id: 'c2', first_name: 'Alan' },
					],
				},
			],
			{ eventFormat: 'talentAts' },
		);
		const body = JSON.parse(rx.requests[0].rawBody.toString());
		expect(body).toMatchObject({
			event: 'candidate.exported',
			batch_id: delivered[0].json.idempotencyKey,
			count: 2,
		});
		const received = await into(new TalentAtsTrigger(), rx.requests[0]);
		expect(received.items.map((i) => (i.candidate as { id: string }).id)).toEqual(['c1', 'c2']);
	});

	it('Standard Webhooks, signed: the generic trigger verifies it; each item has its own stable key', async () => {
		const secret = `whsec_${randomBytes(24).toString('base64')}`;
		const credentials = { atsWebhookSigningSecretApi: { secret } };
		const items = [{ id: 'c1' }, { id: 'c2' }];
		const parameters = {
			eventFormat: 'standardWebhooks',
			eventType: (i: number) => (i === 0 ? 'candidate.created' : 'candidate.hired'),
			authentication: 'standardWebhooks',
		};
		const first = await send(items, parameters, { credentials, executionId: 'e1' });
		expect(first.delivered.map((d) => d.json.idempotencyKey)).toEqual([
			expect.stringMatching(/:0$/),
			expect.stringMatching(/:1$/),
		]);
		const again = await send(items, parameters, { credentials, executionId: 'e1' });
		expect(again.delivered.map((d) => d.json.idempotencyKey)).toEqual(
			first.delivered.map((d) => d.json.idempotencyKey),
		);
		const other = await send(items, parameters, { credentials, executionId: 'e2' });
		expect(other.delivered[0].json.idempotencyKey).not.toBe(first.delivered[0].json.idempotencyKey);

		expect(JSON.parse(rx.requests[1].rawBody.toString())).toMatchObject({
			type: 'candidate.hired',
			data: { id: 'c2' },
		});
		const received = await into(
			new AtsWebhookTrigger(),
			rx.requests[0],
			{ authentication: 'standardWebhooks', eventPath: 'type' },
			credentials,
		);
		expect(received.response.status).toBe(200);
		expect(received.items[0]).toMatchObject({
			event: 'candidate.created',
			delivery: {
				verified: true,
				scheme: 'standardWebhooks',
				id: first.delivered[0].json.idempotencyKey,
			},
		});
	});

	it('data as JSON per item; an item whose JSON does not parse goes to Failed (Continue On Fail)', async () => {
		const { delivered, failed } = await send(
			[{ n: 1 }, { n: 2 }],
			{
				dataSource: 'json',
				dataJson: (i: number) => (i === 0 ? '{"candidate":{"id":"x"}}' : '{broken'),
			},
			{ continueOnFail: true },
		);
		expect(delivered).toHaveLength(1);
		expect(JSON.parse(rx.requests[0].rawBody.toString())).toMatchObject({
			type: 'candidate.updated',
			data: { candidate: { id: 'x' } },
		});
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toMatchObject({ n: 2, deliveryError: { reason: 'invalid_json' } });
		expect(failed[0].pairedItem).toEqual({ item: 1 });
	});
});

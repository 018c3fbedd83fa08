import { HumanSourcingTrigger } from '../../nodes/HumanSourcing/HumanSourcingTrigger.node';
import { deliverSeed } from '../helpers/seedDeliver';
import { fixture, fixtureText } from '../helpers/seedFixtures';

/** HumanSourcingTrigger.webhook() with a mocked IWebhookFunctions. Seed 003. */
const node = new HumanSourcingTrigger();
type Json = Record<string, any>;

describe('Human Sourcing Trigger node', () => {
	it('describes itself the n8n way', () => {
		expect(node.description).toMatchObject({
			name: 'humanSourcingTrigger',
			displayName: 'Human Sourcing Trigger',
			inputs: [],
			icon: 'file:humanSourcing.svg',
		});
		expect(node.description.properties.find((p) => p.name === 'authentication')?.default).toBe(
			'none',
		);
	});

	it.each([
		['job-creation.json', 'job.created', '126751'],
		['job-update.json', 'job.updated', '126751'],
		['job-delete.json', 'job.deleted', '126751'],
		['candidate-creation.json', 'candidate.created', '1234567876'],
		['candidate-update.json', 'candidate.updated', '1234567876'],
		['candidate-delete.json', 'candidate.deleted', '12121'],
	])('%s -> %s, answered 200 JSON', async (file, event, id) => {
		const { items, response } = await deliverSeed(node, {
			body: fixtureText('humansourcing', file),
		});
		expect(response).toMatchObject({ status: 200, body: { status: 'accepted', events: 1 } });
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ source: 'humansourcing', event, subject: { id } });
		expect(items[0].payload).toEqual(fixture<Json[]>('humansourcing', file)[0]);
	});

	it('an array of 3 elements gives 3 items in one execution', async () => {
		const { items, result } = await deliverSeed(node, {
			body: fixtureText('humansourcing', 'mixed-3.json'),
		});
		expect(result.workflowData).toHaveLength(1);
		expect(items.map((i) => i.event)).toEqual([
			'job.created',
			'candidate.updated',
			'candidate.deleted',
		]);
	});

	it('two endpoints, two triggers: each takes its own type', async () => {
		const body = fixtureText('humansourcing', 'mixed-3.json');
		const jobs = await deliverSeed(node, { body, parameters: { types: ['job'] } });
		expect(jobs.items.map((i) => i.event)).toEqual(['job.created']);
		const candidates = await deliverSeed(node, {
			body,
			parameters: { types: ['candidate'], events: ['update'] },
		});
		expect(candidates.items.map((i) => i.event)).toEqual(['candidate.updated']);
		const none = await deliverSeed(node, {
			body: fixtureText('humansourcing', 'job-delete.json'),
			parameters: { types: ['candidate'] },
		});
		expect(none.result).toEqual({ noWebhookResponse: true });
		expect(none.response.status).toBe(200);
	});

	it('Privacy: attachment text, emails and phones gone, ids kept', async () => {
		const body = fixture<Json[]>('humansourcing', 'candidate-update.json');
		body[0].data.tel_mobile = '06 12 34 56 78';
		const { items } = await deliverSeed(node, {
			body: JSON.stringify(body),
			parameters: { options: { privacy: true } },
		});
		const text = JSON.stringify(items);
		expect(text).not.toMatch(/#Maxime#|example\.com|06 12 34 56 78|Candidate Firstname/);
		const data = (items[0].payload as Json).data;
		expect(data.id).toBe(1234567876);
		expect(data.action.map((a: Json) => a.id)).toEqual([
			'14437912',
			'14197986',
			'14197985',
			'4775507',
		]);
		expect(data.action[2].attachment).toEqual([{ id: 367479 }, { id: 367480 }]);
		expect(data.action[2].form.id).toBe('2599363');
		expect(data.action[2].form.input[3]).toEqual({
			id_form_answer: '3088',
			id_question: '1097',
			question: 'E-mail',
			id_form_answer_value: null,
		});
		expect(items[0].candidate).toEqual({ id: '1234567876' });
	});

	it('Privacy with one item per batch', async () => {
		const { items } = await deliverSeed(node, {
			body: fixtureText('humansourcing', 'mixed-3.json'),
			parameters: { options: { privacy: true, batchAsOneItem: true } },
		});
		expect(items).toHaveLength(1);
		expect(JSON.stringify(items)).not.toContain('example.com');
		expect(items[0].count).toBe(3);
	});

	it('a retried array is a duplicate', async () => {
		const staticData = {};
		const body = fixtureText('humansourcing', 'mixed-3.json');
		expect(
			(await deliverSeed(node, { body, staticData, workflowId: 'wf-hs-dup' })).items,
		).toHaveLength(3);
		expect(
			(await deliverSeed(node, { body, staticData, workflowId: 'wf-hs-dup' })).response,
		).toMatchObject({ status: 200, body: { status: 'duplicate' } });
	});

	it('a missing credential gives 503 + Retry-After and starts nothing', async () => {
		const { result, response } = await deliverSeed(node, {
			body: fixtureText('humansourcing', 'job-update.json'),
			parameters: { authentication: 'basicAuth' },
		});
		expect(response).toMatchObject({
			status: 503,
			headers: { 'retry-after': '60' },
			body: { reason: 'not_configured' },
		});
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('wrong shapes produce warnings, not lost events', async () => {
		const { items } = await deliverSeed(node, {
			body: JSON.stringify([
				{ event: 'creation', type: 'job', data: { job_id: 1 } },
				{ event: 'publish', type: 'job', data: { job_id: 2, job_title: 'x', job_reference: 'r' } },
			]),
		});
		expect(items.map((i) => i.event)).toEqual(['job.created', 'job.published']);
		expect(items[0].warnings).toEqual(['job_fields_missing: job_reference, job_title']);
		expect(items[1].warnings).toEqual([expect.stringMatching(/^event_unrecognised: "publish"/)]);
	});
});

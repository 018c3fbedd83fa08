import { RecruitisTrigger } from '../../nodes/Recruitis/RecruitisTrigger.node';
import { deliverSeed } from '../helpers/seedDeliver';
import { fixture, fixtureText } from '../helpers/seedFixtures';

/** RecruitisTrigger.webhook() with a mocked IWebhookFunctions (CONTRIBUTING.md "Test layers"). Seed 000. */
const node = new RecruitisTrigger();
const TOKEN = {
	atsWebhookHeaderTokenApi: {
		headerName: 'x-recruitis-token',
		token: 'n0t-guessable',
		previousToken: '',
	},
};

describe('Recruitis Trigger node', () => {
	it('describes itself the n8n way', () => {
		const d = node.description;
		expect(d).toMatchObject({
			name: 'recruitisTrigger',
			displayName: 'Recruitis Trigger',
			inputs: [],
			icon: 'file:recruitis.svg',
		});
		expect(d.webhooks?.map((w) => [w.name, w.httpMethod, w.path])).toEqual([
			['default', 'POST', 'webhook'],
			['setup', 'GET', 'webhook'],
		]);
		const auth = d.properties.find((p) => p.name === 'authentication');
		expect(auth?.default).toBe('none');
		const hint = d.properties.find((p) => p.name === 'unprotectedNotice');
		expect(hint).toMatchObject({
			type: 'notice',
			displayOptions: { show: { authentication: ['none'] } },
		});
		expect(String(hint?.displayName)).toMatch(/does not sign/);
		const events = d.properties.find((p) => p.name === 'events');
		expect((events?.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'job.created',
			'job.updated',
			'job.opened',
			'job.closed',
			'job.archived',
			'job.published',
			'job.unpublished',
		]);
	});

	it.each([
		['1-position-added.json', 'job.created'],
		['2-position-edited.json', 'job.updated'],
		['3-position-opened.json', 'job.opened'],
		['4-position-closed.json', 'job.closed'],
		['5-position-archived.json', 'job.archived'],
		['6-position-published.json', 'job.published'],
		['7-position-withdrawn.json', 'job.unpublished'],
	])('%s starts one execution with %s, answered 200 once n8n stored it', async (file, event) => {
		const { result, response, items } = await deliverSeed(node, {
			body: fixtureText('recruitis', file),
		});
		expect(result.noWebhookResponse).toBeUndefined(); // n8n answers, after it stored the execution
		expect(response).toMatchObject({
			status: 200,
			body: { status: 'accepted', events: 1 },
			ended: true,
		});
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			source: 'recruitis',
			event,
			subject: { type: 'job', id: '48213' },
			payload: fixture('recruitis', file),
		});
	});

	it('keeps the publication channel on the event', async () => {
		const published = await deliverSeed(node, {
			body: fixtureText('recruitis', '6-position-published.json'),
		});
		expect(published.items[0].channel).toEqual({ id: '7', name: 'Jobs.cz' });
		const withdrawn = await deliverSeed(node, {
			body: fixtureText('recruitis', '7-position-withdrawn.json'),
		});
		expect(withdrawn.items[0].channel).toEqual({ id: '7', name: 'Jobs.cz' });
	});

	it('the event filter: others get 200 and start nothing', async () => {
		const { result, response } = await deliverSeed(node, {
			body: fixtureText('recruitis', '4-position-closed.json'),
			parameters: { events: ['job.published', 'job.unpublished'] },
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({
			status: 200,
			body: { status: 'ignored', reason: 'event_not_selected' },
		});
	});

	describe('the "Test" button', () => {
		it.each([
			['a GET', { method: 'GET' }],
			['an empty POST', { body: '' }],
			['a POST of {}', { body: '{}' }],
			['a POST of {"event":"test"}', { body: '{"event":"test"}' }],
		])(
			'%s is answered 200 and starts nothing, even with a token required',
			async (_label, request) => {
				const { result, response } = await deliverSeed(node, {
					...request,
					parameters: { authentication: 'headerToken' },
					credentials: TOKEN,
				});
				expect(result).toEqual({ noWebhookResponse: true });
				expect(response).toMatchObject({ status: 200, body: { status: 'ok', reason: 'test' } });
			},
		);

		it.each([
			['a GET', { method: 'GET' }],
			['an empty POST', { body: '' }],
			['a POST of {}', { body: '{}' }],
			['a POST of {"event":"test"}', { body: '{"event":"test"}' }],
		])(
			'with "Emit Test Events", %s starts one execution with event "test"',
			async (_label, request) => {
				const { items, response } = await deliverSeed(node, {
					...request,
					parameters: { options: { emitTestEvents: true }, events: ['job.opened'] },
				});
				expect(response.status).toBe(200);
				expect(items).toHaveLength(1);
				expect(items[0]).toMatchObject({
					source: 'recruitis',
					event: 'test',
					subject: { type: 'test', id: null },
				});
			},
		);

		it('with "Emit Test Events" and a token, a stranger\'s GET gets 401 and starts nothing', async () => {
			const { result, response } = await deliverSeed(node, {
				method: 'GET',
				parameters: { authentication: 'headerToken', options: { emitTestEvents: true } },
				credentials: TOKEN,
			});
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.status).toBe(401);
			const ok = await deliverSeed(node, {
				method: 'GET',
				headers: { 'x-recruitis-token': 'n0t-guessable' },
				parameters: { authentication: 'headerToken', options: { emitTestEvents: true } },
				credentials: TOKEN,
			});
			expect(ok.items).toHaveLength(1);
			expect(ok.items[0].delivery).toEqual({
				id: null,
				verified: true,
				scheme: 'headerToken',
				dedupKey: expect.any(String),
			});
		});
	});

	it('a missing credential gives 503 + Retry-After and starts nothing', async () => {
		const { result, response } = await deliverSeed(node, {
			body: fixtureText('recruitis', '3-position-opened.json'),
			parameters: { authentication: 'headerToken' },
		});
		expect(response).toMatchObject({
			status: 503,
			headers: { 'retry-after': '60' },
			body: { reason: 'not_configured' },
		});
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('a real event needs the token when one is configured', async () => {
		const body = fixtureText('recruitis', '3-position-opened.json');
		const denied = await deliverSeed(node, {
			body,
			parameters: { authentication: 'headerToken' },
			credentials: TOKEN,
		});
		expect(denied.response.status).toBe(401);
		expect(JSON.stringify(denied.response.body)).not.toContain('n0t-guessable');
		const allowed = await deliverSeed(node, {
			body,
			headers: { 'x-recruitis-token': 'n0t-guessable' },
			parameters: { authentication: 'headerToken' },
			credentials: TOKEN,
		});
		expect(allowed.items).toHaveLength(1);
	});

	it('?event= on the URL and the "Event If Not Named" setting name unnamed events', async () => {
		const body = JSON.stringify({ job_id: 77, title: 'Analyst' });
		const viaQuery = await deliverSeed(node, { body, query: { event: 'archived' } });
		expect(viaQuery.items[0]).toMatchObject({ event: 'job.archived', subject: { id: '77' } });
		const viaSetting = await deliverSeed(node, {
			body,
			parameters: { fallbackEvent: 'job.published' },
		});
		expect(viaSetting.items[0].event).toBe('job.published');
		expect(viaSetting.items[0].warnings).toEqual([
			expect.stringMatching(/^event_assumed/),
			expect.stringMatching(/^channel_missing/),
		]);
		const neither = await deliverSeed(node, { body });
		expect(neither.items[0]).toMatchObject({
			event: 'unknown',
			subject: { type: 'job', id: '77' },
		});
	});

	it('a retried delivery is a duplicate (200, nothing starts), remembered in static data', async () => {
		const staticData = {};
		const body = fixtureText('recruitis', '5-position-archived.json');
		const first = await deliverSeed(node, { body, staticData, workflowId: 'wf-recruitis-dup' });
		expect(first.items).toHaveLength(1);
		const second = await deliverSeed(node, { body, staticData, workflowId: 'wf-recruitis-dup' });
		expect(second.result).toEqual({ noWebhookResponse: true });
		expect(second.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(JSON.stringify(staticData)).not.toContain('48213');
	});

	it('bad input gets a 4xx with a reason, never a throw', async () => {
		await expect(deliverSeed(node, { body: '{"event":' })).resolves.toMatchObject({
			response: { status: 400 },
		});
		await expect(
			deliverSeed(node, { body: '<xml/>', headers: { 'content-type': 'application/xml' } }),
		).resolves.toMatchObject({ response: { status: 415 } });
		await expect(deliverSeed(node, { method: 'PUT', body: '{}' })).resolves.toMatchObject({
			response: { status: 405 },
		});
		await expect(
			deliverSeed(node, {
				body: JSON.stringify({ event: 'job_published', big: 'x'.repeat(2048) }),
				parameters: { options: { maxBodySizeMiB: 0.001 } },
			}),
		).resolves.toMatchObject({ response: { status: 413 } });
	});
});

describe('Recruitis Trigger node: Privacy', () => {
	it('keeps the channel and ids, drops personal data', async () => {
		const body = JSON.stringify({
			event: 'job_unpublished',
			job_id: 8,
			channel: { id: 3, name: 'LinkedIn' },
			changed_by: { id: 12, first_name: 'Jan', last_name: 'Novák', email: 'jan.novak@example.com' },
		});
		const { items } = await deliverSeed(node, { body, parameters: { options: { privacy: true } } });
		expect(items[0]).toMatchObject({
			event: 'job.unpublished',
			channel: { id: '3', name: 'LinkedIn' },
			payload: { job_id: 8, changed_by: { id: 12 } },
		});
		expect(JSON.stringify(items)).not.toMatch(/Novák|jan\.novak/);
	});
});

import { TalentAtsTrigger } from '../../nodes/TalentAts/TalentAtsTrigger.node';
import { deliverSeed } from '../helpers/seedDeliver';
import { fixture, fixtureText } from '../helpers/seedFixtures';

/** TalentAtsTrigger.webhook() with a mocked IWebhookFunctions. Seed 001: one request per export batch. */
const node = new TalentAtsTrigger();

function batch(size: number, batchId: string, offset = 0): string {
	const candidates = Array.from({ length: size }, (_, i) => ({
		id: `c${offset + i}`,
		first_name: `First${offset + i}`,
		last_name: `Last${offset + i}`,
		email: `p${offset + i}@example.com`,
		phone: `+44 7700 9${String(offset + i).padStart(5, '0')}`,
		vacancy_id: 'vac_1',
	}));
	return JSON.stringify({
		event: 'candidate.exported',
		batch_id: batchId,
		exported_at: '2025-03-12T08:00:00Z',
		count: size,
		candidates,
	});
}

describe('talentATS Trigger node', () => {
	it('describes itself the n8n way', () => {
		expect(node.description).toMatchObject({
			name: 'talentAtsTrigger',
			displayName: 'talentATS Trigger',
			inputs: [],
			icon: 'file:talentAts.svg',
		});
		const options = node.description.properties.find((p) => p.name === 'options')
			?.options as Array<{ name: string }>;
		expect(options.map((o) => o.name)).toEqual(
			expect.arrayContaining(['batchAsOneItem', 'dedupBy', 'dedup', 'privacy']),
		);
	});

	it.each(['export-array.json', 'export-object.json', 'export-action-node.json'])(
		'%s: one item per candidate',
		async (file) => {
			const body = fixture<unknown>('talentats', file);
			const list = (
				Array.isArray(body) ? body : (body as { candidates: unknown[] }).candidates
			) as Array<{ id: string }>;
			const { items, response, result } = await deliverSeed(node, {
				body: fixtureText('talentats', file),
			});
			expect(result.noWebhookResponse).toBeUndefined(); // n8n answers, after it stored the execution
			expect(response).toMatchObject({
				status: 200,
				body: { status: 'accepted', events: list.length },
			});
			expect(items.map((i) => (i.subject as { id: string }).id)).toEqual(list.map((c) => c.id));
			expect(items.every((i) => i.event === 'candidate.exported')).toBe(true);
		},
	);

	it('250 candidates in one request: 250 items in one execution, each with batch id, index and size', async () => {
		const { items, result } = await deliverSeed(node, { body: batch(250, 'b-250') });
		expect(result.workflowData).toHaveLength(1);
		expect(items).toHaveLength(250);
		items.forEach((item, index) => expect(item.batch).toEqual({ id: 'b-250', index, size: 250 }));
	});

	it('"Emit Batch as One Item": one item with all candidates', async () => {
		const { items } = await deliverSeed(node, {
			body: batch(5, 'b-one'),
			parameters: { options: { batchAsOneItem: true } },
		});
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			source: 'talentats',
			batch: { id: 'b-one', size: 5 },
			count: 5,
		});
	});

	it('dedup per candidate across batches (default)', async () => {
		const staticData = {};
		const workflowId = 'wf-talentats-candidate';
		expect(
			(await deliverSeed(node, { body: batch(3, 'b1'), staticData, workflowId })).items,
		).toHaveLength(3);
		const overlap = await deliverSeed(node, { body: batch(3, 'b2', 2), staticData, workflowId });
		expect(overlap.items.map((i) => (i.subject as { id: string }).id)).toEqual(['c3', 'c4']);
		expect(overlap.response.body).toMatchObject({ events: 2, duplicates: 1 });
	});

	it('dedup per batch, by option', async () => {
		const staticData = {};
		const workflowId = 'wf-talentats-batch';
		const parameters = { options: { dedupBy: 'batch' } };
		expect(
			(await deliverSeed(node, { body: batch(3, 'b1'), staticData, workflowId, parameters })).items,
		).toHaveLength(3);
		expect(
			(await deliverSeed(node, { body: batch(3, 'b2', 2), staticData, workflowId, parameters }))
				.items,
		).toHaveLength(3);
		const resent = await deliverSeed(node, {
			body: batch(3, 'b2', 2),
			staticData,
			workflowId,
			parameters,
		});
		expect(resent.response).toMatchObject({
			status: 200,
			body: { status: 'duplicate', duplicates: 3 },
		});
	});

	it('Privacy: no names, emails or phones anywhere in the items; ids stay', async () => {
		const { items } = await deliverSeed(node, {
			body: batch(4, 'b-priv'),
			parameters: { options: { privacy: true } },
		});
		const text = JSON.stringify(items);
		expect(text).not.toMatch(/First\d|Last\d|example\.com|\+44 7700/);
		expect(items.map((i) => (i.candidate as { id: string }).id)).toEqual(['c0', 'c1', 'c2', 'c3']);
		expect(items[0].payload).toEqual({ id: 'c0', vacancy_id: 'vac_1' });
	});

	it('wrong shapes: warnings, not lost candidates; bad JSON: 400', async () => {
		const odd = await deliverSeed(node, {
			body: JSON.stringify({ export_id: 'x', results: [{ name: 'Ada Lovelace' }] }),
		});
		expect(odd.items[0]).toMatchObject({
			candidate: { firstName: 'Ada', lastName: 'Lovelace' },
			batch: { id: 'x' },
		});
		expect(odd.items[0].warnings).toEqual([expect.stringMatching(/^candidate_id_missing/)]);
		expect((await deliverSeed(node, { body: '[{"id": 1},' })).response).toMatchObject({
			status: 400,
			body: { reason: 'malformed_json' },
		});
	});

	it('Basic auth, when chosen, is enforced', async () => {
		const credentials = {
			atsWebhookBasicAuthApi: { user: 'talent', password: 'pa55-word', previousPassword: '' },
		};
		const parameters = { authentication: 'basicAuth' };
		expect(
			(await deliverSeed(node, { body: batch(1, 'b'), parameters, credentials })).response.status,
		).toBe(401);
		const authorization = `Basic ${Buffer.from('talent:pa55-word').toString('base64')}`;
		expect(
			(
				await deliverSeed(node, {
					body: batch(1, 'b'),
					parameters,
					credentials,
					headers: { authorization },
				})
			).items,
		).toHaveLength(1);
	});

	it('a missing credential gives 503 + Retry-After and starts nothing', async () => {
		const { result, response } = await deliverSeed(node, {
			body: batch(1, 'c'),
			parameters: { authentication: 'basicAuth' },
		});
		expect(response).toMatchObject({
			status: 503,
			headers: { 'retry-after': '60' },
			body: { reason: 'not_configured' },
		});
		expect(result).toEqual({ noWebhookResponse: true });
	});
});

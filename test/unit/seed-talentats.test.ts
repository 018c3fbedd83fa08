import {
	locateCandidates,
	talentAtsSource,
	type TalentAtsSettings,
} from '../../nodes/TalentAts/talentAtsSource';
import {
	baseSettings,
	fixture,
	fixtureText,
	runSource,
	uniqueScope,
} from '../helpers/seedFixtures';

/**
 * talentATS "Export to Webhook" (seed 001; docs/nodes/talentAtsTrigger.md): ONE request per export batch with all
 * selected candidates. The JSON shape is not documented; fixtures: test/fixtures/talentats/PROVENANCE.md.
 */
const settings = (overrides: Partial<TalentAtsSettings> = {}): TalentAtsSettings => ({
	...baseSettings(),
	dedupBy: 'candidate',
	...overrides,
});

type Candidate = Record<string, unknown>;
const candidates = fixture<Candidate[]>('talentats', 'export-array.json');

function bigBatch(size: number, batchId = 'batch_250'): string {
	const list = Array.from({ length: size }, (_, i) => ({
		id: `cand_${i}`,
		first_name: `First${i}`,
		last_name: `Last${i}`,
		email: `person${i}@example.com`,
		vacancy_id: 'vac_900',
		stage: i % 2 ? 'Screening' : 'Interview',
	}));
	return JSON.stringify({
		event: 'candidate.exported',
		batch_id: batchId,
		exported_at: '2025-03-12T08:00:00Z',
		count: size,
		candidates: list,
	});
}

describe('talentATS batch location', () => {
	it.each([
		[[{ id: 1 }], '(top-level array)'],
		[{ candidates: [{ id: 1 }] }, 'candidates'],
		[{ data: [{ id: 1 }] }, 'data'],
		[{ items: [{ id: 1 }] }, 'items'],
		[{ results: [{ id: 1 }] }, 'results'],
		[{ data: { candidates: [{ id: 1 }] } }, 'data.candidates'],
		[{ export: { items: [{ id: 1 }] } }, 'export.items'],
	])('finds the candidates of %j at %s', (body, path) => {
		const found = locateCandidates(body);
		expect(found.path).toBe(path);
		expect(found.list).toEqual([{ id: 1 }]);
		expect(found.warnings).toEqual([]);
	});
});

describe('talentATS fixtures: one candidate.exported item per candidate', () => {
	it('a top-level array', () => {
		const out = runSource(
			talentAtsSource,
			fixtureText('talentats', 'export-array.json'),
			settings(),
		);
		expect(out.outcome).toBe('accepted');
		expect(out.reply).toEqual({
			status: 200,
			body: { status: 'accepted', events: 3, duplicates: 0, filtered: 0 },
		});
		expect(out.items).toHaveLength(3);
		const batchId = out.items[0].batch.id;
		expect(batchId).toMatch(/^sha256:[A-Za-z0-9_-]{16}$/);
		out.items.forEach((item, index) => {
			expect(item).toMatchObject({
				source: 'talentats',
				event: 'candidate.exported',
				sourceEvent: 'export',
				subject: { type: 'candidate', id: candidates[index].id },
				batch: { id: batchId, index, size: 3 },
				job: { id: 'vac_301', title: 'Senior Data Engineer' },
				application: { id: candidates[index].application_id, stage: candidates[index].stage },
				payload: candidates[index],
			});
			expect(item.warnings).toBeUndefined();
		});
		expect(out.items[0].candidate).toEqual({
			id: 'cand_8f2a1',
			firstName: 'Amelia',
			lastName: 'Hughes',
			email: 'amelia.hughes@example.com',
			phone: '+44 7700 900123',
		});
	});

	it('an object with candidates, an export id and the vacancy on the envelope', () => {
		const out = runSource(
			talentAtsSource,
			fixtureText('talentats', 'export-object.json'),
			settings(),
		);
		expect(out.items).toHaveLength(3);
		for (const item of out.items) {
			expect(item).toMatchObject({
				batch: { id: 'exp_20250310_01', size: 3 },
				occurredAt: '2025-03-10T09:30:00.000Z',
				job: { id: 'vac_301', title: 'Senior Data Engineer' },
			});
		}
	});

	it('the shape our ATS Webhook action sends ({event, batch_id, exported_at, count, candidates})', () => {
		const out = runSource(
			talentAtsSource,
			fixtureText('talentats', 'export-action-node.json'),
			settings(),
		);
		expect(out.items.map((i) => [i.sourceEvent, i.event, i.batch, i.subject.id])).toEqual([
			[
				'candidate.exported',
				'candidate.exported',
				{ id: 'batch_7d1c', index: 0, size: 2 },
				'cand_8f2a1',
			],
			[
				'candidate.exported',
				'candidate.exported',
				{ id: 'batch_7d1c', index: 1, size: 2 },
				'cand_8f2a2',
			],
		]);
		expect(out.items[0].occurredAt).toBe('2025-03-11T12:00:00.000Z');
		expect(out.items[0].warnings).toBeUndefined();
	});

	it('a {candidate, application} element with only a full name', () => {
		const out = runSource(
			talentAtsSource,
			fixtureText('talentats', 'export-nested-candidate.json'),
			settings(),
		);
		expect(out.items[0]).toMatchObject({
			subject: { id: 'cand_8f2a1' },
			candidate: {
				id: 'cand_8f2a1',
				firstName: 'Amelia',
				lastName: 'Hughes',
				email: 'amelia.hughes@example.com',
			},
			application: { id: 'app_5512', stage: 'Interview' },
			job: { id: 'vac_301' },
			batch: { id: 'batch_nested', index: 0, size: 1 },
		});
	});

	it('"Emit Batch as One Item" gives one item holding the batch', () => {
		const out = runSource(
			talentAtsSource,
			fixtureText('talentats', 'export-object.json'),
			settings({ batchAsOneItem: true }),
		);
		expect(out.items).toHaveLength(1);
		expect(out.items[0]).toMatchObject({
			source: 'talentats',
			batch: { id: 'exp_20250310_01', size: 3 },
			count: 3,
		});
		expect(out.items[0].events.map((e: Candidate) => (e.subject as Candidate).id)).toEqual([
			'cand_8f2a1',
			'cand_8f2a2',
			'cand_8f2a3',
		]);
	});
});

describe('talentATS: 250 candidates in one request', () => {
	it('gives 250 items with index and size, fast', () => {
		const body = bigBatch(250);
		const started = performance.now();
		const out = runSource(talentAtsSource, body, settings());
		const ms = performance.now() - started;
		expect(out.items).toHaveLength(250);
		expect(new Set(out.items.map((i) => i.subject.id)).size).toBe(250);
		expect(out.items.map((i) => i.batch.index)).toEqual(Array.from({ length: 250 }, (_, i) => i));
		expect(
			out.items.every(
				(i) => i.batch.size === 250 && i.batch.id === 'batch_250' && i.warnings === undefined,
			),
		).toBe(true);
		// Measured: well under 100 ms on this machine; the bound only catches a quadratic regression.
		expect(ms).toBeLessThan(1000);
	});
});

describe('talentATS dedup per candidate', () => {
	it('the same candidate twice in one batch is one item', () => {
		const body = JSON.stringify([candidates[0], candidates[1], candidates[0]]);
		const out = runSource(talentAtsSource, body, settings());
		expect(out.items.map((i) => i.subject.id)).toEqual(['cand_8f2a1', 'cand_8f2a2']);
		expect(out.reply.body).toMatchObject({ events: 2, duplicates: 1 });
	});

	it('a re-export of a candidate to the same vacancy in a later batch is a duplicate; another vacancy is not', () => {
		const scope = uniqueScope('talentats');
		const staticData = {};
		runSource(
			talentAtsSource,
			JSON.stringify({ batch_id: 'b1', candidates: [candidates[0], candidates[1]] }),
			settings(),
			{ scope, staticData },
		);
		const second = runSource(
			talentAtsSource,
			JSON.stringify({
				batch_id: 'b2',
				candidates: [candidates[0], { ...candidates[1], vacancy_id: 'vac_999' }, candidates[2]],
			}),
			settings(),
			{ scope, staticData },
		);
		expect(second.items.map((i) => `${i.subject.id}@${i.job.id}`)).toEqual([
			'cand_8f2a2@vac_999',
			'cand_8f2a3@vac_301',
		]);
		expect(second.items.map((i) => i.batch.index)).toEqual([1, 2]);
		expect(second.reply.body).toMatchObject({ events: 2, duplicates: 1 });
		// The whole batch again: nothing new, 200 so talentATS does not report a failure.
		const third = runSource(
			talentAtsSource,
			JSON.stringify({ batch_id: 'b3', candidates: [candidates[0]] }),
			settings(),
			{ scope, staticData },
		);
		expect(third.outcome).toBe('duplicate');
		expect(third.reply.status).toBe(200);
	});

	it('the dedup memory in static data holds hashed keys only, no candidate ids or emails', () => {
		const staticData: Record<string, unknown> = {};
		runSource(talentAtsSource, fixtureText('talentats', 'export-array.json'), settings(), {
			staticData,
		});
		const stored = JSON.stringify(staticData);
		expect(stored.length).toBeGreaterThan(10);
		expect(stored).not.toContain('cand_8f2a');
		expect(stored).not.toContain('example.com');
	});

	it('per-batch mode: a re-export comes through, a resent batch does not', () => {
		const scope = uniqueScope('talentats-batch');
		const staticData = {};
		const s = settings({ dedupBy: 'batch' });
		const b1 = JSON.stringify({ batch_id: 'b1', candidates: [candidates[0], candidates[1]] });
		expect(runSource(talentAtsSource, b1, s, { scope, staticData }).items).toHaveLength(2);
		expect(runSource(talentAtsSource, b1, s, { scope, staticData }).outcome).toBe('duplicate');
		expect(
			runSource(
				talentAtsSource,
				JSON.stringify({ batch_id: 'b2', candidates: [candidates[0], candidates[1]] }),
				s,
				{ scope, staticData },
			).items,
		).toHaveLength(2);
		// Without a batch id the bytes identify the batch.
		const anonymous = JSON.stringify([candidates[2]]);
		expect(runSource(talentAtsSource, anonymous, s, { scope, staticData }).items).toHaveLength(1);
		expect(runSource(talentAtsSource, anonymous, s, { scope, staticData }).outcome).toBe(
			'duplicate',
		);
	});

	it('dedup off: every delivery starts an execution', () => {
		const scope = uniqueScope('talentats-off');
		const s = settings({ dedup: { enabled: false, window: 1000 } });
		const body = JSON.stringify([candidates[0], candidates[0]]);
		expect(runSource(talentAtsSource, body, s, { scope }).items).toHaveLength(2);
		expect(runSource(talentAtsSource, body, s, { scope }).items).toHaveLength(2);
	});
});

describe('talentATS wrong shapes produce warnings, not lost candidates', () => {
	it('a candidate without an id is emitted with a warning and deduplicated by its content', () => {
		const scope = uniqueScope('talentats-noid');
		const anon = { first_name: 'No', last_name: 'Id', email: 'no.id@example.com' };
		const out = runSource(
			talentAtsSource,
			JSON.stringify([anon, { ...anon, email: 'other@example.com' }]),
			settings(),
			{ scope },
		);
		expect(out.items).toHaveLength(2);
		expect(out.items[0].subject.id).toBeNull();
		expect(out.items[0].warnings).toEqual([expect.stringMatching(/^candidate_id_missing/)]);
		expect(runSource(talentAtsSource, JSON.stringify([anon]), settings(), { scope }).outcome).toBe(
			'duplicate',
		);
	});

	it('a count that does not match is flagged on every item', () => {
		const out = runSource(
			talentAtsSource,
			JSON.stringify({ batch_id: 'x', count: 5, candidates: [candidates[0]] }),
			settings(),
		);
		expect(out.items[0].warnings).toEqual([
			expect.stringMatching(/^count_mismatch: the export says 5 candidates, 1 arrived/),
		]);
	});

	it('an object without a candidates array is emitted as one item, flagged', () => {
		const out = runSource(
			talentAtsSource,
			JSON.stringify({ id: 'cand_1', first_name: 'Solo', email: 'solo@example.com' }),
			settings(),
		);
		expect(out.items).toHaveLength(1);
		expect(out.items[0]).toMatchObject({
			event: 'candidate.exported',
			subject: { id: 'cand_1' },
			candidate: { firstName: 'Solo' },
		});
		expect(out.items[0].warnings[0]).toMatch(/^batch_missing: .*taken as one candidate/);
		const odd = runSource(
			talentAtsSource,
			JSON.stringify({ candidates: 'not a list', foo: 1 }),
			settings(),
		);
		expect(odd.items).toHaveLength(1);
		expect(odd.items[0].payload).toEqual({ candidates: 'not a list', foo: 1 });
		expect(odd.items[0].warnings.join('\n')).toMatch(/batch_missing: .*emitted as one item/);
	});

	it('a non-object element is kept and flagged', () => {
		const out = runSource(talentAtsSource, JSON.stringify(['cand_x', candidates[0]]), settings());
		expect(out.items).toHaveLength(2);
		expect(out.items[0].payload).toBe('cand_x');
		expect(out.items[0].warnings).toEqual(
			expect.arrayContaining([expect.stringMatching(/^candidate_not_object/)]),
		);
	});

	it('an empty export starts nothing and says why', () => {
		const out = runSource(
			talentAtsSource,
			JSON.stringify({ batch_id: 'e', candidates: [] }),
			settings(),
		);
		expect(out.outcome).toBe('filtered');
		expect(out.reply).toEqual({ status: 200, body: { status: 'ignored', reason: 'no_events' } });
	});
});

describe('talentATS privacy', () => {
	it('drops names, emails and phones from the item and the payload, keeps ids', () => {
		const out = runSource(
			talentAtsSource,
			fixtureText('talentats', 'export-array.json'),
			settings({ privacy: true }),
		);
		const text = JSON.stringify(out.items);
		for (const c of candidates) {
			expect(text).not.toContain(String(c.email));
			expect(text).not.toContain(String(c.phone));
			expect(text).not.toContain(String(c.last_name));
		}
		expect(out.items[0].candidate).toEqual({ id: 'cand_8f2a1' });
		expect(out.items[0].payload).toMatchObject({
			id: 'cand_8f2a1',
			vacancy_id: 'vac_301',
			application_id: 'app_5512',
		});
	});
});

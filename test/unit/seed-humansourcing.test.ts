import * as privacy from '../../nodes/core/json/privacy';
import {
	humanSourcingElements,
	humanSourcingEventFilter,
	humanSourcingSource,
} from '../../nodes/HumanSourcing/humanSourcingSource';
import {
	baseSettings,
	fixture,
	fixtureText,
	runSource,
	uniqueScope,
} from '../helpers/seedFixtures';

/**
 * Human Sourcing, seed 003 (https://doc-api-core.humansourcing.com/content/webhook.html): a JSON array
 * of {event: creation|update|delete, type: job|candidate, data}. Fixtures: test/fixtures/humansourcing.
 */
type Json = Record<string, any>;
const settings = baseSettings;

describe('Human Sourcing fixtures: the six seed examples', () => {
	it.each([
		['job-creation.json', 'job.created', 'job', '126751', '2019-07-19T14:57:17.000Z'],
		['job-update.json', 'job.updated', 'job', '126751', '2019-08-29T15:16:11.000Z'],
		['job-delete.json', 'job.deleted', 'job', '126751', null],
		[
			'candidate-creation.json',
			'candidate.created',
			'candidate',
			'1234567876',
			'2016-01-20T13:27:00.000Z',
		],
		[
			'candidate-update.json',
			'candidate.updated',
			'candidate',
			'1234567876',
			'2016-01-20T13:27:00.000Z',
		],
		['candidate-delete.json', 'candidate.deleted', 'candidate', '12121', null],
	])('%s -> %s', (file, event, type, id, occurredAt) => {
		const [element] = fixture<Json[]>('humansourcing', file);
		const out = runSource(humanSourcingSource, fixtureText('humansourcing', file), settings());
		expect(out.outcome).toBe('accepted');
		expect(out.reply).toEqual({
			status: 200,
			body: { status: 'accepted', events: 1, duplicates: 0, filtered: 0 },
		});
		expect(out.items).toHaveLength(1);
		const [item] = out.items;
		expect(item).toMatchObject({
			source: 'humansourcing',
			event,
			sourceEvent: `${element.event}/${element.type}`,
			subject: { type, id },
			occurredAt,
		});
		expect(item.warnings).toBeUndefined();
		// A single-element array is not a batch.
		expect(item.batch).toBeUndefined();
		// The vendor payload survives intact, the long candidate one included.
		expect(item.payload).toEqual(element);
	});

	it('job fields land on the canonical job', () => {
		const [item] = runSource(
			humanSourcingSource,
			fixtureText('humansourcing', 'job-creation.json'),
			settings(),
		).items;
		expect(item.job).toEqual({ id: '126751', title: 'Candidature Spontanée', status: null });
		expect(item.candidate).toBeUndefined();
	});

	it('candidate fields land on the canonical candidate; actions, attachments and form answers stay in the payload', () => {
		const [item] = runSource(
			humanSourcingSource,
			fixtureText('humansourcing', 'candidate-creation.json'),
			settings(),
		).items;
		expect(item.candidate).toEqual({
			id: '1234567876',
			firstName: 'Candidate Firstname',
			lastName: 'Candidate Last Name',
			email: 'candidate.firstname@example.com',
			phone: null,
		});
		const data = item.payload.data;
		expect(data.action).toHaveLength(4);
		expect(data.action.map((a: Json) => a.id)).toEqual([
			'14437912',
			'14197986',
			'14197985',
			'4775507',
		]);
		expect(data.action[2].attachment.map((a: Json) => [a.id, a.filename])).toEqual([
			[367479, 'cv-31144169.pdf'],
			[367480, 'Documentsanstitre (1).pdf'],
		]);
		expect(data.action[2].form.input).toHaveLength(8);
		expect(data.action[2].form.input[3]).toEqual({
			id_form_answer: '3088',
			id_question: '1097',
			question: 'E-mail',
			id_form_answer_value: null,
			answer: 'candidate.firstname@example.com',
		});
		expect(data.action[0].poste).toMatchObject({
			id: '186226',
			title: 'Attaché(e) commercial h/f',
		});
	});
});

describe('Human Sourcing arrays', () => {
	it('an array of 3 elements gives 3 items with batch index and size', () => {
		const out = runSource(
			humanSourcingSource,
			fixtureText('humansourcing', 'mixed-3.json'),
			settings(),
		);
		expect(out.items.map((i) => [i.event, i.subject.id, i.batch.index, i.batch.size])).toEqual([
			['job.created', '126751', 0, 3],
			['candidate.updated', '1234567876', 1, 3],
			['candidate.deleted', '12121', 2, 3],
		]);
		expect(new Set(out.items.map((i) => i.batch.id)).size).toBe(1);
	});

	it('"Emit Batch as One Item" gives one item with the three events', () => {
		const out = runSource(
			humanSourcingSource,
			fixtureText('humansourcing', 'mixed-3.json'),
			settings({ batchAsOneItem: true }),
		);
		expect(out.items).toHaveLength(1);
		expect(out.items[0].count).toBe(3);
		expect(out.items[0].events.map((e: Json) => e.event)).toEqual([
			'job.created',
			'candidate.updated',
			'candidate.deleted',
		]);
	});

	it('the single-object form of the doc text is accepted', () => {
		const out = runSource(
			humanSourcingSource,
			fixtureText('humansourcing', 'single-object-job-delete.json'),
			settings(),
		);
		expect(out.items).toHaveLength(1);
		expect(out.items[0]).toMatchObject({
			event: 'job.deleted',
			subject: { type: 'job', id: '126751' },
		});
		expect(out.items[0].warnings).toBeUndefined();
	});

	it('elements wrapped in an object are found and flagged', () => {
		const found = humanSourcingElements({ events: fixture('humansourcing', 'mixed-3.json') });
		expect(found.list).toHaveLength(3);
		expect(found.warnings).toEqual(['envelope_wrapped: the elements were found under "events"']);
	});
});

describe('Human Sourcing: one URL or two (filter by type and event)', () => {
	it('selections become canonical filters', () => {
		expect(
			humanSourcingEventFilter(['job', 'candidate'], ['creation', 'update', 'delete']),
		).toEqual([]);
		expect(humanSourcingEventFilter([], [])).toEqual([]);
		expect(humanSourcingEventFilter(['job'], [])).toEqual([
			'job.created',
			'job.updated',
			'job.deleted',
		]);
		expect(humanSourcingEventFilter(['candidate', 'job'], ['delete'])).toEqual([
			'candidate.deleted',
			'job.deleted',
		]);
	});

	it('a job-only trigger takes the job element of a mixed array and ignores the rest', () => {
		const out = runSource(
			humanSourcingSource,
			fixtureText('humansourcing', 'mixed-3.json'),
			settings({ events: humanSourcingEventFilter(['job'], []) }),
		);
		expect(out.items.map((i) => i.event)).toEqual(['job.created']);
		expect(out.reply.body).toMatchObject({ events: 1, filtered: 2 });
	});

	it('a candidate-only trigger answers 200 to a job delivery and starts nothing', () => {
		const out = runSource(
			humanSourcingSource,
			fixtureText('humansourcing', 'job-update.json'),
			settings({ events: humanSourcingEventFilter(['candidate'], []) }),
		);
		expect(out.outcome).toBe('filtered');
		expect(out.reply.status).toBe(200);
	});

	it('an event filter keeps only the selected events', () => {
		const out = runSource(
			humanSourcingSource,
			fixtureText('humansourcing', 'mixed-3.json'),
			settings({ events: humanSourcingEventFilter([], ['delete']) }),
		);
		expect(out.items.map((i) => i.event)).toEqual(['candidate.deleted']);
	});
});

describe('Human Sourcing dedup', () => {
	it('the same array twice starts one execution; a changed element is new', () => {
		const scope = uniqueScope('hs');
		const staticData = {};
		const body = fixtureText('humansourcing', 'mixed-3.json');
		expect(
			runSource(humanSourcingSource, body, settings(), { scope, staticData }).items,
		).toHaveLength(3);
		const again = runSource(humanSourcingSource, body, settings(), { scope, staticData });
		expect(again.outcome).toBe('duplicate');
		expect(again.reply).toEqual({ status: 200, body: { status: 'duplicate', duplicates: 3 } });
		const changed = fixture<Json[]>('humansourcing', 'mixed-3.json');
		changed[0].data.job_updated_at = '2019-09-01T10:00:00+0200';
		const third = runSource(humanSourcingSource, JSON.stringify(changed), settings(), {
			scope,
			staticData,
		});
		expect(third.items.map((i) => i.event)).toEqual(['job.created']);
		expect(third.reply.body).toMatchObject({ duplicates: 2 });
	});
});

describe("Human Sourcing privacy (the pipeline's Privacy option, core minimise)", () => {
	const privately = (body: string, extra = {}) =>
		runSource(humanSourcingSource, body, settings({ privacy: true, ...extra })).items;

	it('attachment text, emails, phones, names and form answers are gone; ids stay', () => {
		const body = fixture<Json[]>('humansourcing', 'candidate-creation.json');
		body[0].data.tel_mobile = '+33 6 12 34 56 78';
		body[0].data.tel_landline = '01 23 45 67 89';
		const [item] = privately(JSON.stringify(body)) as Json[];
		const text = JSON.stringify(item);
		for (const gone of [
			'#Maxime#',
			'example.com',
			'+33 6 12 34 56 78',
			'01 23 45 67 89',
			'Candidate Firstname',
			'Candidate Last Name',
			'DURANT',
			'Vanessa',
			'Lastname value',
			'Firstname Value',
			'cv-31144169.pdf',
			'Monsieur',
		]) {
			expect(text).not.toContain(gone);
		}
		expect(item.candidate).toEqual({ id: '1234567876' });
		expect(item.subject).toEqual({ type: 'candidate', id: '1234567876' });
		const data = item.payload.data;
		expect(data.id).toBe(1234567876);
		expect(data.id_company).toBe('11111');
		expect(data.action.map((a: Json) => a.id)).toEqual([
			'14437912',
			'14197986',
			'14197985',
			'4775507',
		]);
		expect(data.action.map((a: Json) => a.poste.id)).toEqual([
			'186226',
			'186226',
			'186226',
			'53634',
		]);
		expect(data.action[1].attachment).toEqual([{ id: 367481 }]);
		expect(data.action[2].attachment).toEqual([{ id: 367479 }, { id: 367480 }]);
		expect(data.action[0].consultant).toEqual({ id: '3144' });
		expect(data.action[2].form.id).toBe('2599363');
		expect(data.action[2].form.input.map((i: Json) => i.id_question)).toEqual([
			'4339',
			'4630',
			'4631',
			'1097',
			'1328',
			'1329',
			'1331',
			'1332',
		]);
		expect(data.action[2].form.input[3]).toEqual({
			id_form_answer: '3088',
			id_question: '1097',
			question: 'E-mail',
			id_form_answer_value: null,
		});
		// The delivery object itself is not changed.
		expect(body[0].data.email).toBe('candidate.firstname@example.com');
	});

	it('job data keeps ids and title', () => {
		const [item] = privately(fixtureText('humansourcing', 'job-creation.json')) as Json[];
		expect(item.payload.data).toMatchObject({
			job_id: 126751,
			job_title: 'Candidature Spontanée',
			job_reference: 'REF',
			job_category_id: 999999999,
		});
	});

	it('works on a batch emitted as one item', () => {
		const [item] = privately(fixtureText('humansourcing', 'mixed-3.json'), {
			batchAsOneItem: true,
		}) as Json[];
		expect(item.count).toBe(3);
		expect(JSON.stringify(item)).not.toContain('example.com');
		expect(item.events[1].candidate).toEqual({ id: '1234567876' });
	});

	it('free-text emails and phones are dropped wherever they are; a numeric id under an id key is not', () => {
		const data = {
			id: '0612345678',
			note_ref: 'x',
			misc: 'call +33 6 12 34 56 78',
			other: '+33 6 12 34 56 78',
			list: ['a@b.fr', 'ok'],
		};
		const [item] = privately(
			JSON.stringify([{ event: 'update', type: 'candidate', data }]),
		) as Json[];
		expect(item.payload.data).toEqual({
			id: '0612345678',
			note_ref: 'x',
			misc: 'call +33 6 12 34 56 78',
			list: ['ok'],
		});
		expect(item.subject).toEqual({ type: 'candidate', id: '0612345678' });
	});

	it('a personal object or list keeps only its ids, and disappears when it has none', () => {
		const data = {
			id: 5,
			attachment: { text: 'x', filename: 'y' },
			attachments: [{ id: 1, text: 'x' }, 'loose text'],
		};
		const [item] = privately(
			JSON.stringify([{ event: 'update', type: 'candidate', data }]),
		) as Json[];
		expect(item.payload.data).toEqual({ id: 5, attachments: [{ id: 1 }] });
	});

	it('fails closed: an item it cannot minimise loses its payload, never keeps it', () => {
		const spy = jest.spyOn(privacy, 'minimise').mockImplementation(() => {
			throw new Error('boom');
		});
		try {
			const [out] = privately(fixtureText('humansourcing', 'candidate-creation.json')) as Json[];
			expect(out.payload).toBeNull();
			expect(out.candidate).toEqual({ id: '1234567876' });
			expect(out.warnings).toEqual([expect.stringMatching(/^privacy_fallback: .*removed/)]);
			expect(JSON.stringify(out)).not.toContain('example.com');
		} finally {
			spy.mockRestore();
		}
	});
});

describe('Human Sourcing wrong shapes: warnings, never a lost event', () => {
	it('an unknown event of a known type is kept as that type', () => {
		const out = runSource(
			humanSourcingSource,
			JSON.stringify([
				{ event: 'archive', type: 'job', data: { job_id: 5 } },
				{ event: 'merge', type: 'candidate', data: { id: 6 } },
				{ event: 'pause', type: 'job', data: { job_id: 7 } },
			]),
			settings(),
		);
		expect(out.items.map((i) => [i.event, i.subject.id])).toEqual([
			['job.archived', '5'],
			['candidate.merged', '6'],
			['job.updated', '7'],
		]);
		expect(out.items[2].warnings).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^event_unrecognised: "pause" .*taken as job.updated/),
			]),
		);
	});

	it('an unknown type is emitted with a warning when no type filter is set', () => {
		const out = runSource(
			humanSourcingSource,
			JSON.stringify([{ event: 'creation', type: 'application', data: { id: 1 } }]),
			settings(),
		);
		expect(out.items[0]).toMatchObject({
			event: 'application.created',
			subject: { type: 'unknown' },
		});
		expect(out.items[0].warnings).toEqual([
			'type_unrecognised: "application" is not job|candidate',
		]);
	});

	it('elements without data, or that are not objects, are kept and flagged', () => {
		const out = runSource(
			humanSourcingSource,
			JSON.stringify([{ event: 'update', type: 'job' }, 42]),
			settings(),
		);
		expect(out.items).toHaveLength(2);
		expect(out.items[0].warnings).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^data_missing/),
				'job_fields_missing: job_id, job_reference, job_title',
			]),
		);
		expect(out.items[1]).toMatchObject({ event: 'unknown', payload: 42 });
		expect(out.items[1].warnings).toEqual(
			expect.arrayContaining([expect.stringMatching(/^element_not_object/)]),
		);
	});

	it('an object that is no envelope at all is emitted as one flagged item', () => {
		const out = runSource(humanSourcingSource, JSON.stringify({ hello: 'world' }), settings());
		expect(out.items).toHaveLength(1);
		expect(out.items[0].warnings).toEqual(
			expect.arrayContaining([expect.stringMatching(/^envelope_unrecognised/)]),
		);
	});

	it('malformed JSON gets 400 and nothing starts', () => {
		const out = runSource(humanSourcingSource, '[{"event": "creation",', settings());
		expect(out.reply).toMatchObject({ status: 400, body: { reason: 'malformed_json' } });
		expect(out.items).toEqual([]);
	});
});

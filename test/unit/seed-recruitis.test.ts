import {
	findRecruitisEventName,
	isTestName,
	mapRecruitisEvent,
} from '../../nodes/Recruitis/recruitisEvents';
import * as privacy from '../../nodes/core/json/privacy';
import {
	readChannel,
	readPositionId,
	recruitisSource,
	type RecruitisSettings,
} from '../../nodes/Recruitis/recruitisSource';
import { baseSettings, fixture, fixtureText, runSource } from '../helpers/seedFixtures';

/**
 * Recruitis (seed 000; docs/nodes/recruitisTrigger.md): seven position events, a "Test" call, JSON not public.
 * The fixtures are our assumed shapes (test/fixtures/recruitis/PROVENANCE.md).
 */
const settings = (overrides: Partial<RecruitisSettings> = {}): RecruitisSettings => ({
	...baseSettings(),
	fallbackEvent: '',
	...overrides,
});

describe('Recruitis event names', () => {
	it.each([
		[1, 'job.created'],
		['2', 'job.updated'],
		[3, 'job.opened'],
		[4, 'job.closed'],
		[5, 'job.archived'],
		[6, 'job.published'],
		[7, 'job.unpublished'],
	])('maps the help page type number %p to %s', (value, expected) => {
		expect(mapRecruitisEvent(value)).toBe(expected);
	});

	it.each([
		['job.created', 'job.created'],
		['new_position', 'job.created'],
		['position_added', 'job.created'],
		['JobCreated', 'job.created'],
		['position_edited', 'job.updated'],
		['job_update', 'job.updated'],
		['POSITION_OPENED', 'job.opened'],
		['job_open', 'job.opened'],
		['positionClosed', 'job.closed'],
		['job.close', 'job.closed'],
		['position_archived', 'job.archived'],
		['job_published', 'job.published'],
		['position_publication', 'job.published'],
		['job_channel_added', 'job.published'],
		['job_channel_removed', 'job.unpublished'],
		['position_withdrawn', 'job.unpublished'],
		['withdrawal_from_publication_channel', 'job.unpublished'],
		['job_unpublished', 'job.unpublished'],
	])('recognises %s as %s', (name, expected) => {
		expect(mapRecruitisEvent(name)).toBe(expected);
	});

	it.each(['', 'candidate_hired', 'full-time', 8, 0, null, {}])(
		'does not guess a position event from %p',
		(value) => {
			expect(mapRecruitisEvent(value)).toBeUndefined();
		},
	);

	it('prefers an event name that maps over a job "type" that does not', () => {
		expect(findRecruitisEventName({ type: 'full-time', action: 'position_opened' })).toMatchObject({
			path: 'action',
			event: 'job.opened',
		});
		expect(findRecruitisEventName({ type: 'full-time' })).toEqual({
			path: 'type',
			name: 'full-time',
		});
	});

	it('knows test names without taking real events for tests', () => {
		expect(isTestName('test')).toBe(true);
		expect(isTestName('webhook_test')).toBe(true);
		expect(isTestName('PING')).toBe(true);
		expect(isTestName('position_added')).toBe(false);
		expect(isTestName('test_position_opened')).toBe(false);
	});
});

describe('Recruitis fixtures: one canonical job event each', () => {
	it.each([
		['1-position-added.json', 'job.created', 'job.created', 'Backend Developer (PHP)', undefined],
		[
			'2-position-edited.json',
			'job.updated',
			'position_edited',
			'Senior Backend Developer (PHP)',
			undefined,
		],
		['3-position-opened.json', 'job.opened', '3', 'Senior Backend Developer (PHP)', undefined],
		['4-position-closed.json', 'job.closed', 'closed', 'Senior Backend Developer (PHP)', undefined],
		[
			'5-position-archived.json',
			'job.archived',
			'position_archived',
			'Senior Backend Developer (PHP)',
			undefined,
		],
		[
			'6-position-published.json',
			'job.published',
			'job_published',
			'Senior Backend Developer (PHP)',
			{ id: '7', name: 'Jobs.cz' },
		],
		[
			'7-position-withdrawn.json',
			'job.unpublished',
			'job_channel_removed',
			null,
			{ id: '7', name: 'Jobs.cz' },
		],
	])('%s -> %s', (file, event, sourceEvent, title, channel) => {
		const out = runSource(recruitisSource, fixtureText('recruitis', file), settings());
		expect(out.outcome).toBe('accepted');
		expect(out.reply.status).toBe(200);
		expect(out.items).toHaveLength(1);
		const [item] = out.items;
		expect(item).toMatchObject({
			source: 'recruitis',
			event,
			sourceEvent,
			subject: { type: 'job', id: '48213' },
			job: { id: '48213', title },
		});
		expect(item.warnings).toBeUndefined();
		expect(item.payload).toEqual(fixture('recruitis', file));
		if (channel) expect(item.channel).toEqual(channel);
		else expect(item.channel).toBeUndefined();
	});

	it('reads occurredAt from ISO text and Unix seconds', () => {
		expect(
			runSource(recruitisSource, fixtureText('recruitis', '1-position-added.json'), settings())
				.items[0].occurredAt,
		).toBe('2025-02-03T08:00:00.000Z');
		expect(
			runSource(recruitisSource, fixtureText('recruitis', '3-position-opened.json'), settings())
				.items[0].occurredAt,
		).toBe('2025-02-04T09:20:00.000Z');
	});
});

describe('Recruitis tolerant reading', () => {
	it.each([
		[{ job_id: 1 }, '1'],
		[{ position_id: 'p-2' }, 'p-2'],
		[{ id: 3 }, '3'],
		[{ job: { id: 4 } }, '4'],
		[{ position: { position_id: 5 } }, '5'],
		[{ data: { job_id: 6 } }, '6'],
		[{ data: { position: { id: 7 } } }, '7'],
		[{ payload: { job: { job_id: 8 } } }, '8'],
	])('finds the position id in %j', (body, id) => {
		expect(readPositionId(body)).toBe(id);
	});

	it.each([
		[{ channel: { id: 3, name: 'LinkedIn' } }, { id: '3', name: 'LinkedIn' }],
		[
			{ channel_id: 3, channel_name: 'LinkedIn' },
			{ id: '3', name: 'LinkedIn' },
		],
		[{ channel: 'LinkedIn' }, { id: null, name: 'LinkedIn' }],
		[{ channel: 12 }, { id: '12', name: null }],
		[
			{ data: { publication_channel: { code: 'jobs_cz', title: 'Jobs.cz' } } },
			{ id: 'jobs_cz', name: 'Jobs.cz' },
		],
		[{ job_id: 1 }, undefined],
	])('reads the channel of %j', (body, channel) => {
		expect(readChannel(body)).toEqual(channel);
	});

	it('an unrecognised event name is kept with a warning, never dropped', () => {
		const out = runSource(
			recruitisSource,
			JSON.stringify({ event: 'position_moved_to_folder', job_id: 9 }),
			settings(),
		);
		expect(out.outcome).toBe('accepted');
		expect(out.items[0]).toMatchObject({
			event: 'unknown',
			sourceEvent: 'position_moved_to_folder',
			subject: { type: 'job', id: '9' },
		});
		expect(out.items[0].warnings.join('\n')).toMatch(
			/event_unrecognised: "position_moved_to_folder" at "event"/,
		);
	});

	it('an unnamed event takes its name from ?event= in the URL (one URL per Recruitis type)', () => {
		const out = runSource(
			recruitisSource,
			JSON.stringify({ job_id: 9, title: 'Tester' }),
			settings(),
			{ query: { event: 'opened' } },
		);
		expect(out.items[0]).toMatchObject({
			event: 'job.opened',
			sourceEvent: 'opened',
			subject: { id: '9' },
		});
		expect(out.items[0].warnings).toBeUndefined();
	});

	it('an unnamed event uses the node fallback, and says so', () => {
		const out = runSource(
			recruitisSource,
			JSON.stringify({ job_id: 9 }),
			settings({ fallbackEvent: 'job.closed' }),
		);
		expect(out.items[0].event).toBe('job.closed');
		expect(out.items[0].warnings).toEqual([
			expect.stringMatching(/^event_assumed: .*"job.closed"/),
		]);
	});

	it('an unnamed event without URL hint or fallback is emitted as unknown with a warning', () => {
		const out = runSource(recruitisSource, JSON.stringify({ job_id: 9 }), settings());
		expect(out.outcome).toBe('accepted');
		expect(out.items[0]).toMatchObject({
			event: 'unknown',
			sourceEvent: '',
			subject: { type: 'job', id: '9' },
		});
		expect(out.items[0].warnings).toEqual([
			expect.stringMatching(/^event_name_missing: .*\?event=/),
		]);
	});

	it('a position without an id and a channel event without a channel are flagged', () => {
		const out = runSource(
			recruitisSource,
			JSON.stringify({ event: 'job_published', title: 'X' }),
			settings(),
		);
		expect(out.items[0].event).toBe('job.published');
		expect(out.items[0].warnings).toEqual([
			expect.stringMatching(/^position_id_missing/),
			expect.stringMatching(/^channel_missing/),
		]);
	});

	it('a generic status-change name is resolved by the new status', () => {
		const out = runSource(
			recruitisSource,
			JSON.stringify({ event: 'job_status_changed', job: { id: 5, status: 'Archived' } }),
			settings(),
		);
		expect(out.items[0].event).toBe('job.archived');
	});
});

describe('Recruitis "Test" call', () => {
	it.each([
		['GET without body', 'GET', undefined],
		['POST with an empty body', 'POST', ''],
		['POST with blanks', 'POST', ' \n'],
	])('%s is answered 200 before anything else, no execution', (_label, method, body) => {
		const out = runSource(
			recruitisSource,
			body,
			settings({ auth: { scheme: 'headerToken', headerName: 'x-token', tokens: ['s3cret'] } }),
			{ method },
		);
		expect(out.outcome).toBe('handshake');
		expect(out.reply).toEqual({ status: 200, body: { status: 'ok', reason: 'test' } });
		expect(out.items).toEqual([]);
	});

	it.each(['test-empty-object.json', 'test-event.json'])(
		'%s is answered 200 without an execution, even when the trigger wants a token',
		(file) => {
			const out = runSource(
				recruitisSource,
				fixtureText('recruitis', file),
				settings({ auth: { scheme: 'headerToken', headerName: 'x-token', tokens: ['s3cret'] } }),
			);
			expect(out.outcome).toBe('ping');
			expect(out.reply.status).toBe(200);
			expect(out.items).toEqual([]);
		},
	);

	it('with "Emit Test Events" a test call becomes one "test" item, and pressing Test twice shows twice', () => {
		const s = settings({ emitTestEvents: true });
		const scope = 'recruitis-test-twice';
		const first = runSource(recruitisSource, '{}', s, { scope, now: 1_000 });
		const second = runSource(recruitisSource, '{}', s, { scope, now: 2_000 });
		expect(first.items).toHaveLength(1);
		expect(first.items[0]).toMatchObject({ event: 'test', subject: { type: 'test', id: null } });
		expect(first.items[0].warnings).toBeUndefined();
		expect(second.items).toHaveLength(1);
	});

	it.each([
		['GET without body', 'GET', undefined],
		['POST with an empty body', 'POST', ''],
	])(
		'with "Emit Test Events" a bodiless %s is read as {} (the source\'s emptyBody): one "test" item, whatever events are selected',
		(_label, method, body) => {
			const out = runSource(
				recruitisSource,
				body,
				settings({ emitTestEvents: true, events: ['job.opened'] }),
				{ method },
			);
			expect(out.outcome).toBe('accepted');
			expect(out.items).toHaveLength(1);
			expect(out.items[0]).toMatchObject({
				event: 'test',
				subject: { type: 'test', id: null },
				payload: {},
			});
		},
	);

	it('with "Emit Test Events" a test-named event passes the event filter', () => {
		const out = runSource(
			recruitisSource,
			fixtureText('recruitis', 'test-event.json'),
			settings({ emitTestEvents: true, events: ['job.opened'] }),
		);
		expect(out.outcome).toBe('accepted');
		expect(out.items.map((i) => i.event)).toEqual(['test']);
	});

	it('with "Emit Test Events" a test call must still authenticate', () => {
		const out = runSource(
			recruitisSource,
			'{}',
			settings({
				emitTestEvents: true,
				auth: { scheme: 'headerToken', headerName: 'x-token', tokens: ['s3cret'] },
			}),
		);
		expect(out.outcome).toBe('unauthorized');
		expect(out.reply.status).toBe(401);
	});

	it('a real position event is not a test call', () => {
		const out = runSource(
			recruitisSource,
			fixtureText('recruitis', '1-position-added.json'),
			settings({ auth: { scheme: 'headerToken', headerName: 'x-token', tokens: ['s3cret'] } }),
		);
		expect(out.outcome).toBe('unauthorized');
	});
});

describe('Recruitis filter and dedup', () => {
	it('events not selected get 200 and no execution', () => {
		const out = runSource(
			recruitisSource,
			fixtureText('recruitis', '4-position-closed.json'),
			settings({ events: ['job.opened', 'job.published'] }),
		);
		expect(out.outcome).toBe('filtered');
		expect(out.reply).toMatchObject({
			status: 200,
			body: { status: 'ignored', reason: 'event_not_selected' },
		});
	});

	it('the same delivery twice starts one execution (the body hash is the key: Recruitis sends no id)', () => {
		const scope = 'recruitis-dedup';
		const staticData = {};
		const body = fixtureText('recruitis', '2-position-edited.json');
		expect(runSource(recruitisSource, body, settings(), { scope, staticData }).outcome).toBe(
			'accepted',
		);
		const again = runSource(recruitisSource, body, settings(), { scope, staticData });
		expect(again.outcome).toBe('duplicate');
		expect(again.reply.status).toBe(200);
		// A later edit of the same position is new.
		const later = JSON.stringify({
			...fixture<Record<string, unknown>>('recruitis', '2-position-edited.json'),
			updated_at: '2025-02-05T10:20:00+01:00',
		});
		expect(runSource(recruitisSource, later, settings(), { scope, staticData }).outcome).toBe(
			'accepted',
		);
	});

	it('malformed JSON gets 400 with a reason, not a crash', () => {
		const out = runSource(recruitisSource, '{"event": "job_published", ', settings());
		expect(out.reply).toMatchObject({ status: 400, body: { reason: 'malformed_json' } });
	});
});

describe("Recruitis privacy (the pipeline's Privacy option; the channel is normalise()'s extra)", () => {
	it('the channel keeps its name; the payload is minimised by the core rules', () => {
		const body = JSON.stringify({
			event: 'job_published',
			job_id: 1,
			title: 'Nurse',
			channel: { id: 7, name: 'Jobs.cz' },
			recruiter: { name: 'Eva Nováková', email: 'eva@example.com' },
			contact_phone: '+420 601 123 456',
		});
		const [item] = runSource(recruitisSource, body, settings({ privacy: true })).items;
		expect(item.channel).toEqual({ id: '7', name: 'Jobs.cz' });
		expect(JSON.stringify(item)).not.toMatch(/Nováková|eva@example\.com|601 123 456/);
		expect(item.payload).toMatchObject({
			event: 'job_published',
			job_id: 1,
			title: 'Nurse',
			channel: { id: 7 },
		});
	});

	it('fails closed: a payload that cannot be minimised is removed, the channel stays', () => {
		const spy = jest.spyOn(privacy, 'minimise').mockImplementation(() => {
			throw new Error('x');
		});
		try {
			const [out] = runSource(
				recruitisSource,
				fixtureText('recruitis', '6-position-published.json'),
				settings({ privacy: true }),
			).items;
			expect(out.payload).toBeNull();
			expect(out.channel).toEqual({ id: '7', name: 'Jobs.cz' });
			expect(out.warnings).toEqual([expect.stringMatching(/^privacy_fallback: .*removed/)]);
		} finally {
			spy.mockRestore();
		}
	});
});

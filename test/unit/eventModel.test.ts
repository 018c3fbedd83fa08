import { mapEventName } from '../../nodes/core/event/mapEventName';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { CANONICAL_EVENTS, subjectTypeOf } from '../../nodes/core/event/taxonomy';
import { minimise } from '../../nodes/core/json/privacy';
import { getPath } from '../../nodes/core/json/path';

describe('mapEventName', () => {
	it.each([
		['candidate.created', 'candidate.created'],
		['candidate_created', 'candidate.created'],
		['candidateCreated', 'candidate.created'],
		['Candidate.Created', 'candidate.created'],
		['applicant-added', 'candidate.created'],
		['candidate_stage_change', 'application.stage_changed'],
		['application.stage.changed', 'application.stage_changed'],
		['job-published', 'job.published'],
		['position_withdrawn', 'job.unpublished'],
		['offer_approved', 'offer.approved'],
		['interview.scheduled', 'interview.scheduled'],
		['ping', 'test'],
		['something_else', 'unknown'],
		['', 'unknown'],
		['candidate', 'unknown'],
	])('%s -> %s', (input, expected) => {
		expect(mapEventName(input)).toBe(expected);
	});

	it('every canonical name maps to itself and has a subject type', () => {
		for (const name of CANONICAL_EVENTS) {
			expect(mapEventName(name)).toBe(name);
			expect(subjectTypeOf(name)).not.toBe('unknown');
		}
	});
});

describe('canonical event schema', () => {
	const valid = {
		id: 'e1',
		source: 'generic',
		event: 'candidate.created',
		sourceEvent: 'candidate_created',
		occurredAt: null,
		receivedAt: '2026-11-22T00:00:00.000Z',
		subject: { type: 'candidate', id: 42 },
		delivery: { id: null, verified: false, scheme: 'none' },
		payload: {},
	};

	it('accepts a valid event and turns numeric ids into text', () => {
		const parsed = canonicalEventSchema.parse(valid);
		expect(parsed.subject.id).toBe('42');
	});

	it('rejects an event name outside the taxonomy and an unknown scheme', () => {
		expect(canonicalEventSchema.safeParse({ ...valid, event: 'candidate.exploded' }).success).toBe(
			false,
		);
		expect(
			canonicalEventSchema.safeParse({ ...valid, delivery: { ...valid.delivery, scheme: 'md5' } })
				.success,
		).toBe(false);
	});
});

describe('privacy minimise', () => {
	it('removes personal keys at any depth and keeps ids and structure', () => {
		const input = {
			id: 1,
			candidate_id: 'c1',
			first_name: 'A',
			lastName: 'B',
			email: 'a@example.com',
			tel_mobile: '+33 6 12 34 56 78',
			action: [
				{
					id: '9',
					attachment: [{ id: 3, text: 'CV text', filename: 'cv.pdf' }],
					consultant: { id: '3144', first_name: 'V' },
				},
			],
			form: { input: [{ id_question: '1', question: 'E-mail', answer: 'a@example.com' }] },
			job_title: 'Engineer',
		};
		const out = minimise(input) as Record<string, unknown>;
		expect(out).toEqual({
			id: 1,
			candidate_id: 'c1',
			action: [{ id: '9', attachment: [{ id: 3 }], consultant: { id: '3144' } }],
			form: { input: [{ id_question: '1', question: 'E-mail' }] },
			job_title: 'Engineer',
		});
		expect(input.first_name).toBe('A'); // input untouched
	});

	it('keeps long numeric-string ids that look like phone numbers', () => {
		expect(minimise({ id: '14437912', candidate_id: '0612345678', other: '0612345678' })).toEqual({
			id: '14437912',
			candidate_id: '0612345678',
		});
	});

	it('drops email and phone values under unexpected keys', () => {
		expect(
			minimise({ contact: 'x@y.io', other: '+1 (555) 010-9999', date: '2026-11-01', count: '12' }),
		).toEqual({ date: '2026-11-01', count: '12' });
		expect(minimise(['x@y.io', 'ok'])).toEqual(['ok']);
	});
});

describe('getPath', () => {
	it('reads dotted and indexed paths, undefined when missing', () => {
		const value = { a: { b: [{ c: 1 }] } };
		expect(getPath(value, 'a.b[0].c')).toBe(1);
		expect(getPath(value, 'a.b.0.c')).toBe(1);
		expect(getPath(value, 'a.x.c')).toBeUndefined();
		expect(getPath('text', 'a')).toBeUndefined();
	});
});

import { runAndStore } from '../helpers/pipeline';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';
import {
	isRecruiteeTest,
	normaliseRecruitee,
	recruiteeSource,
} from '../../nodes/Recruitee/recruiteeSource';
import { signRecruitee, verifyRecruiteeSignature } from '../../nodes/Recruitee/recruiteeSignature';
import { baseSettings } from '../helpers/seedFixtures';

/**
 * Recruitee webhooks (docs.recruitee.com/docs/webhooks). The shared signature cases run in
 * test/contract/schemes.test.ts; here: Recruitee's test request, "only 200 counts", the mapping.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'recruitee');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
const SECRET = 'recruitee webhook secret';

describe('Recruitee signature', () => {
	it('is lowercase hex of HMAC-SHA256 over the raw body; uppercase and a sha256= label are tolerated', () => {
		const raw = fixture('candidate_created');
		const sig = signRecruitee(SECRET, raw);
		expect(sig).toMatch(/^[0-9a-f]{64}$/);
		expect(
			verifyRecruiteeSignature({ 'x-recruitee-signature': sig.toUpperCase() }, Buffer.from(raw), [
				SECRET,
			]),
		).toEqual({ ok: true });
		expect(
			verifyRecruiteeSignature({ 'x-recruitee-signature': `sha256=${sig}` }, Buffer.from(raw), [
				SECRET,
			]),
		).toEqual({ ok: true });
		expect(
			verifyRecruiteeSignature({ 'x-recruitee-signature': sig.slice(0, 60) }, Buffer.from(raw), [
				SECRET,
			]),
		).toMatchObject({ ok: false, reason: 'bad_signature_format' });
	});
});

describe('Recruitee mapping of every fixture', () => {
	const candidate = {
		id: '3310021',
		firstName: 'Jan',
		lastName: 'de Vries',
		email: 'jan.devries@example.com',
		phone: '+31 6 1234 5678',
	};
	const job = { id: '880412', title: 'Customer Success Manager', status: 'published' };
	const expected: Record<
		string,
		{ event: string; subject: [string, string | null]; extra?: Record<string, unknown> }
	> = {
		candidate_created: {
			event: 'candidate.created',
			subject: ['candidate', '3310021'],
			extra: { candidate },
		},
		candidate_assigned: {
			event: 'application.created',
			subject: ['application', null],
			extra: { candidate, job },
		},
		'candidate_moved.stage_changed': {
			event: 'application.stage_changed',
			subject: ['application', null],
			extra: {
				candidate,
				job,
				application: { id: null, stage: 'Phone screen', previousStage: 'Applied' },
			},
		},
		'candidate_moved.disqualified': {
			event: 'application.rejected',
			subject: ['application', null],
			extra: { job },
		},
		'candidate_moved.requalified': { event: 'application.updated', subject: ['application', null] },
		candidate_deleted: { event: 'candidate.deleted', subject: ['candidate', '3310021'] },
		test: { event: 'test', subject: ['test', null] },
		'test_payload.candidate_moved': { event: 'test', subject: ['test', null] },
	};

	it('covers every fixture', () => {
		const files = readdirSync(FIXTURES)
			.filter((f) => f.endsWith('.json'))
			.map((f) => f.replace(/\.json$/, ''));
		expect(Object.keys(expected).sort()).toEqual(files.sort());
	});

	for (const [name, want] of Object.entries(expected)) {
		it(`${name} → ${want.event}`, () => {
			const { events } = recruiteeSource.split(
				JSON.parse(fixture(name)),
				undefined as never,
				undefined as never,
			);
			const result = normaliseRecruitee(events[0]);
			expect(result).toMatchObject({
				event: want.event,
				subject: { type: want.subject[0], id: want.subject[1] },
				...(want.extra ?? {}),
			});
			expect(result.warnings).toBeUndefined();
		});
	}

	it('the verification request and the "Test payload" buttons are tests; a real event is not', () => {
		expect(isRecruiteeTest(JSON.parse(fixture('test')))).toBe(true);
		expect(isRecruiteeTest(JSON.parse(fixture('test_payload.candidate_moved')))).toBe(true);
		expect(isRecruiteeTest(JSON.parse(fixture('candidate_created')))).toBe(false);
		expect(isRecruiteeTest({ test: false, event_type: 'candidate_created' })).toBe(false);
	});

	it('an unknown subtype stays a stage change with a warning; an unknown event goes through the generic mapper with a warning', () => {
		const odd = normaliseRecruitee({
			sourceEvent: 'candidate_moved',
			body: {
				event_type: 'candidate_moved',
				event_subtype: 'archived',
				payload: { candidate: { id: 1 } },
			},
		});
		expect(odd.event).toBe('application.stage_changed');
		expect(odd.warnings?.join()).toMatch(/unknown_subtype/);
		const job = normaliseRecruitee({
			sourceEvent: 'offer_published',
			body: { event_type: 'offer_published', payload: { offer: { id: 5 } } },
		});
		expect(job.warnings?.[0]).toMatch(/not a documented Recruitee event/);
	});

	it('dedup: a top-level id is used when Recruitee sends one (UNCONFIRMED); otherwise none (the pipeline hashes the raw body)', () => {
		expect(
			recruiteeSource.split(
				JSON.parse(fixture('candidate_created')),
				undefined as never,
				undefined as never,
			).events[0].eventId,
		).toBeUndefined();
		const withId = { ...JSON.parse(fixture('candidate_created')), id: 991 };
		expect(
			recruiteeSource.split(withId, undefined as never, undefined as never).events[0].eventId,
		).toBe('candidate_created::991');
	});
});

describe('Recruitee source through the pipeline', () => {
	const settings = (overrides: Partial<SourceSettings> = {}): SourceSettings =>
		baseSettings({
			auth: { scheme: 'vendor', secrets: [SECRET], toleranceSeconds: 0 },
			...overrides,
		});
	let n = 0;
	const request = (raw: string, headers: Record<string, string> = {}): InboundRequest => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', 'user-agent': 'Recruitee-Webhooks', ...headers },
		rawBody: Buffer.from(raw),
		query: {},
		now: Date.parse('2026-11-22T10:00:00Z'),
	});
	const state = () => ({ scope: `rt-${n++}`, staticData: {} });
	beforeEach(() => processDedupStore.clear());

	it('answers {"test":true} with 200 before the signature check, and the Test payload buttons too; nothing is emitted', () => {
		for (const name of ['test', 'test_payload.candidate_moved']) {
			expect(
				runAndStore(recruiteeSource, request(fixture(name)), settings(), state()),
			).toMatchObject({ outcome: 'ping', events: [], reply: { status: 200 } });
		}
	});

	it('accepts a signed stage change with exactly 200; the same bytes again (a Recruitee retry) are a duplicate, also 200', () => {
		const raw = fixture('candidate_moved.stage_changed');
		const st = state();
		const first = runAndStore(
			recruiteeSource,
			request(raw, { 'x-recruitee-signature': signRecruitee(SECRET, raw) }),
			settings({ responseCode: 0 }),
			st,
		);
		expect(first).toMatchObject({ outcome: 'accepted', reply: { status: 200 } });
		expect(canonicalEventSchema.safeParse(first.events[0]).success).toBe(true);
		expect(first.events[0]).toMatchObject({
			source: 'recruitee',
			event: 'application.stage_changed',
			sourceEvent: 'candidate_moved',
			delivery: { verified: true },
		});
		expect(
			runAndStore(
				recruiteeSource,
				request(raw, { 'x-recruitee-signature': signRecruitee(SECRET, raw) }),
				settings(),
				st,
			),
		).toMatchObject({ outcome: 'duplicate', reply: { status: 200 } });
	});

	it('401 for an unsigned or wrongly signed event; a deselected event is 200 and emits nothing', () => {
		const raw = fixture('candidate_created');
		expect(runAndStore(recruiteeSource, request(raw), settings(), state()).reply).toMatchObject({
			status: 401,
			body: { reason: 'missing_signature' },
		});
		expect(
			runAndStore(
				recruiteeSource,
				request(raw, { 'x-recruitee-signature': signRecruitee('other', raw) }),
				settings(),
				state(),
			).reply.status,
		).toBe(401);
		const filtered = runAndStore(
			recruiteeSource,
			request(raw, { 'x-recruitee-signature': signRecruitee(SECRET, raw) }),
			settings({ events: ['candidate_moved'] }),
			state(),
		);
		expect(filtered).toMatchObject({ outcome: 'filtered', reply: { status: 200 } });
	});

	it('filters on the canonical name: application.rejected picks the disqualification only', () => {
		const rejected = fixture('candidate_moved.disqualified');
		const moved = fixture('candidate_moved.stage_changed');
		const only = settings({ events: ['application.rejected'] });
		expect(
			runAndStore(
				recruiteeSource,
				request(rejected, { 'x-recruitee-signature': signRecruitee(SECRET, rejected) }),
				only,
				state(),
			).outcome,
		).toBe('accepted');
		expect(
			runAndStore(
				recruiteeSource,
				request(moved, { 'x-recruitee-signature': signRecruitee(SECRET, moved) }),
				only,
				state(),
			).outcome,
		).toBe('filtered');
	});
});

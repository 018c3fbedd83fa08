import { runAndStore } from '../helpers/pipeline';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';
import {
	mergeAtsSource,
	normaliseMergeAts,
	parseMergeEvent,
	signMergeAts,
	verifyMergeAtsSignature,
} from '../../nodes/MergeAts/mergeAtsSource';
import { baseSettings } from '../helpers/seedFixtures';

/**
 * Merge ATS webhooks (docs.merge.dev webhooks; help.merge.dev/en/articles/5389453). The shared
 * signature cases run in test/contract/schemes.test.ts; here: padding, the event names, the mapping.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'mergeats');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
const KEY = 'merge webhook signature key';

describe('Merge signature', () => {
	it('is base64url without padding; the padded form and standard base64 of the same HMAC verify too', () => {
		const raw = fixture('Candidate.changed');
		const sig = signMergeAts(KEY, raw);
		expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
		for (const form of [sig, `${sig}=`, sig.replace(/-/g, '+').replace(/_/g, '/')]) {
			expect(
				verifyMergeAtsSignature({ 'x-merge-webhook-signature': form }, Buffer.from(raw), [KEY]),
			).toEqual({ ok: true });
		}
		// A hex digest of the same HMAC is not Merge's format.
		expect(
			verifyMergeAtsSignature(
				{ 'x-merge-webhook-signature': Buffer.from(sig, 'base64url').toString('hex') },
				Buffer.from(raw),
				[KEY],
			),
		).toMatchObject({
			ok: false,
			reason: 'bad_signature_format',
		});
	});
});

describe('Merge mapping of every fixture', () => {
	const workday = {
		integration: 'Workday',
		integrationSlug: 'workday',
		linkedAccountId: '2d9f1c3a-5b7e-4a61-9c0d-8e7f6a5b4c3d',
	};
	const expected: Record<
		string,
		{ event: string; subject: [string, string | null]; extra?: Record<string, unknown> }
	> = {
		'Candidate.added': {
			event: 'candidate.created',
			subject: ['candidate', '5c1e7d2a-9b3f-4e60-8a1d-2f3e4d5c6b7a'],
		},
		'Candidate.changed': {
			event: 'candidate.updated',
			subject: ['candidate', '5c1e7d2a-9b3f-4e60-8a1d-2f3e4d5c6b7a'],
			extra: {
				candidate: {
					firstName: 'Lena',
					lastName: 'Hoffmann',
					email: 'lena.hoffmann@example.com',
					phone: '+49 40 555 0100',
				},
				occurredAt: '2025-05-06T09:31:12.442Z',
			},
		},
		'Candidate.removed': {
			event: 'candidate.deleted',
			subject: ['candidate', '5c1e7d2a-9b3f-4e60-8a1d-2f3e4d5c6b7a'],
		},
		'Application.added': {
			event: 'application.created',
			subject: ['application', '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'],
			extra: {
				candidate: { id: '5c1e7d2a-9b3f-4e60-8a1d-2f3e4d5c6b7a' },
				job: { id: '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7' },
				application: { stage: null },
			},
		},
		'Application.changed': {
			event: 'application.updated',
			subject: ['application', '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d'],
			extra: { application: { stage: 'Onsite Interview' } },
		},
		'Job.changed': {
			event: 'job.updated',
			subject: ['job', '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7'],
			extra: { job: { title: 'Dispatcher (night shift)', status: 'OPEN' } },
		},
		'Offer.added': {
			event: 'offer.created',
			subject: ['offer', '6d7e8f9a-0b1c-4d2e-8f3a-4b5c6d7e8f9a'],
			extra: { application: { id: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d' } },
		},
		'Interview.added': {
			event: 'interview.scheduled',
			subject: ['interview', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'],
		},
		'Scorecard.added': {
			event: 'scorecard.submitted',
			subject: ['scorecard', '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e'],
		},
		'LinkedAccount.synced': { event: 'unknown', subject: ['unknown', null] },
	};

	it('covers every fixture', () => {
		const files = readdirSync(FIXTURES)
			.filter((f) => f.endsWith('.json'))
			.map((f) => f.replace(/\.json$/, ''));
		expect(Object.keys(expected).sort()).toEqual(files.sort());
	});

	for (const [name, want] of Object.entries(expected)) {
		it(`${name} → ${want.event}, with the real ATS as integration`, () => {
			const { events } = mergeAtsSource.split(
				JSON.parse(fixture(name)),
				undefined as never,
				undefined as never,
			);
			const result = normaliseMergeAts(events[0]);
			expect(result).toMatchObject({
				event: want.event,
				subject: { type: want.subject[0], id: want.subject[1] },
				extra: workday,
				...(want.extra ?? {}),
			});
			expect(result.warnings).toBeUndefined();
		});
	}

	it('reads both spellings of event names; a changed scorecard stays unknown (no canonical kind) on a scorecard subject', () => {
		expect(parseMergeEvent('Candidate.changed')).toEqual({ model: 'candidate', action: 1 });
		expect(parseMergeEvent('candidate.updated')).toEqual({ model: 'candidate', action: 1 });
		expect(parseMergeEvent('ScheduledInterview.added')).toEqual({
			model: 'scheduledinterview',
			action: 0,
		});
		expect(parseMergeEvent('LinkedAccount.synced')).toBeUndefined();
		const changed = normaliseMergeAts({
			sourceEvent: 'Scorecard.changed',
			body: { data: { id: 's1' } },
		});
		expect(changed).toMatchObject({ event: 'unknown', subject: { type: 'scorecard', id: 's1' } });
		const rejected = normaliseMergeAts({
			sourceEvent: 'Application.changed',
			body: { data: { id: 'a1', rejected_at: '2025-05-10T00:00:00Z' } },
		});
		expect(rejected).toMatchObject({
			event: 'application.updated',
			extra: { rejectedAt: '2025-05-10T00:00:00.000Z' },
		});
	});

	it('dedup key: event, linked account, record id and modified_at', () => {
		const key = (name: string) =>
			mergeAtsSource.split(JSON.parse(fixture(name)), undefined as never, undefined as never)
				.events[0].eventId;
		expect(key('Candidate.changed')).toBe(
			'Candidate.changed:2d9f1c3a-5b7e-4a61-9c0d-8e7f6a5b4c3d:5c1e7d2a-9b3f-4e60-8a1d-2f3e4d5c6b7a:2025-05-06T09:31:12.442Z',
		);
		expect(key('LinkedAccount.synced')).toBeUndefined();
	});
});

describe('Merge source through the pipeline', () => {
	const settings = (overrides: Partial<SourceSettings> = {}): SourceSettings =>
		baseSettings({ auth: { scheme: 'vendor', secrets: [KEY], toleranceSeconds: 0 }, ...overrides });
	let n = 0;
	const request = (raw: string, headers: Record<string, string> = {}): InboundRequest => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', 'user-agent': 'Merge/Webhooks', ...headers },
		rawBody: Buffer.from(raw),
		query: {},
		now: Date.parse('2026-11-22T10:00:00Z'),
	});
	const state = () => ({ scope: `mg-${n++}`, staticData: {} });
	beforeEach(() => processDedupStore.clear());

	it('accepts a signed Application.changed as a schema-valid event; Merge retrying it is a duplicate', () => {
		const raw = fixture('Application.changed');
		const headers = { 'x-merge-webhook-signature': signMergeAts(KEY, raw) };
		const st = state();
		const first = runAndStore(mergeAtsSource, request(raw, headers), settings(), st);
		expect(first.outcome).toBe('accepted');
		expect(canonicalEventSchema.safeParse(first.events[0]).success).toBe(true);
		expect(first.events[0]).toMatchObject({
			source: 'mergeats',
			integration: 'Workday',
			sourceEvent: 'Application.changed',
			delivery: { verified: true },
		});
		expect(runAndStore(mergeAtsSource, request(raw, headers), settings(), st).outcome).toBe(
			'duplicate',
		);
	});

	it('401 unsigned; sync events can be filtered out by picking data events', () => {
		const raw = fixture('LinkedAccount.synced');
		expect(runAndStore(mergeAtsSource, request(raw), settings(), state()).reply).toMatchObject({
			status: 401,
			body: { reason: 'missing_signature' },
		});
		const picked = settings({ events: ['Candidate.changed', 'Application.changed'] });
		expect(
			runAndStore(
				mergeAtsSource,
				request(raw, { 'x-merge-webhook-signature': signMergeAts(KEY, raw) }),
				picked,
				state(),
			).outcome,
		).toBe('filtered');
	});
});

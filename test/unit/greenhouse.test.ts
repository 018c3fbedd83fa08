import { runAndStore } from '../helpers/pipeline';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
	signGreenhouse,
	verifyGreenhouseSignature,
} from '../../nodes/Greenhouse/greenhouseSignature';
import {
	greenhouseSource,
	isGreenhousePing,
	normaliseGreenhouse,
} from '../../nodes/Greenhouse/greenhouseSource';
import { GREENHOUSE_ACTIONS } from '../../nodes/Greenhouse/greenhouseEvents';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';
import { baseSettings } from '../helpers/seedFixtures';

/**
 * Greenhouse web hooks: developers.greenhouse.io/webhooks.html (grnhse/greenhouse-api-docs,
 * source/includes/webhooks/_introduction.md "Authentication"): `Signature: sha256 <hex>`,
 * HMAC-SHA256(secret key, entire body); docs/nodes/greenhouseTrigger.md and the locally computed vector in CONTRIBUTING.md "Test vectors".
 * Fixtures in test/fixtures/greenhouse are the documented examples, trimmed.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'greenhouse');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');

describe('Greenhouse signature (the shared cases run in test/contract/schemes.test.ts)', () => {
	const VECTOR_BODY = '{"action":"ping","payload":{}}';
	const VECTOR_HEADER = 'sha256 9850ec72d87ebcebcd4c90ffcf1664dfc85d7285d423b6370d8d3a8731f9fe92';

	it('refuses a foreign algorithm and a label without a digest', () => {
		const body = Buffer.from(VECTOR_BODY);
		expect(
			verifyGreenhouseSignature({ signature: VECTOR_HEADER.replace('sha256', 'sha1') }, body, [
				'test_secret',
			]),
		).toMatchObject({ ok: false, reason: 'unsupported_algorithm' });
		expect(verifyGreenhouseSignature({ signature: 'sha256' }, body, ['test_secret'])).toMatchObject(
			{ ok: false, reason: 'bad_signature_format' },
		);
		expect(
			verifyGreenhouseSignature({ signature: 'sha256 a b' }, body, ['test_secret']),
		).toMatchObject({ ok: false, reason: 'bad_signature_format' });
	});

	it('verifies the exact bytes: Unicode escaped by Greenhouse (\\u003cp\\u003e) must not be re-serialised', () => {
		// Greenhouse escapes "<p>" as \u003cp\u003e before signing (webhooks.html "Important note on Unicode").
		const raw =
			'{"action":"job_post_updated","payload":{"content":"\\u003cp\\u003ehello\\u003c/p\\u003e"}}';
		const header = signGreenhouse('s3cret', raw);
		expect(verifyGreenhouseSignature({ signature: header }, Buffer.from(raw), ['s3cret'])).toEqual({
			ok: true,
		});
		const reserialised = JSON.stringify(JSON.parse(raw));
		expect(reserialised).not.toBe(raw);
		expect(
			verifyGreenhouseSignature({ signature: header }, Buffer.from(reserialised), ['s3cret']),
		).toMatchObject({ ok: false });
	});

	it('tolerates uppercase hex, sha256=<hex> and a bare digest (the HMAC must still match)', () => {
		const body = Buffer.from(fixture('candidate_stage_change'));
		const header = signGreenhouse('old', body);
		expect(
			verifyGreenhouseSignature(
				{ signature: header.toUpperCase().replace('SHA256', 'sha256') },
				body,
				['old'],
			),
		).toEqual({ ok: true });
		expect(
			verifyGreenhouseSignature({ signature: header.replace(' ', '=') }, body, ['old']),
		).toEqual({ ok: true });
		expect(
			verifyGreenhouseSignature({ signature: header.slice('sha256 '.length) }, body, ['old']),
		).toEqual({ ok: true });
		expect(
			verifyGreenhouseSignature({ signature: `  SHA256   ${header.slice(7)} ` }, body, ['old']),
		).toEqual({ ok: true });
	});
});

describe('Greenhouse mapping of every documented example', () => {
	const expected: Record<
		string,
		{ event: string; subject: [string, string | null]; extra?: Record<string, unknown> }
	> = {
		candidate_stage_change: {
			event: 'application.stage_changed',
			subject: ['application', '265277'],
			extra: {
				application: { id: '265277', stage: 'Assessment', previousStage: null },
				candidate: {
					id: '265772',
					firstName: 'Giuseppe',
					lastName: 'Hurley',
					email: 'giuseppe.hurley@example.com',
					phone: '330-281-8004',
				},
				job: { id: '3485', title: 'Designer', status: 'open' },
				occurredAt: '2015-02-09T16:38:36.000Z',
			},
		},
		new_candidate_application: {
			event: 'application.created',
			subject: ['application', '71980812'],
			extra: {
				candidate: {
					id: '60304594',
					firstName: 'Jane',
					lastName: 'Smith',
					email: 'person@work.com',
					phone: '555-555-5555',
				},
				occurredAt: '2017-10-27T14:44:43.000Z',
			},
		},
		hire_candidate: {
			event: 'candidate.hired',
			subject: ['candidate', '35897443'],
			extra: {
				application: { id: '46194062', stage: null, previousStage: null },
				job: { id: '323753', title: 'Developer', status: null },
				occurredAt: '2014-11-20T22:49:14.000Z',
			},
		},
		reject_candidate: {
			event: 'candidate.rejected',
			subject: ['candidate', '265788'],
			extra: {
				application: { id: '265293', stage: 'Offer', previousStage: null },
				occurredAt: '2015-02-11T15:50:41.000Z',
			},
		},
		unhire_candidate: { event: 'application.updated', subject: ['application', '265293'] },
		delete_application: {
			event: 'application.deleted',
			subject: ['application', '46194062'],
			extra: { candidate: { id: '37031511' }, job: { id: '371417' } },
		},
		update_candidate: {
			event: 'candidate.updated',
			subject: ['candidate', '15696179'],
			extra: {
				candidate: {
					id: '15696179',
					firstName: 'Ronald',
					lastName: 'Ronnie',
					email: '123456email@email.com',
					phone: '911',
				},
			},
		},
		delete_candidate: { event: 'candidate.deleted', subject: ['candidate', '37031511'] },
		merge_candidate: { event: 'candidate.merged', subject: ['candidate', '37031511'] },
		candidate_anonymized: { event: 'candidate.anonymized', subject: ['candidate', '37031511'] },
		offer_created: {
			event: 'offer.created',
			subject: ['offer', '12345'],
			extra: {
				application: { id: '234556', stage: null, previousStage: null },
				job: { id: '45678' },
			},
		},
		offer_deleted: {
			event: 'offer.deleted',
			subject: ['offer', '506406'],
			extra: { application: { id: '46194062', stage: null, previousStage: null } },
		},
		interview_deleted: { event: 'interview.deleted', subject: ['interview', '31087450'] },
		scorecard_deleted: {
			event: 'scorecard.deleted',
			subject: ['scorecard', '6036088'],
			extra: { candidate: { id: '29843272' } },
		},
		job_created: {
			event: 'job.created',
			subject: ['job', '371417'],
			extra: {
				job: { id: '371417', title: 'Software Engineer', status: 'open' },
				occurredAt: '2016-10-20T18:16:32.000Z',
			},
		},
		job_approved: { event: 'job.updated', subject: ['job', '100445'] },
		job_deleted: {
			event: 'job.deleted',
			subject: ['job', '209256'],
			extra: { job: { id: '209256', title: 'Project Manager', status: null } },
		},
		job_post_created: {
			event: 'job.updated',
			subject: ['job', '1842002'],
			extra: { job: { id: '1842002', title: 'A Cool Job', status: null } },
		},
		job_post_deleted: { event: 'job.updated', subject: ['job', '284999'] },
		job_interview_stage_deleted: { event: 'job.updated', subject: ['job', '60453'] },
		department_deleted: { event: 'unknown', subject: ['unknown', '106'] },
		office_deleted: { event: 'unknown', subject: ['unknown', '16492'] },
	};

	it('has a fixture for each case above, and every fixture is covered', () => {
		const files = readdirSync(FIXTURES)
			.map((f) => f.replace(/\.json$/, ''))
			.filter((f) => f !== 'ping');
		expect(files.sort()).toEqual(Object.keys(expected).sort());
	});

	for (const [name, want] of Object.entries(expected)) {
		it(`${name} → ${want.event}`, () => {
			const body = JSON.parse(fixture(name));
			const { events } = greenhouseSource.split(body, undefined as never, undefined as never);
			expect(events).toHaveLength(1);
			expect(events[0].sourceEvent).toBe(name);
			const norm = normaliseGreenhouse(events[0]);
			expect(norm.event).toBe(want.event);
			expect(norm.subject.type).toBe(want.subject[0]);
			expect(norm.subject.id).toBe(want.subject[1]);
			expect(norm.warnings).toBeUndefined();
			if (want.extra) expect(norm).toMatchObject(want.extra);
		});
	}

	it('maps every action the node offers (no documented action falls through to the generic mapper)', () => {
		for (const { action, event } of GREENHOUSE_ACTIONS) {
			const norm = normaliseGreenhouse({ sourceEvent: action, body: { action, payload: {} } });
			expect(norm.event).toBe(event);
			expect(norm.warnings?.some((w) => w.startsWith('unknown_action'))).not.toBe(true);
		}
	});

	it('schema drift: a missing application or an unknown action still yields an event, with warnings', () => {
		const drift = normaliseGreenhouse({
			sourceEvent: 'candidate_stage_change',
			body: { action: 'candidate_stage_change', payload: { app: {} } },
		});
		expect(drift.event).toBe('application.stage_changed');
		expect(drift.warnings).toEqual(['field_missing: payload.application']);

		const unknown = normaliseGreenhouse({
			sourceEvent: 'candidate_tagged',
			body: { action: 'candidate_tagged', payload: { candidate: { id: 7 } } },
		});
		expect(unknown.warnings?.[0]).toMatch(/^unknown_action: "candidate_tagged"/);

		const noPayload = normaliseGreenhouse({
			sourceEvent: 'job_created',
			body: { action: 'job_created' },
		});
		expect(noPayload).toMatchObject({
			event: 'job.created',
			warnings: ['payload_missing: the body has no "payload" object'],
		});
	});

	it('detects the ping: action "ping", or a body without an action (undocumented ping body)', () => {
		expect(isGreenhousePing({ action: 'ping', payload: {} })).toBe(true);
		expect(isGreenhousePing({ web_hook_id: 1, url: 'https://x' })).toBe(true);
		expect(isGreenhousePing(JSON.parse(fixture('candidate_stage_change')))).toBe(false);
		expect(isGreenhousePing([{ action: 'ping' }])).toBe(false);
	});
});

describe('Greenhouse source through the pipeline', () => {
	const settings = (overrides: Partial<SourceSettings> = {}): SourceSettings =>
		baseSettings({
			auth: { scheme: 'vendor', secrets: ['gh-secret'], toleranceSeconds: 0 },
			dedup: { enabled: true, window: 100 },
			...overrides,
		});
	let n = 0;
	const request = (
		raw: string,
		headers: Record<string, string> = {},
		method = 'POST',
	): InboundRequest => ({
		method,
		headers: { 'content-type': 'application/json', ...headers },
		rawBody: Buffer.from(raw),
		query: {},
		now: Date.parse('2026-11-22T10:00:00Z'),
	});
	const state = () => ({ scope: `gh-${n++}`, staticData: {} });
	beforeEach(() => processDedupStore.clear());

	it('emits a schema-valid canonical event keyed by Greenhouse-Event-ID; a retry with the same id is a duplicate', () => {
		const raw = fixture('candidate_stage_change');
		const headers = { signature: signGreenhouse('gh-secret', raw), 'greenhouse-event-id': 'evt-1' };
		const st = state();
		const first = runAndStore(greenhouseSource, request(raw, headers), settings(), st);
		expect(first.outcome).toBe('accepted');
		expect(canonicalEventSchema.safeParse(first.events[0]).success).toBe(true);
		expect(first.events[0]).toMatchObject({
			id: 'evt-1',
			source: 'greenhouse',
			delivery: { id: 'evt-1', verified: true, scheme: 'vendor' },
			payload: JSON.parse(raw),
		});
		const again = runAndStore(greenhouseSource, request(raw, headers), settings(), st);
		expect(again.outcome).toBe('duplicate');
		expect(again.reply.status).toBe(200);
	});

	it('answers the ping (POST action ping, unsigned) and a GET with 200 and no events', () => {
		const ping = runAndStore(greenhouseSource, request(fixture('ping')), settings(), state());
		expect(ping).toMatchObject({ outcome: 'ping', events: [], reply: { status: 200 } });
		const get = runAndStore(
			greenhouseSource,
			{ ...request(''), method: 'GET', rawBody: undefined },
			settings(),
			state(),
		);
		expect(get).toMatchObject({ outcome: 'handshake', events: [], reply: { status: 200 } });
	});

	it('with Emit Test Events, a signed ping becomes a canonical "test" event; an unsigned one is refused', () => {
		const raw = fixture('ping');
		const ok = runAndStore(
			greenhouseSource,
			request(raw, { signature: signGreenhouse('gh-secret', raw) }),
			settings({ emitTestEvents: true }),
			state(),
		);
		expect(ok.outcome).toBe('accepted');
		expect(ok.events[0]).toMatchObject({
			event: 'test',
			sourceEvent: 'ping',
			subject: { type: 'test' },
		});
		const unsigned = runAndStore(
			greenhouseSource,
			request(raw),
			settings({ emitTestEvents: true }),
			state(),
		);
		expect(unsigned.reply.status).toBe(401);
	});

	it('401 for a bad signature, 400 for malformed JSON that is correctly signed, 200 ignored for an unselected event', () => {
		const raw = fixture('job_created');
		expect(
			runAndStore(
				greenhouseSource,
				request(raw, { signature: signGreenhouse('other', raw) }),
				settings(),
				state(),
			).reply,
		).toMatchObject({
			status: 401,
			body: { reason: 'signature_mismatch' },
		});
		const broken = '{"action": "job_created", ';
		expect(
			runAndStore(
				greenhouseSource,
				request(broken, { signature: signGreenhouse('gh-secret', broken) }),
				settings(),
				state(),
			).reply.status,
		).toBe(400);
		const filtered = runAndStore(
			greenhouseSource,
			request(raw, { signature: signGreenhouse('gh-secret', raw) }),
			settings({ events: ['hire_candidate'] }),
			state(),
		);
		expect(filtered).toMatchObject({ outcome: 'filtered', reply: { status: 200 } });
	});

	it('filters on canonical names too, and Privacy keeps ids only', () => {
		const raw = fixture('hire_candidate');
		const result = runAndStore(
			greenhouseSource,
			request(raw, { signature: signGreenhouse('gh-secret', raw) }),
			settings({ events: ['candidate.hired'], privacy: true }),
			state(),
		);
		expect(result.outcome).toBe('accepted');
		const event = result.events[0] as Record<string, unknown>;
		expect(event.candidate).toEqual({ id: '35897443' });
		expect(JSON.stringify(event.payload)).not.toMatch(/Johnny|personal@example\.com|518-555-1212/);
	});

	it('a JSON array is refused with 400 (Greenhouse sends one object per delivery)', () => {
		const raw = JSON.stringify([JSON.parse(fixture('job_created'))]);
		const result = runAndStore(
			greenhouseSource,
			request(raw, { signature: signGreenhouse('gh-secret', raw) }),
			settings(),
			state(),
		);
		expect(result.reply).toMatchObject({ status: 400, body: { reason: 'unexpected_shape' } });
	});
});

import { runAndStore } from '../helpers/pipeline';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest } from '../../nodes/core/pipeline/types';
import { TEAMTAILOR_EVENTS } from '../../nodes/Teamtailor/teamtailorEvents';
import {
	normaliseTeamtailor,
	teamtailorSource,
	type TeamtailorSettings,
} from '../../nodes/Teamtailor/teamtailorSource';
import {
	parseTeamtailorV2,
	signTeamtailorV1,
	signTeamtailorV2,
	verifyTeamtailor,
} from '../../nodes/Teamtailor/teamtailorSignature';
import { baseSettings } from '../helpers/seedFixtures';

/**
 * Teamtailor Company Webhooks (partner.teamtailor.com/company_webhooks; tt-partner-docs
 * source/includes/company_webhooks/_signatures.md.erb, _payloads.md.erb, _event_types.md.erb).
 * The shared signature cases (tamper, wrong key, missing/repeated header, rotation, stale/future t)
 * run in test/contract/schemes.test.ts; here: what is Teamtailor's own.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'teamtailor');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
const NOW = 1742290000;
const KEY = 'teamtailor signature key';

describe('Teamtailor signature', () => {
	it('v2: the header decodes to t=<ts>,v2=<hex>, as documented', () => {
		const header = signTeamtailorV2(KEY, fixture('job.update'), NOW);
		expect(Buffer.from(header, 'base64').toString()).toMatch(
			new RegExp(`^t=${NOW},v2=[0-9a-f]{64}$`),
		);
		expect(parseTeamtailorV2(header)).toMatchObject({ timestamp: NOW });
		// The decoded example on the documentation page has a shortened (48-digit) HMAC: not a real SHA-256, refused as malformed.
		expect(
			parseTeamtailorV2(
				'dD0xNzAxMjM0NTY3LHYyPWFiY2RlZjEyMzQ1Njc4OTBhYmNkZWYxMjM0NTY3ODkwYWJjZGVmMTIzNDU2Nzg5MA==',
			),
		).toBeUndefined();
	});

	it('v2: a v1 header, or garbage, is a format error that names the version setting', () => {
		const body = Buffer.from(fixture('job.update'));
		const v1 = verifyTeamtailor({ 'tt-signature': signTeamtailorV1(KEY, '4711') }, body, {
			secrets: [KEY],
			version: 'v2',
			toleranceSeconds: 300,
			nowSeconds: NOW,
		});
		expect(v1).toMatchObject({ ok: false, reason: 'bad_signature_format' });
		expect((v1 as { message: string }).message).toMatch(/v1/);
	});

	it('v2 with the documented top-level "signature" member: verifies over the raw body, or byte-exact without the member, or the raw payload text (UNCONFIRMED which)', () => {
		const payload = '{"event_name":"job.update","data":{"id":"4711","type":"jobs"}}';
		const raw = `{"payload":${payload},"signature":"c2lnbmF0dXJl"}`;
		const check = (signedBytes: string) =>
			verifyTeamtailor(
				{ 'tt-signature': signTeamtailorV2(KEY, signedBytes, NOW) },
				Buffer.from(raw),
				{ secrets: [KEY], version: 'v2', toleranceSeconds: 300, nowSeconds: NOW },
			);
		expect(check(raw)).toEqual({ ok: true });
		expect(check(`{"payload":${payload}}`)).toEqual({ ok: true });
		expect(check(payload)).toEqual({ ok: true });
		// Re-serialised JSON is never tried: signing other bytes (here, with spaces) fails.
		expect(check(`{"payload": ${payload}}`)).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
		// And the fallbacks are no way round the HMAC: a changed payload fails in every form.
		const changed = raw.replace('4711', '4712');
		expect(
			verifyTeamtailor({ 'tt-signature': signTeamtailorV2(KEY, raw, NOW) }, Buffer.from(changed), {
				secrets: [KEY],
				version: 'v2',
				toleranceSeconds: 300,
				nowSeconds: NOW,
			}),
		).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});

	it('v1 (deprecated) signs only payload.data.id: it verifies with v1 picked, and a changed body with the same id still verifies (why v1 is opt-in with a warning)', () => {
		const raw = fixture('job.update');
		const header = { 'tt-signature': signTeamtailorV1(KEY, '4711') };
		const options = { secrets: [KEY], version: 'v1' as const, toleranceSeconds: 300 };
		expect(
			verifyTeamtailor(header, Buffer.from(raw), { ...options, body: JSON.parse(raw) }),
		).toEqual({ ok: true });
		const forged = JSON.parse(raw.replace('Backend Developer', 'Forged Title'));
		expect(
			verifyTeamtailor(header, Buffer.from(JSON.stringify(forged)), { ...options, body: forged }),
		).toEqual({ ok: true });
		const otherId = JSON.parse(raw.replace('"4711"', '"4712"'));
		expect(
			verifyTeamtailor(header, Buffer.from(JSON.stringify(otherId)), { ...options, body: otherId }),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
		expect(verifyTeamtailor(header, Buffer.from('{}'), { ...options, body: {} })).toMatchObject({
			ok: false,
			reason: 'bad_body',
		});
	});

	it('v1 is not accepted when v2 is picked (the default)', () => {
		const raw = fixture('job.update');
		const result = verifyTeamtailor(
			{ 'tt-signature': signTeamtailorV1(KEY, '4711') },
			Buffer.from(raw),
			{ secrets: [KEY], version: 'v2', toleranceSeconds: 300, nowSeconds: NOW },
		);
		expect(result.ok).toBe(false);
	});
});

describe('Teamtailor mapping of every fixture', () => {
	const expected: Record<
		string,
		{ event: string; subject: [string, string]; extra?: Record<string, unknown> }
	> = {
		'candidate.create': {
			event: 'candidate.created',
			subject: ['candidate', '90210'],
			extra: {
				candidate: {
					id: '90210',
					firstName: 'Astrid',
					lastName: 'Lindqvist',
					email: 'astrid.lindqvist@example.com',
					phone: '+46 70 123 45 67',
				},
				occurredAt: '2025-03-12T07:30:00.000Z',
			},
		},
		'candidate.update': {
			event: 'candidate.updated',
			subject: ['candidate', '90210'],
			extra: { occurredAt: '2025-03-14T15:45:02.511Z' },
		},
		'candidate.destroy': { event: 'candidate.deleted', subject: ['candidate', '90210'] },
		'job.create': {
			event: 'job.created',
			subject: ['job', '4711'],
			extra: { job: { id: '4711', title: 'Backend Developer', status: 'draft' } },
		},
		'job.update': {
			event: 'job.updated',
			subject: ['job', '4711'],
			extra: {
				job: { id: '4711', title: 'Backend Developer', status: 'open' },
				occurredAt: '2025-03-10T13:05:11.402Z',
			},
		},
		'job.destroy': { event: 'job.deleted', subject: ['job', '4711'] },
		'job_application.create': {
			event: 'application.created',
			subject: ['application', '555001'],
			extra: {
				application: { id: '555001', stage: 'Inbox', previousStage: null },
				job: { id: '4711', title: 'Backend Developer' },
			},
		},
		'job_application.update': {
			event: 'application.updated',
			subject: ['application', '555001'],
			extra: { application: { id: '555001', stage: 'Interview', previousStage: null } },
		},
		'job_application.update.rejected': {
			event: 'application.updated',
			subject: ['application', '555001'],
			extra: {
				extra: {
					rejectedAt: '2025-03-20T10:00:00.000Z',
					transparentRecruitingVisibleAt: '2025-03-22T10:00:00.000Z',
				},
			},
		},
		'job_application.destroy': { event: 'application.deleted', subject: ['application', '555001'] },
	};

	it('covers every fixture and every documented event', () => {
		const files = readdirSync(FIXTURES)
			.filter((f) => f.endsWith('.json'))
			.map((f) => f.replace(/\.json$/, ''));
		expect(Object.keys(expected).sort()).toEqual(files.sort());
		for (const e of TEAMTAILOR_EVENTS) expect(files).toContain(e.value);
	});

	for (const [name, want] of Object.entries(expected)) {
		it(`${name} → ${want.event}`, () => {
			const body = JSON.parse(fixture(name));
			const { events } = teamtailorSource.split(body, undefined as never, undefined as never);
			const result = normaliseTeamtailor(events[0]);
			expect(result).toMatchObject({
				event: want.event,
				subject: { type: want.subject[0], id: want.subject[1] },
				...(want.extra ?? {}),
			});
			expect(result.warnings).toBeUndefined();
		});
	}

	it('an undocumented event (custom-field updates: names UNCONFIRMED) goes through the generic mapper with a warning; a body without event_name too', () => {
		const odd = normaliseTeamtailor({
			sourceEvent: 'candidate_custom_field_value.update',
			body: { payload: { event_name: 'candidate_custom_field_value.update', data: { id: '1' } } },
		});
		expect(odd.warnings?.[0]).toMatch(/not a documented Teamtailor event/);
		expect(normaliseTeamtailor({ sourceEvent: '', body: {} }).warnings?.[0]).toMatch(
			/event_name_missing/,
		);
	});

	it('dedup key: event, id and updated-at when present (either spelling); destroy events fall back to the body hash', () => {
		const key = (name: string) =>
			teamtailorSource.split(JSON.parse(fixture(name)), undefined as never, undefined as never)
				.events[0].eventId;
		expect(key('job.update')).toBe('job.update:4711:2025-03-10T14:05:11.402+01:00');
		expect(key('job_application.update')).toBe(
			'job_application.update:555001:2025-03-18T10:02:44.000+01:00',
		);
		expect(key('job.destroy')).toBeUndefined();
	});
});

describe('Teamtailor source through the pipeline', () => {
	const settings = (overrides: Partial<TeamtailorSettings> = {}): TeamtailorSettings => ({
		...baseSettings({ auth: { scheme: 'vendor', secrets: [KEY], toleranceSeconds: 300 } }),
		signatureVersion: 'v2',
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
		rawBody: method === 'GET' ? undefined : Buffer.from(raw),
		query: {},
		now: NOW * 1000,
	});
	const state = () => ({ scope: `tt-${n++}`, staticData: {} });
	beforeEach(() => processDedupStore.clear());

	it('accepts a v2-signed delivery as a schema-valid event; the same delivery again is a duplicate', () => {
		const raw = fixture('job_application.update');
		const headers = { 'tt-signature': signTeamtailorV2(KEY, raw, NOW - 2) };
		const st = state();
		const first = runAndStore(teamtailorSource, request(raw, headers), settings(), st);
		expect(first.outcome).toBe('accepted');
		expect(canonicalEventSchema.safeParse(first.events[0]).success).toBe(true);
		expect(first.events[0]).toMatchObject({
			source: 'teamtailor',
			sourceEvent: 'job_application.update',
			delivery: { verified: true, scheme: 'vendor' },
		});
		expect(runAndStore(teamtailorSource, request(raw, headers), settings(), st).outcome).toBe(
			'duplicate',
		);
	});

	it('401 unsigned or outside the replay window; 200 for a GET; v1 only when picked', () => {
		const raw = fixture('candidate.create');
		expect(runAndStore(teamtailorSource, request(raw), settings(), state()).reply).toMatchObject({
			status: 401,
			body: { reason: 'missing_signature' },
		});
		expect(
			runAndStore(
				teamtailorSource,
				request(raw, { 'tt-signature': signTeamtailorV2(KEY, raw, NOW - 301) }),
				settings(),
				state(),
			).reply,
		).toMatchObject({
			status: 401,
			body: { reason: 'timestamp_too_old' },
		});
		expect(
			runAndStore(teamtailorSource, request('', {}, 'GET'), settings(), state()),
		).toMatchObject({ outcome: 'handshake', reply: { status: 200 }, events: [] });
		const v1 = { 'tt-signature': signTeamtailorV1(KEY, '90210') };
		expect(runAndStore(teamtailorSource, request(raw, v1), settings(), state()).reply.status).toBe(
			401,
		);
		expect(
			runAndStore(teamtailorSource, request(raw, v1), settings({ signatureVersion: 'v1' }), state())
				.outcome,
		).toBe('accepted');
	});

	it('filters on Teamtailor and canonical names', () => {
		const raw = fixture('job.create');
		const headers = { 'tt-signature': signTeamtailorV2(KEY, raw, NOW) };
		expect(
			runAndStore(
				teamtailorSource,
				request(raw, headers),
				settings({ events: ['candidate.create'] }),
				state(),
			).outcome,
		).toBe('filtered');
		expect(
			runAndStore(
				teamtailorSource,
				request(raw, headers),
				settings({ events: ['job.created'] }),
				state(),
			).outcome,
		).toBe('accepted');
	});
});

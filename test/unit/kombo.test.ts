import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAndStore } from '../helpers/pipeline';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';
import {
	komboSource,
	normaliseKombo,
	signKombo,
	verifyKomboSignature,
} from '../../nodes/Kombo/komboSource';
import {
	endpointsFor,
	fetchChangedRecords,
	readPage,
	recordEvent,
	type GetPage,
} from '../../nodes/Kombo/komboFetch';
import { baseSettings } from '../helpers/seedFixtures';

/**
 * Kombo webhooks (https://docs.kombo.dev/webhooks, https://docs.kombo.dev/api-reference/data-changed)
 * and Fetch Changed Records (https://docs.kombo.dev/ats/getting-started/fetching-data). The shared
 * signature cases run in test/contract/schemes.test.ts; here: the encoding, the mapping of every
 * fixture, dedup on `id`, and the fetch logic against an in-memory stand-in for the API.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'kombo');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
const api = (name: string): unknown => JSON.parse(fixture(`api/${name}`));
const SECRET = 'kombo webhook secret';

describe('Kombo signature', () => {
	it('is base64url without padding; the padded form verifies too; hex of the same HMAC does not', () => {
		const raw = fixture('data-changed.ats');
		const sig = signKombo(SECRET, raw);
		expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
		for (const form of [sig, `${sig}=`])
			expect(
				verifyKomboSignature({ 'x-kombo-signature': form }, Buffer.from(raw), [SECRET]),
			).toEqual({ ok: true });
		expect(
			verifyKomboSignature(
				{ 'x-kombo-signature': Buffer.from(sig, 'base64url').toString('hex') },
				Buffer.from(raw),
				[SECRET],
			),
		).toMatchObject({ ok: false, reason: 'bad_signature_format' });
	});

	it('is computed over the raw bytes: the same JSON re-serialised does not verify', () => {
		const raw = fixture('data-changed.ats');
		const compact = JSON.stringify(JSON.parse(raw));
		expect(compact).not.toBe(raw);
		expect(
			verifyKomboSignature({ 'x-kombo-signature': signKombo(SECRET, compact) }, Buffer.from(raw), [
				SECRET,
			]),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});
});

describe('Kombo mapping of every webhook fixture', () => {
	const expected: Record<string, { extra: Record<string, unknown> }> = {
		'data-changed.ats': {
			extra: {
				integration: 'workday',
				integrationId: 'workday:Tz4Gk8PqR2mVn6Xb1Lc9Ws5J',
				integrationCategory: 'ATS',
				changedModels: ['ats_applications', 'ats_candidates'],
			},
		},
		'data-changed.jobs': {
			extra: { integration: 'successfactors', changedModels: ['ats_jobs', 'ats_job_postings'] },
		},
		'data-changed.hris': {
			extra: {
				integration: 'personio',
				integrationCategory: 'HRIS',
				changedModels: ['hris_legal_entities'],
			},
		},
		'sync-finished': { extra: { integration: 'workday', syncState: 'SUCCEEDED' } },
	};

	it('covers every fixture', () => {
		const files = readdirSync(FIXTURES)
			.filter((f) => f.endsWith('.json'))
			.map((f) => f.replace(/\.json$/, ''));
		expect(Object.keys(expected).sort()).toEqual(files.sort());
	});

	for (const [name, want] of Object.entries(expected)) {
		it(`${name} → unknown (a notification), the integration as subject, the real tool as integration`, () => {
			const body = JSON.parse(fixture(name)) as { id: string; data: { integration_id: string } };
			const { events } = komboSource.split(body, undefined as never, undefined as never);
			expect(events[0].eventId).toBe(body.id);
			const result = normaliseKombo(events[0]);
			expect(result).toMatchObject({
				event: 'unknown',
				subject: { type: 'unknown', id: body.data.integration_id },
				extra: want.extra,
			});
			expect(result.warnings).toBeUndefined();
		});
	}

	it('a body without id, data or changed_models is still an event, with warnings', () => {
		const result = normaliseKombo({ sourceEvent: 'data-changed', body: { type: 'data-changed' } });
		expect(result.event).toBe('unknown');
		expect(result.warnings).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^field_missing: id/),
				expect.stringMatching(/^data_missing/),
				'field_missing: data.changed_models',
			]),
		);
	});
});

describe('Kombo source through the pipeline', () => {
	const settings = (overrides: Partial<SourceSettings> = {}): SourceSettings =>
		baseSettings({
			auth: { scheme: 'vendor', secrets: [SECRET], toleranceSeconds: 0 },
			...overrides,
		});
	let n = 0;
	const request = (raw: string, headers: Record<string, string> = {}): InboundRequest => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		rawBody: Buffer.from(raw),
		query: {},
		now: Date.parse('2026-03-02T06:11:00Z'),
	});
	const state = () => ({ scope: `kb-${n++}`, staticData: {} });
	beforeEach(() => processDedupStore.clear());

	it("a signed data-changed is one schema-valid event whose id is Kombo's; Kombo resending it is a duplicate", () => {
		const raw = fixture('data-changed.ats');
		const headers = { 'x-kombo-signature': signKombo(SECRET, raw) };
		const st = state();
		const first = runAndStore(komboSource, request(raw, headers), settings(), st);
		expect(first.outcome).toBe('accepted');
		expect(canonicalEventSchema.safeParse(first.events[0]).success).toBe(true);
		expect(first.events[0]).toMatchObject({
			id: 'Q7mXo2RtB9vKc4LpN8sWd3Ha',
			source: 'kombo',
			sourceEvent: 'data-changed',
			integration: 'workday',
			delivery: { verified: true, scheme: 'vendor' },
		});
		expect(runAndStore(komboSource, request(raw, headers), settings(), st).outcome).toBe(
			'duplicate',
		);
	});

	it('401 unsigned; Events = data-changed filters a sync-finished out', () => {
		const raw = fixture('sync-finished');
		expect(runAndStore(komboSource, request(raw), settings(), state()).reply).toMatchObject({
			status: 401,
			body: { reason: 'missing_signature' },
		});
		expect(
			runAndStore(
				komboSource,
				request(raw, { 'x-kombo-signature': signKombo(SECRET, raw) }),
				settings({ events: ['data-changed'] }),
				state(),
			).outcome,
		).toBe('filtered');
	});
});

describe('Fetch Changed Records (logic)', () => {
	const notification = {
		id: 'Q7mXo2RtB9vKc4LpN8sWd3Ha',
		source: 'kombo',
		event: 'unknown',
		sourceEvent: 'data-changed',
		occurredAt: null,
		receivedAt: '2026-03-02T06:11:00.000Z',
		subject: { type: 'unknown', id: 'workday:Tz4Gk8PqR2mVn6Xb1Lc9Ws5J' },
		delivery: { id: null, verified: true, scheme: 'vendor', dedupKey: 'abcdefabcdefabcd' },
		payload: JSON.parse(fixture('data-changed.ats')) as unknown,
		integration: 'workday',
		integrationId: 'workday:Tz4Gk8PqR2mVn6Xb1Lc9Ws5J',
		integrationCategory: 'ATS',
		changedModels: ['ats_applications', 'ats_candidates'],
	};

	it('calls only the selected endpoints that serve a changed model (all selected when none is named)', () => {
		expect(endpointsFor(['ats_applications'], ['applications', 'candidates', 'jobs'])).toEqual([
			'applications',
			'candidates',
		]);
		expect(endpointsFor(['ats_job_postings'], ['applications', 'candidates', 'jobs'])).toEqual([
			'jobs',
		]);
		expect(endpointsFor(['hris_legal_entities'], ['applications', 'jobs'])).toEqual([]);
		expect(endpointsFor([], ['jobs', 'applications'])).toEqual(['applications', 'jobs']);
	});

	it('pages through data.next, sends updated_after and include_deleted, one schema-valid event per record', async () => {
		const calls: Array<{ path: string; query: Record<string, string> }> = [];
		const getPage: GetPage = async (path, query) => {
			calls.push({ path, query });
			if (path === '/ats/applications') return api('applications');
			return query.cursor ? api('candidates.page2') : api('candidates.page1');
		};
		const result = await fetchChangedRecords(notification, {
			getPage,
			updatedAfter: '2026-03-02T05:00:00.000Z',
			kinds: ['applications', 'candidates'],
			pageSize: 100,
			maxRecords: 1000,
			privacy: false,
		});
		expect(result).toMatchObject({ complete: true, warnings: [] });
		expect(calls.map((c) => [c.path, c.query.cursor ?? null])).toEqual([
			['/ats/applications', null],
			['/ats/candidates', null],
			['/ats/candidates', expect.stringMatching(/^eyJ/)],
		]);
		expect(calls[0].query).toMatchObject({
			updated_after: '2026-03-02T05:00:00.000Z',
			include_deleted: 'true',
			page_size: '100',
		});
		expect(result.events.map((e) => [e.event, (e.subject as { id: string }).id])).toEqual([
			['application.updated', 'Ap1Bq2Cr3Ds4Et5Fu6Gv7Hw8'],
			['application.deleted', 'Aq2Br3Cs4Dt5Eu6Fv7Gw8Hx9'],
			['candidate.updated', 'Cn7Do8Ep9Fq1Gr2Hs3It4Ju5'],
			['candidate.updated', 'Cp9Fq1Gr2Hs3It4Ju5Kv6Lw7'],
		]);
		for (const event of result.events) {
			expect(canonicalEventSchema.safeParse(event).success).toBe(true);
			expect(event).toMatchObject({ integration: 'workday', notificationId: notification.id });
		}
		expect(result.events[0]).toMatchObject({
			id: 'workday:Tz4Gk8PqR2mVn6Xb1Lc9Ws5J:applications:Ap1Bq2Cr3Ds4Et5Fu6Gv7Hw8:2026-03-02T06:10:41.000Z',
			sourceEvent: 'data-changed:applications',
			occurredAt: '2026-03-02T06:10:41.000Z',
			subject: { url: 'https://example.myworkdayjobs.example/applications/JA-20931' },
			application: { stage: 'Hiring Manager Review' },
			candidate: {
				id: 'Cn7Do8Ep9Fq1Gr2Hs3It4Ju5',
				firstName: 'Mira',
				email: 'mira.castellano@example.net',
			},
			job: { id: 'Jb3Kc4Ld5Me6Nf7Og8Ph9Qi1', title: 'Warehouse Shift Lead' },
			outcome: 'PENDING',
			delivery: { dedupKey: 'abcdefabcdefabcd' },
		});
		expect(result.events[2]).toMatchObject({
			candidate: { lastName: 'Castellano', phone: '+49 30 5550 1844' },
		});
	});

	it('Privacy keeps ids: no names or emails in the events or payloads', async () => {
		const result = await fetchChangedRecords(notification, {
			getPage: async () => api('applications'),
			updatedAfter: '2026-03-02T05:00:00.000Z',
			kinds: ['applications'],
			pageSize: 100,
			maxRecords: 1000,
			privacy: true,
		});
		expect(result.events[0].candidate).toEqual({ id: 'Cn7Do8Ep9Fq1Gr2Hs3It4Ju5' });
		expect(JSON.stringify(result.events)).not.toMatch(/Mira|Castellano|example\.net/);
	});

	it('a failed request fails the whole fetch (status only, no URL or key); a wrong shape too', async () => {
		const failing = await fetchChangedRecords(notification, {
			getPage: async (path) => {
				if (path === '/ats/candidates')
					throw Object.assign(new Error('Request failed https://api.kombo.dev/v1?x'), {
						httpCode: '401',
					});
				return api('applications');
			},
			updatedAfter: 'x',
			kinds: ['applications', 'candidates'],
			pageSize: 100,
			maxRecords: 1000,
			privacy: false,
		});
		expect(failing).toMatchObject({ events: [], complete: false, failure: 'HTTP 401' });
		const odd = await fetchChangedRecords(notification, {
			getPage: async () => ({ status: 'success', data: { items: [] } }),
			updatedAfter: 'x',
			kinds: ['jobs'],
			pageSize: 100,
			maxRecords: 1000,
			privacy: false,
		});
		expect(odd.failure).toMatch(/no data\.results/);
	});

	it('stops at Max Records: incomplete (the caller keeps its cursor), with a warning', async () => {
		const result = await fetchChangedRecords(notification, {
			getPage: async (_path, query) =>
				query.cursor ? api('candidates.page2') : api('candidates.page1'),
			updatedAfter: 'x',
			kinds: ['candidates'],
			pageSize: 1,
			maxRecords: 1,
			privacy: false,
		});
		expect(result.complete).toBe(false);
		expect(result.events).toHaveLength(1);
		expect(result.warnings[0]).toMatch(/^records_truncated/);
	});

	it('a record without id or dates is still an event, with a warning; readPage refuses other shapes', () => {
		const event = recordEvent(notification, 'jobs', { name: 'No id' }, false);
		expect(event).toMatchObject({ event: 'job.updated', warnings: ['field_missing: id'] });
		expect(readPage({ data: { results: [], next: 'c' } })).toEqual({ results: [], next: 'c' });
		expect(readPage([])).toBeUndefined();
	});
});

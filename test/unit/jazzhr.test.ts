import { runAndStore } from '../helpers/pipeline';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';
import {
	isJazzHrVerify,
	jazzHrSource,
	normaliseJazzHr,
	signJazzHr,
} from '../../nodes/JazzHr/jazzHrSource';
import { baseSettings } from '../helpers/seedFixtures';

/**
 * JazzHR Candidate Export webhooks (github.com/JazzHR/api-doc, source/includes/webhook/*.md). The
 * shared signature cases run in test/contract/schemes.test.ts; here: VERIFY, X-JazzHR-UUID, the
 * HR Open Standards mapping.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'jazzhr');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
const SECRET = 'secret given to jazzhr';
const EXPORT = { 'x-jazzhr-event': 'CANDIDATE-EXPORT', 'user-agent': 'JazzHR' };

const request = (raw: string, headers: Record<string, string> = {}): InboundRequest => ({
	method: 'POST',
	headers: { 'content-type': 'application/json', ...headers },
	rawBody: Buffer.from(raw),
	query: {},
	now: Date.parse('2026-11-22T10:00:00Z'),
});

describe('JazzHR mapping (HR Open Standards candidate)', () => {
	const map = (name: string, headers: Record<string, string> = EXPORT) => {
		const req = request(fixture(name), headers);
		const { events } = jazzHrSource.split(JSON.parse(fixture(name)), req, undefined as never);
		return normaliseJazzHr(events[0], req);
	};

	it('an export is candidate.exported: person id, given/family name, the preferred email and phone, the profile link', () => {
		const result = map('candidate_export', {
			...EXPORT,
			link: '<https://app.jazz.co/app/v2/candidate/71002233>; rel="candidate"',
		});
		expect(result).toMatchObject({
			event: 'candidate.exported',
			subject: {
				type: 'candidate',
				id: '71002233',
				url: 'https://app.jazz.co/app/v2/candidate/71002233',
			},
			candidate: {
				id: '71002233',
				firstName: 'Maria',
				lastName: 'Gonzalez',
				email: 'maria.gonzalez@example.com',
				phone: '(512) 555-0147',
			},
			application: { id: '90001', stage: 'Phone Screen', previousStage: null },
			job: { id: '5501', title: 'Warehouse Supervisor' },
			extra: {
				workflowStatusCategory: 'In Progress',
				workflowDispositionAt: '2025-05-20 14:03:11',
			},
		});
		expect(result.warnings).toBeUndefined();
	});

	it('with two applications, X-JazzHR-Export-Context (the job exported from) picks the application; without it, the first', () => {
		expect(
			map('candidate_export.two_applications', { ...EXPORT, 'x-jazzhr-export-context': '5502' }),
		).toMatchObject({
			application: { id: '90002', stage: 'Hired' },
			job: { id: '5502', title: 'Forklift Operator' },
		});
		expect(map('candidate_export.two_applications')).toMatchObject({
			application: { id: '90001' },
			job: { id: '5501' },
		});
	});

	it('without the X-JazzHR-Event header a body with a candidate is still an export; drift gives warnings, not a lost event', () => {
		expect(map('candidate_export', {}).event).toBe('candidate.exported');
		const empty = normaliseJazzHr({ sourceEvent: 'CANDIDATE-EXPORT', body: {} });
		expect(empty.event).toBe('candidate.exported');
		expect(empty.warnings).toEqual(expect.arrayContaining(['field_missing: candidate']));
		expect(normaliseJazzHr({ sourceEvent: 'CANDIDATE-DELETE', body: {} }).warnings?.[0]).toMatch(
			/not a documented JazzHR event/,
		);
	});

	it('VERIFY is recognised by its header, or by its documented body when the header is missing', () => {
		expect(
			isJazzHrVerify(JSON.parse(fixture('verify')), request('', { 'x-jazzhr-event': 'VERIFY' })),
		).toBe(true);
		expect(isJazzHrVerify(JSON.parse(fixture('verify')), request('', {}))).toBe(true);
		expect(isJazzHrVerify(JSON.parse(fixture('candidate_export')), request('', EXPORT))).toBe(
			false,
		);
	});
});

describe('JazzHR source through the pipeline', () => {
	const settings = (overrides: Partial<SourceSettings> = {}): SourceSettings =>
		baseSettings({
			auth: { scheme: 'vendor', secrets: [SECRET], toleranceSeconds: 0 },
			...overrides,
		});
	let n = 0;
	const state = () => ({ scope: `jz-${n++}`, staticData: {} });
	beforeEach(() => processDedupStore.clear());

	it('answers VERIFY with 200 before the signature check (signed or not) and starts nothing', () => {
		const raw = fixture('verify');
		for (const headers of <Array<Record<string, string>>>[
			{ 'x-jazzhr-event': 'VERIFY' },
			{ 'x-jazzhr-event': 'VERIFY', 'x-jazzhr-signature': signJazzHr(SECRET, raw) },
		]) {
			expect(runAndStore(jazzHrSource, request(raw, headers), settings(), state())).toMatchObject({
				outcome: 'ping',
				events: [],
				reply: { status: 200 },
			});
		}
	});

	it('accepts a signed export keyed by X-JazzHR-UUID; JazzHR redelivering it (same UUID) is a duplicate', () => {
		const raw = fixture('candidate_export');
		const headers = {
			...EXPORT,
			'x-jazzhr-uuid': '6f1c2d3e-aaaa-4bbb-8ccc-0123456789ab',
			'x-jazzhr-signature': signJazzHr(SECRET, raw),
		};
		const st = state();
		const first = runAndStore(jazzHrSource, request(raw, headers), settings(), st);
		expect(first.outcome).toBe('accepted');
		expect(canonicalEventSchema.safeParse(first.events[0]).success).toBe(true);
		expect(first.events[0]).toMatchObject({
			id: '6f1c2d3e-aaaa-4bbb-8ccc-0123456789ab',
			source: 'jazzhr',
			sourceEvent: 'CANDIDATE-EXPORT',
			delivery: { verified: true },
		});
		expect(runAndStore(jazzHrSource, request(raw, headers), settings(), st)).toMatchObject({
			outcome: 'duplicate',
			reply: { status: 200 },
		});
	});

	it('401 for an unsigned export (JazzHR signs only when a secret is set), and for a wrong secret', () => {
		const raw = fixture('candidate_export');
		const unsigned = runAndStore(jazzHrSource, request(raw, EXPORT), settings(), state());
		expect(unsigned.reply).toMatchObject({ status: 401, body: { reason: 'missing_signature' } });
		expect(
			runAndStore(
				jazzHrSource,
				request(raw, { ...EXPORT, 'x-jazzhr-signature': signJazzHr('other', raw) }),
				settings(),
				state(),
			).reply.status,
		).toBe(401);
	});
});

import { runAndStore } from '../helpers/pipeline';
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';
import {
	breezyCompact,
	breezyHrSource,
	normaliseBreezyHr,
	signBreezyHr,
	verifyBreezyHrSignature,
} from '../../nodes/BreezyHr/breezyHrSource';
import { readRemoteEndpoint } from '../../nodes/BreezyHr/breezyHrApi';
import { baseSettings } from '../helpers/seedFixtures';

/**
 * Breezy HR webhooks (developer.breezy.hr/reference/webhooks, /webhook-security, /webhook-events).
 * The shared signature cases run in test/contract/schemes.test.ts; here: raw vs compact form, the
 * whsec_ key as text, `_id` dedup, the mapping.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'breezyhr');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
const SECRET = 'whsec_breezy-endpoint-secret';

describe('Breezy HR signature', () => {
	it('keys the HMAC with the whole whsec_ text as UTF-8 (a vector computed with Python hmac), not a base64-decoded key', () => {
		const body = '{"type":"candidateAdded","object":{}}';
		expect(signBreezyHr('whsec_test', body)).toBe(
			'7a5a29959fd36e8ab13b5ebe48fd1701efbc07a6782fbef6153052d1a4fc6b4e',
		);
	});

	it("verifies the raw bytes, and the compact JSON Breezy's examples sign when the bytes differ; says which matched", () => {
		const pretty = fixture('candidateAdded');
		expect(pretty).not.toBe(breezyCompact(pretty));
		const compactSig = signBreezyHr(SECRET, pretty);
		expect(
			verifyBreezyHrSignature({ 'x-hook-signature': compactSig }, Buffer.from(pretty), [SECRET]),
		).toEqual({ ok: true, form: 'compact' });
		const rawSig = createHmac('sha256', SECRET).update(pretty).digest('hex');
		expect(
			verifyBreezyHrSignature({ 'x-hook-signature': rawSig }, Buffer.from(pretty), [SECRET]),
		).toEqual({ ok: true, form: 'raw' });
		expect(
			verifyBreezyHrSignature(
				{ 'x-hook-signature': compactSig },
				Buffer.from(pretty.replace('Sam', 'Pam')),
				[SECRET],
			),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('reads an endpoint id from _id or id (UNCONFIRMED field name)', () => {
		expect(readRemoteEndpoint({ _id: 'a', url: 'u', events: ['x'] })).toEqual({
			id: 'a',
			url: 'u',
			events: ['x'],
		});
		expect(readRemoteEndpoint({ id: 'b', url: 'u' })).toEqual({ id: 'b', url: 'u', events: [] });
		expect(readRemoteEndpoint({ url: 'u' })).toBeUndefined();
	});
});

describe('Breezy HR mapping of every fixture', () => {
	const expected: Record<
		string,
		{ event: string; subject: [string, string]; extra?: Record<string, unknown> }
	> = {
		candidateAdded: {
			event: 'application.created',
			subject: ['application', 'a1b2c3d4e5f6'],
			extra: {
				candidate: {
					id: 'a1b2c3d4e5f6',
					email: 'sam.okafor@example.com',
					phone: '+1 503 555 0123',
				},
				job: { id: 'p9a8b7c6d5e4', title: 'Bike Mechanic' },
				application: { stage: 'Applied' },
			},
		},
		candidateStatusUpdated: {
			event: 'application.stage_changed',
			subject: ['application', 'a1b2c3d4e5f6'],
			extra: { application: { stage: 'Phone Screen', previousStage: null } },
		},
		candidateDeleted: { event: 'candidate.deleted', subject: ['candidate', 'a1b2c3d4e5f6'] },
		companyPositionAdded: {
			event: 'job.created',
			subject: ['job', 'p9a8b7c6d5e4'],
			extra: { job: { status: 'draft' } },
		},
		companyPositionStateUpdated: { event: 'job.published', subject: ['job', 'p9a8b7c6d5e4'] },
		companyNotePosted: { event: 'note.created', subject: ['note', 'n5566778899'] },
	};

	it('covers every fixture', () => {
		const files = readdirSync(FIXTURES)
			.filter((f) => f.endsWith('.json'))
			.map((f) => f.replace(/\.json$/, ''));
		expect(Object.keys(expected).sort()).toEqual(files.sort());
	});

	for (const [name, want] of Object.entries(expected)) {
		it(`${name} → ${want.event}`, () => {
			const { events } = breezyHrSource.split(
				JSON.parse(fixture(name)),
				undefined as never,
				undefined as never,
			);
			const result = normaliseBreezyHr(events[0]);
			expect(result).toMatchObject({
				event: want.event,
				subject: { type: want.subject[0], id: want.subject[1] },
				...(want.extra ?? {}),
			});
			expect(result.warnings).toBeUndefined();
		});
	}

	it('the candidate name is split into first and last name; an unknown type keeps a warning', () => {
		const { events } = breezyHrSource.split(
			JSON.parse(fixture('candidateAdded')),
			undefined as never,
			undefined as never,
		);
		expect(normaliseBreezyHr(events[0]).candidate).toMatchObject({
			firstName: 'Sam',
			lastName: 'Okafor',
		});
		expect(
			normaliseBreezyHr({
				sourceEvent: 'companyQuestionnaireAdded',
				body: { type: 'companyQuestionnaireAdded', object: {} },
			}).warnings?.[0],
		).toMatch(/not a documented Breezy HR event/);
	});
});

describe('Breezy HR source through the pipeline', () => {
	const settings = (overrides: Partial<SourceSettings> = {}): SourceSettings =>
		baseSettings({
			auth: { scheme: 'vendor', secrets: [SECRET], toleranceSeconds: 0 },
			...overrides,
		});
	let n = 0;
	const request = (raw: string, headers: Record<string, string> = {}): InboundRequest => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-breezy-webhook-version': '2', ...headers },
		rawBody: Buffer.from(raw),
		query: {},
		now: Date.parse('2026-11-22T10:00:00Z'),
	});
	const state = () => ({ scope: `bz-${n++}`, staticData: {} });
	beforeEach(() => processDedupStore.clear());

	it('accepts a signed stage change keyed by the body _id; the same event again is a duplicate', () => {
		const raw = fixture('candidateStatusUpdated');
		const headers = { 'x-hook-signature': signBreezyHr(SECRET, raw) };
		const st = state();
		const first = runAndStore(breezyHrSource, request(raw, headers), settings(), st);
		expect(first.outcome).toBe('accepted');
		expect(canonicalEventSchema.safeParse(first.events[0]).success).toBe(true);
		expect(first.events[0]).toMatchObject({
			id: 'e11a0000000000000002',
			source: 'breezyhr',
			delivery: { verified: true },
		});
		expect(runAndStore(breezyHrSource, request(raw, headers), settings(), st).outcome).toBe(
			'duplicate',
		);
	});

	it('401 unsigned or signed with another secret', () => {
		const raw = fixture('candidateAdded');
		expect(runAndStore(breezyHrSource, request(raw), settings(), state()).reply).toMatchObject({
			status: 401,
			body: { reason: 'missing_signature' },
		});
		expect(
			runAndStore(
				breezyHrSource,
				request(raw, { 'x-hook-signature': signBreezyHr('whsec_other', raw) }),
				settings(),
				state(),
			).reply.status,
		).toBe(401);
	});
});

import { runAndStore } from '../helpers/pipeline';
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';
import {
	apideckAtsSource,
	apideckSignedText,
	normaliseApideckAts,
	signApideck,
	sortKeys,
	verifyApideckSignature,
} from '../../nodes/ApideckAts/apideckAtsSource';
import { baseSettings } from '../helpers/seedFixtures';

/**
 * Apideck ATS webhooks (developers.apideck.com/guides/webhook-signature-verification; examples in
 * apideck-libraries/openapi-specs ats.yml). The shared signature cases run in
 * test/contract/schemes.test.ts; here: the keys-sorted form, the idempotency key, the mapping.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'apideckats');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
const API_KEY = 'apideck api key';

describe('Apideck signature', () => {
	it('sorts keys recursively and keeps array order, as documented', () => {
		expect(JSON.stringify(sortKeys({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }))).toBe(
			'{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
		);
	});

	it('verifies the sorted-keys form of a body sent in another key order (the "form" says which matched), and the raw bytes when Apideck sent them sorted', () => {
		const raw = fixture('ats.application.updated');
		const sig = signApideck(API_KEY, raw);
		expect(
			verifyApideckSignature({ 'x-apideck-signature': sig }, Buffer.from(raw), [API_KEY]),
		).toEqual({ ok: true, form: 'sortedKeys' });
		const sorted = apideckSignedText(raw) as string;
		expect(
			verifyApideckSignature({ 'x-apideck-signature': sig }, Buffer.from(sorted), [API_KEY]),
		).toEqual({ ok: true, form: 'raw' });
		// A raw-body HMAC (if Apideck ever signs the bytes as sent) verifies too.
		const rawSig = createHmac('sha256', API_KEY).update(raw).digest('hex');
		expect(
			verifyApideckSignature({ 'x-apideck-signature': rawSig }, Buffer.from(raw), [API_KEY]),
		).toEqual({ ok: true, form: 'raw' });
		// base64 of the same HMAC (encoding not stated) is accepted.
		expect(
			verifyApideckSignature(
				{ 'x-apideck-signature': Buffer.from(sig, 'hex').toString('base64') },
				Buffer.from(raw),
				[API_KEY],
			).ok,
		).toBe(true);
	});

	it('a changed value fails in both forms; a body that is not JSON fails without a throw', () => {
		const raw = fixture('ats.application.updated');
		const sig = signApideck(API_KEY, raw);
		expect(
			verifyApideckSignature(
				{ 'x-apideck-signature': sig },
				Buffer.from(raw.replace('APP-20931', 'APP-20932')),
				[API_KEY],
			),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
		expect(
			verifyApideckSignature({ 'x-apideck-signature': sig }, Buffer.from('not json'), [API_KEY]),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});
});

describe('Apideck mapping of every fixture', () => {
	const expected: Record<
		string,
		{ event: string; subject: [string, string]; integration: string }
	> = {
		'ats.application.created': {
			event: 'application.created',
			subject: ['application', 'APP-20931'],
			integration: 'workable',
		},
		'ats.application.updated': {
			event: 'application.updated',
			subject: ['application', 'APP-20931'],
			integration: 'workable',
		},
		'ats.job.updated': {
			event: 'job.updated',
			subject: ['job', 'JOB-7712'],
			integration: 'teamtailor',
		},
		'ats.applicant.updated': {
			event: 'candidate.updated',
			subject: ['candidate', 'CAND-5520'],
			integration: 'lever',
		},
	};

	it('covers every fixture', () => {
		const files = readdirSync(FIXTURES)
			.filter((f) => f.endsWith('.json'))
			.map((f) => f.replace(/\.json$/, ''));
		expect(Object.keys(expected).sort()).toEqual(files.sort());
	});

	for (const [name, want] of Object.entries(expected)) {
		it(`${name} → ${want.event}, the real ATS (service_id) as integration, entity_url as the subject URL`, () => {
			const body = JSON.parse(fixture(name));
			const { events } = apideckAtsSource.split(body, { headers: {} } as never, undefined as never);
			const result = normaliseApideckAts(events[0]);
			expect(result).toMatchObject({
				event: want.event,
				subject: { type: want.subject[0], id: want.subject[1], url: body.payload.entity_url },
				extra: { integration: want.integration, unifiedApi: 'ats' },
				occurredAt: body.payload.occurred_at,
			});
			expect(result.warnings).toBeUndefined();
		});
	}

	it('an unmapped event is kept as unknown with a warning', () => {
		expect(
			normaliseApideckAts({
				sourceEvent: 'crm.lead.created',
				body: { payload: { event_type: 'crm.lead.created', entity_id: 'L1' } },
			}),
		).toMatchObject({
			event: 'unknown',
			warnings: [expect.stringMatching(/not a mapped Apideck ATS event/)],
		});
	});
});

describe('Apideck source through the pipeline', () => {
	const settings = (overrides: Partial<SourceSettings> = {}): SourceSettings =>
		baseSettings({
			auth: { scheme: 'vendor', secrets: [API_KEY], toleranceSeconds: 0 },
			...overrides,
		});
	let n = 0;
	const request = (raw: string, headers: Record<string, string> = {}): InboundRequest => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		rawBody: Buffer.from(raw),
		query: {},
		now: Date.parse('2026-11-22T10:00:00Z'),
	});
	const state = () => ({ scope: `ad-${n++}`, staticData: {} });
	beforeEach(() => processDedupStore.clear());

	it('dedups on x-apideck-idempotency-key, else on payload.event_id', () => {
		const raw = fixture('ats.application.created');
		const headers = {
			'x-apideck-signature': signApideck(API_KEY, raw),
			'x-apideck-idempotency-key': 'idem-1',
		};
		const st = state();
		const first = runAndStore(apideckAtsSource, request(raw, headers), settings(), st);
		expect(first.outcome).toBe('accepted');
		expect(canonicalEventSchema.safeParse(first.events[0]).success).toBe(true);
		expect(first.events[0]).toMatchObject({
			id: 'idem-1',
			source: 'apideckats',
			integration: 'workable',
			delivery: { verified: true },
		});
		expect(runAndStore(apideckAtsSource, request(raw, headers), settings(), st).outcome).toBe(
			'duplicate',
		);
		const noKey = { 'x-apideck-signature': signApideck(API_KEY, raw) };
		const other = state();
		expect(
			runAndStore(apideckAtsSource, request(raw, noKey), settings(), other).events[0],
		).toMatchObject({ id: '5b2f6c1e-0d7a-4f3b-9a61-2c8e4d7f1a90' });
	});

	it('401 unsigned or signed with another key', () => {
		const raw = fixture('ats.job.updated');
		expect(runAndStore(apideckAtsSource, request(raw), settings(), state()).reply).toMatchObject({
			status: 401,
			body: { reason: 'missing_signature' },
		});
		expect(
			runAndStore(
				apideckAtsSource,
				request(raw, { 'x-apideck-signature': signApideck('other', raw) }),
				settings(),
				state(),
			).reply.status,
		).toBe(401);
	});
});

import { runAndStore } from '../helpers/pipeline';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { signAshby, verifyAshbySignature } from '../../nodes/Ashby/ashbySignature';
import { ashbySource, isAshbyPing, normaliseAshby, splitName } from '../../nodes/Ashby/ashbySource';
import { ASHBY_WEBHOOK_TYPES } from '../../nodes/Ashby/ashbyEvents';
import {
	ashbyBaseUrl,
	ashbyErrorMessage,
	interpretAshbyResponse,
} from '../../nodes/Ashby/ashbyApi';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';
import { baseSettings } from '../helpers/seedFixtures';

/**
 * Ashby webhooks: developers.ashbyhq.com/docs/authenticating-webhooks (`Ashby-Signature:
 * sha256=<hex>`, HMAC-SHA256(secretToken, body)), /docs/common-payload-data (webhookActionId),
 * /docs/setting-up-webhooks (ping), /docs/responses (success:false + errorInfo); docs/nodes/ashbyTrigger.md
 * and the locally computed vector in CONTRIBUTING.md "Test vectors". Fixtures follow the webhook payload reference.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'ashby');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');

describe('Ashby signature (the shared cases run in test/contract/schemes.test.ts)', () => {
	const VECTOR_BODY = '{"action":"candidateStageChange","data":{}}';
	const VECTOR_HEADER = 'sha256=3dfee0912535df6cd38195e50270fe773151ce1668a7ac00e4533315025c6373';

	it('refuses an unknown algorithm, a bare digest, an empty digest; no stored secret says to publish again', () => {
		const body = Buffer.from(VECTOR_BODY);
		expect(
			verifyAshbySignature({ 'ashby-signature': VECTOR_HEADER.replace('sha256', 'md5') }, body, [
				'test_secret',
			]),
		).toMatchObject({ ok: false, reason: 'unsupported_algorithm' });
		expect(
			verifyAshbySignature({ 'ashby-signature': VECTOR_HEADER.slice(7) }, body, ['test_secret']),
		).toMatchObject({ ok: false, reason: 'bad_signature_format' });
		expect(
			verifyAshbySignature({ 'ashby-signature': 'sha256=' }, body, ['test_secret']),
		).toMatchObject({ ok: false, reason: 'bad_signature_format' });
		const none = verifyAshbySignature({ 'ashby-signature': VECTOR_HEADER }, body, []);
		expect(none).toMatchObject({ ok: false, reason: 'no_secret' });
		expect((none as { message: string }).message).toMatch(/publish the workflow/);
	});

	it('accepts uppercase hex', () => {
		const body = Buffer.from(fixture('candidateStageChange'));
		expect(
			verifyAshbySignature(
				{ 'ashby-signature': signAshby('k', body).toUpperCase().replace('SHA256', 'sha256') },
				body,
				['k'],
			),
		).toEqual({ ok: true });
	});
});

describe('Ashby mapping of every payload type', () => {
	const app = 'b8f9c3e2-1d4a-4e6b-9c7f-2a3b4c5d6e7f';
	const cand = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
	const job = '4071538b-3cac-4fbf-ac76-f78ed250ffdd';
	const expected: Record<
		string,
		{ event: string; subject: [string, string | null]; extra?: Record<string, unknown> }
	> = {
		candidateStageChange: {
			event: 'application.stage_changed',
			subject: ['application', app],
			extra: {
				application: { id: app, stage: 'Technical Interview', previousStage: null },
				candidate: {
					id: cand,
					firstName: 'James',
					lastName: 'Holden',
					email: 'test@ashbyhq.com',
					phone: '222-222-3344',
				},
				job: { id: job, title: 'First Designer', status: null },
				occurredAt: '2026-11-20T14:30:00.000Z',
			},
		},
		applicationSubmit: {
			event: 'application.created',
			subject: ['application', app],
			extra: {
				occurredAt: '2026-11-02T09:15:00.000Z',
				application: { stage: 'Application Review' },
			},
		},
		applicationUpdate: { event: 'application.updated', subject: ['application', app] },
		candidateHire: {
			event: 'candidate.hired',
			subject: ['candidate', cand],
			extra: { application: { id: app, stage: 'Hired', previousStage: null } },
		},
		pushToHRIS: { event: 'candidate.exported', subject: ['candidate', cand] },
		candidateDelete: { event: 'candidate.deleted', subject: ['candidate', cand] },
		candidateMerge: { event: 'candidate.merged', subject: ['candidate', cand] },
		interviewScheduleCreate: {
			event: 'interview.scheduled',
			subject: ['interview', '4d5e6f7a-8b9c-4d0e-1f2a-3b4c5d6e7f80'],
			extra: { application: { id: app } },
		},
		interviewScheduleUpdate: {
			event: 'interview.updated',
			subject: ['interview', '4d5e6f7a-8b9c-4d0e-1f2a-3b4c5d6e7f80'],
			extra: { candidate: { id: cand }, occurredAt: '2026-11-21T15:00:00.000Z' },
		},
		jobPostingPublish: {
			event: 'job.published',
			subject: ['job', job],
			extra: {
				job: { id: job, title: 'Posting Title', status: null },
				subject: {
					url: 'https://jobs.ashbyhq.com/6eec82ac-9713-512d-ac2e-405618935375/d5a6bc97-4259-4bc5-b3fe-6d3edfd538e3',
				},
			},
		},
		jobPostingUnpublish: { event: 'job.unpublished', subject: ['job', job] },
		jobPostingUpdate: { event: 'job.updated', subject: ['job', job] },
		offerCreate: {
			event: 'offer.created',
			subject: ['offer', '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d'],
			extra: { application: { id: app } },
		},
		offerDelete: {
			event: 'offer.deleted',
			subject: ['offer', '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d'],
		},
		interviewPlanTransition: { event: 'job.updated', subject: ['job', job] },
		surveySubmit: {
			event: 'unknown',
			subject: ['unknown', '2f3a4b5c-6d7e-4f80-91a2-b3c4d5e6f708'],
			extra: { candidate: { id: cand } },
		},
		jobCreate: {
			event: 'job.created',
			subject: ['job', job],
			extra: { job: { id: job, title: 'First Designer', status: 'Open' } },
		},
		openingCreate: { event: 'job.updated', subject: ['job', job] },
		signatureRequestUpdate: {
			event: 'offer.updated',
			subject: ['offer', '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d'],
		},
	};

	it('covers every fixture', () => {
		const files = readdirSync(FIXTURES)
			.map((f) => f.replace(/\.json$/, ''))
			.filter((f) => f !== 'ping');
		expect(files.sort()).toEqual(Object.keys(expected).sort());
	});

	for (const [name, want] of Object.entries(expected)) {
		it(`${name} → ${want.event}`, () => {
			const body = JSON.parse(fixture(name));
			const { events } = ashbySource.split(body, undefined as never, undefined as never);
			expect(events[0].sourceEvent).toBe(name);
			expect(events[0].eventId).toBe(`${body.webhookActionId}:${name}`);
			const norm = normaliseAshby(events[0]);
			expect(norm.event).toBe(want.event);
			expect(norm.subject).toMatchObject({ type: want.subject[0], id: want.subject[1] });
			expect(norm.warnings).toBeUndefined();
			if (want.extra) expect(norm).toMatchObject(want.extra);
		});
	}

	it('maps every documented type without falling back to the generic mapper', () => {
		for (const { type, event } of ASHBY_WEBHOOK_TYPES) {
			const norm = normaliseAshby({ sourceEvent: type, body: { action: type, data: {} } });
			expect(norm.event).toBe(event);
			expect(norm.warnings?.some((w) => w.startsWith('unknown_action'))).not.toBe(true);
		}
	});

	it('an application e-signature request is an application.updated', () => {
		const norm = normaliseAshby({
			sourceEvent: 'signatureRequestUpdate',
			body: {
				action: 'signatureRequestUpdate',
				data: { relatedEntityType: 'application', applicationId: 'a-1', eventType: 'sent' },
			},
		});
		expect(norm).toMatchObject({
			event: 'application.updated',
			subject: { type: 'application', id: 'a-1' },
		});
	});

	it('schema drift keeps the event and says what is missing', () => {
		expect(
			normaliseAshby({
				sourceEvent: 'candidateStageChange',
				body: { action: 'candidateStageChange', data: {} },
			}),
		).toMatchObject({
			event: 'application.stage_changed',
			warnings: ['field_missing: data.application'],
		});
		expect(
			normaliseAshby({
				sourceEvent: 'candidateStageChange',
				body: { action: 'candidateStageChange' },
			}).warnings,
		).toEqual(['data_missing: the body has no "data" object']);
		expect(
			normaliseAshby({
				sourceEvent: 'applicationArchive',
				body: { action: 'applicationArchive', data: { application: { id: 'x' } } },
			}).warnings?.[0],
		).toMatch(/^unknown_action/);
	});

	it('splits the single Ashby name at the first space', () => {
		expect(splitName('James Holden')).toEqual({ firstName: 'James', lastName: 'Holden' });
		expect(splitName('Mary Ann  Smith')).toEqual({ firstName: 'Mary', lastName: 'Ann  Smith' });
		expect(splitName('Cher')).toEqual({ firstName: 'Cher', lastName: null });
		expect(splitName(undefined)).toEqual({ firstName: null, lastName: null });
	});

	it('recognises the documented ping', () => {
		expect(isAshbyPing(JSON.parse(fixture('ping')))).toBe(true);
		expect(isAshbyPing(JSON.parse(fixture('candidateStageChange')))).toBe(false);
	});
});

describe('Ashby source through the pipeline', () => {
	let n = 0;
	const settings = (overrides: Partial<SourceSettings> = {}): SourceSettings =>
		baseSettings({
			auth: { scheme: 'vendor', secrets: ['generated-secret'], toleranceSeconds: 0 },
			dedup: { enabled: true, window: 100 },
			...overrides,
		});
	const request = (raw: string, headers: Record<string, string> = {}): InboundRequest => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		rawBody: Buffer.from(raw),
		query: {},
		now: Date.now(),
	});
	const signed = (raw: string, secret = 'generated-secret') =>
		request(raw, { 'ashby-signature': signAshby(secret, raw) });
	beforeEach(() => processDedupStore.clear());

	it('dedups on webhookActionId + action: a retry is a duplicate, the related applicationUpdate with the same id is not', () => {
		const st = { scope: `ashby-${n++}`, staticData: {} };
		const stage = fixture('candidateStageChange');
		const update = fixture('applicationUpdate');
		const first = runAndStore(ashbySource, signed(stage), settings(), st);
		expect(first.outcome).toBe('accepted');
		expect(canonicalEventSchema.safeParse(first.events[0]).success).toBe(true);
		expect(first.events[0]).toMatchObject({
			id: '75395d87-4044-4dc4-bc29-0cec185e5f06:candidateStageChange',
			delivery: { id: '75395d87-4044-4dc4-bc29-0cec185e5f06', verified: true },
		});
		expect(runAndStore(ashbySource, signed(stage), settings(), st).outcome).toBe('duplicate');
		expect(runAndStore(ashbySource, signed(update), settings(), st).outcome).toBe('accepted');
	});

	it('without a stored secret: the ping gets 200, anything else 503 with Retry-After (never 401, which Ashby does not retry)', () => {
		const noSecret = settings({ auth: { scheme: 'vendor', secrets: [], toleranceSeconds: 0 } });
		expect(
			runAndStore(ashbySource, signed(fixture('candidateHire')), noSecret, {
				scope: 'ns',
				staticData: {},
			}),
		).toMatchObject({
			outcome: 'handshake',
			events: [],
			reply: { status: 503, headers: { 'Retry-After': '60' }, body: { reason: 'no_secret' } },
		});
		expect(
			runAndStore(ashbySource, request('{not json'), noSecret, { scope: 'ns2', staticData: {} })
				.reply.status,
		).toBe(503);
	});

	it('answers the ping unsigned (the secret is not saved yet while create() runs), and refuses unsigned events', () => {
		expect(
			runAndStore(
				ashbySource,
				request(fixture('ping')),
				settings({ auth: { scheme: 'vendor', secrets: [], toleranceSeconds: 0 } }),
				{ scope: 'p', staticData: {} },
			),
		).toMatchObject({
			outcome: 'ping',
			reply: { status: 200 },
		});
		expect(
			runAndStore(ashbySource, request(fixture('candidateHire')), settings(), {
				scope: `a-${n++}`,
				staticData: {},
			}).reply.status,
		).toBe(401);
	});
});

describe('Ashby API answers', () => {
	it('reads success, errorInfo, errors and HTTP statuses', () => {
		expect(interpretAshbyResponse(200, { success: true, results: { id: 'w1' } })).toEqual({
			ok: true,
			results: { id: 'w1' },
		});
		expect(
			interpretAshbyResponse(200, {
				success: false,
				errorInfo: { code: 'webhook_not_found', message: 'Webhook not found' },
			}),
		).toMatchObject({ ok: false, kind: 'not_found' });
		expect(
			interpretAshbyResponse(200, { success: false, errors: ['missing_permission'] }),
		).toMatchObject({ ok: false, kind: 'api', code: 'missing_permission' });
		expect(interpretAshbyResponse(401, {})).toMatchObject({ ok: false, kind: 'auth', status: 401 });
		expect(interpretAshbyResponse(503, 'busy')).toMatchObject({
			ok: false,
			kind: 'http',
			status: 503,
		});
	});

	it('error messages say what to do and never carry the key', () => {
		expect(
			ashbyErrorMessage(
				{ ok: false, kind: 'auth', status: 401, message: '' },
				'create the candidateHire webhook',
			),
		).toBe(
			'Ashby rejected the API key (401) when trying to create the candidateHire webhook: check the key in the Ashby credential is correct and still active.',
		);
		expect(
			ashbyErrorMessage(
				{
					ok: false,
					kind: 'api',
					code: 'missing_permission',
					message: 'The API key is missing the apiKeysWrite permission',
				},
				'create the x webhook',
			),
		).toMatch(/apiKeysWrite permission/);
	});

	it('uses api.ashbyhq.com unless a custom base URL is switched on', () => {
		expect(ashbyBaseUrl({ apiKey: 'k' })).toBe('https://api.ashbyhq.com');
		expect(ashbyBaseUrl({ useCustomBaseUrl: false, baseUrl: 'http://127.0.0.1:1' })).toBe(
			'https://api.ashbyhq.com',
		);
		expect(ashbyBaseUrl({ useCustomBaseUrl: true, baseUrl: 'http://127.0.0.1:1/' })).toBe(
			'http://127.0.0.1:1',
		);
	});
});

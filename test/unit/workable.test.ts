import { runAndStore } from '../helpers/pipeline';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { signWorkable, verifyWorkableSignature } from '../../nodes/Workable/workableSignature';
import {
	normaliseWorkable,
	workableSource,
	workableTarget,
} from '../../nodes/Workable/workableSource';
import { WORKABLE_EVENTS } from '../../nodes/Workable/workableEvents';
import {
	interpretWorkableResponse,
	normaliseSubdomain,
	workableBaseUrl,
	workableErrorMessage,
} from '../../nodes/Workable/workableApi';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';

/**
 * Workable webhooks: workable.readme.io/reference/webhooks "Encryption" (HMAC SHA256 of the payload,
 * key = account token or OAuth app secret, header X-Workable-Signature; encoding not stated),
 * /reference/candidate-events, /reference/employee-events; docs/nodes/workableTrigger.md and the locally
 * computed vector in CONTRIBUTING.md "Test vectors".
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'workable');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');

describe('Workable signature', () => {
	// CONTRIBUTING.md "Test vectors": token test_secret, body {"data":{"id":"3fc9a80f"}}.
	const VECTOR_BODY = '{"data":{"id":"3fc9a80f"}}';
	const VECTOR_HEX = 'd7ac823ab4d818b0f9c5ea2a131dd71b7a31f6beb068806d8c777bec824bee30';
	const body = Buffer.from(VECTOR_BODY);
	const check = (
		value: string | string[] | undefined,
		secrets: string[] = ['test_secret'],
		raw = body,
	) =>
		verifyWorkableSignature(
			value === undefined ? {} : { 'x-workable-signature': value },
			raw,
			secrets,
		);

	it('accepts the valid vector in hex, and the same HMAC in base64 (encoding UNCONFIRMED, both accepted)', () => {
		expect(check(VECTOR_HEX)).toEqual({ ok: true });
		expect(check(VECTOR_HEX.toUpperCase())).toEqual({ ok: true });
		const b64 = Buffer.from(VECTOR_HEX, 'hex').toString('base64');
		expect(signWorkable('test_secret', VECTOR_BODY, 'base64')).toBe(b64);
		expect(check(b64)).toEqual({ ok: true });
		expect(check(b64.replace(/=+$/, ''))).toEqual({ ok: true });
		expect(check(Buffer.from(VECTOR_HEX, 'hex').toString('base64url'))).toEqual({ ok: true });
	});

	it('refuses a truncated HMAC and no configured key (other negative cases: test/contract/schemes.test.ts)', () => {
		expect(check(VECTOR_HEX.slice(0, 40))).toMatchObject({
			ok: false,
			reason: 'bad_signature_format',
		});
		expect(check(VECTOR_HEX, [])).toMatchObject({ ok: false, reason: 'no_secret' });
	});

	it('accepts the OAuth app secret or the account token, whichever signed', () => {
		const sig = signWorkable('oauth-app-secret', VECTOR_BODY);
		expect(check(sig, ['oauth-app-secret', 'account-token'])).toEqual({ ok: true });
		expect(
			check(signWorkable('account-token', VECTOR_BODY), ['oauth-app-secret', 'account-token']),
		).toEqual({ ok: true });
	});
});

describe('Workable mapping', () => {
	const expected: Record<
		string,
		{
			event: string;
			sourceEvent: string;
			subject: [string, string | null];
			extra?: Record<string, unknown>;
			warnings?: boolean;
		}
	> = {
		candidate_created: {
			event: 'candidate.created',
			sourceEvent: 'candidate_created',
			subject: ['candidate', '3fc9a80f'],
			extra: {
				candidate: {
					id: '3fc9a80f',
					firstName: 'Lakita',
					lastName: 'Marrero',
					email: 'lakita.marrero@example.com',
					phone: '+1 202 555 0101',
				},
				job: { id: 'GROOV005', title: 'Sales Intern', status: null },
				occurredAt: '2026-11-10T09:00:01.120Z',
			},
		},
		candidate_moved: {
			event: 'application.stage_changed',
			sourceEvent: 'candidate_moved',
			subject: ['application', '3fc9a80f'],
			extra: {
				application: { id: '3fc9a80f', stage: 'Interview', previousStage: null },
				occurredAt: '2026-11-21T13:45:02.310Z',
			},
		},
		candidate_moved_hired: {
			event: 'candidate.hired',
			sourceEvent: 'candidate_moved',
			subject: ['candidate', '3fc9a80f'],
			extra: { application: { stage: 'Hired' } },
		},
		candidate_moved_disqualified: {
			event: 'candidate.rejected',
			sourceEvent: 'candidate_moved',
			subject: ['candidate', '3fc9a80f'],
		},
		employee_created: {
			event: 'unknown',
			sourceEvent: 'employee_created',
			subject: ['unknown', '4d3'],
			extra: { occurredAt: '2024-01-08T14:01:06.217Z' },
		},
		candidate_moved_data_only: {
			event: 'application.stage_changed',
			sourceEvent: 'candidate_moved',
			subject: ['application', '3fc9a80f'],
		},
	};

	it('covers every fixture', () => {
		expect(
			readdirSync(FIXTURES)
				.map((f) => f.replace(/\.json$/, ''))
				.sort(),
		).toEqual(Object.keys(expected).sort());
	});

	for (const [name, want] of Object.entries(expected)) {
		it(`${name} → ${want.event}`, () => {
			const body = JSON.parse(fixture(name));
			// The trigger subscribes with ?event=<name> on the target; data-only bodies rely on it.
			const request = { query: { event: want.sourceEvent } } as unknown as InboundRequest;
			const { events } = workableSource.split(body, request, undefined as never);
			expect(events[0].sourceEvent).toBe(want.sourceEvent);
			const norm = normaliseWorkable(events[0]);
			expect(norm.event).toBe(want.event);
			expect(norm.subject).toMatchObject({ type: want.subject[0], id: want.subject[1] });
			expect(norm.warnings).toBeUndefined();
			if (want.extra) expect(norm).toMatchObject(want.extra);
		});
	}

	it('event_type in the body wins over the query; neither gives an unknown event with a warning, not a lost one', () => {
		const body = JSON.parse(fixture('candidate_created'));
		expect(
			workableSource.split(
				body,
				{ query: { event: 'candidate_moved' } } as never,
				undefined as never,
			).events[0].sourceEvent,
		).toBe('candidate_created');
		const bare = JSON.parse(fixture('candidate_moved_data_only'));
		const { events } = workableSource.split(bare, { query: {} } as never, undefined as never);
		const norm = normaliseWorkable(events[0]);
		expect(norm).toMatchObject({ event: 'unknown', subject: { id: '3fc9a80f' } });
		expect(norm.warnings?.[0]).toMatch(/^event_name_missing/);
	});

	it('dedup key: event + resource id + fired_at when the envelope has them, else none (the pipeline hashes the body)', () => {
		const moved = workableSource.split(
			JSON.parse(fixture('candidate_moved')),
			{ query: {} } as never,
			undefined as never,
		).events[0];
		expect(moved.eventId).toBe('candidate_moved:3fc9a80f:2026-11-21T13:45:02.310Z');
		const hired = workableSource.split(
			JSON.parse(fixture('candidate_moved_hired')),
			{ query: {} } as never,
			undefined as never,
		).events[0];
		expect(hired.eventId).not.toBe(moved.eventId);
		expect(
			workableSource.split(
				JSON.parse(fixture('candidate_moved_data_only')),
				{ query: {} } as never,
				undefined as never,
			).events[0].eventId,
		).toBeUndefined();
	});

	it('every offered event maps without the generic fallback; drift keeps the event with warnings', () => {
		for (const { event, canonical } of WORKABLE_EVENTS) {
			const norm = normaliseWorkable({
				sourceEvent: event,
				body: { event_type: event, data: { id: 'x', stage: 'Applied' } },
			});
			expect(norm.event).toBe(canonical);
			expect(norm.warnings).toBeUndefined();
		}
		expect(
			normaliseWorkable({
				sourceEvent: 'candidate_moved',
				body: { event_type: 'candidate_moved' },
			}),
		).toMatchObject({
			event: 'application.stage_changed',
			warnings: ['data_missing: the body has no "data" object'],
		});
		const flat = normaliseWorkable({
			sourceEvent: 'candidate_moved',
			body: { id: 'c1', firstname: 'A', stage: 'Offer' },
		});
		expect(flat).toMatchObject({
			application: { stage: 'Offer' },
			warnings: ['data_wrapper_missing: the candidate was read from the top level of the body'],
		});
		expect(
			normaliseWorkable({ sourceEvent: 'candidate_rated', body: { data: { id: 'c1' } } })
				.warnings?.[0],
		).toMatch(/^unknown_event/);
	});

	it('builds one distinct target per event from the webhook URL', () => {
		expect(workableTarget('https://n8n.example.com/webhook/abc/webhook', 'candidate_moved')).toBe(
			'https://n8n.example.com/webhook/abc/webhook?event=candidate_moved',
		);
	});
});

describe('Workable source through the pipeline', () => {
	const settings: SourceSettings = {
		auth: { scheme: 'vendor', secrets: ['acct-token'], toleranceSeconds: 0 },
		events: [],
		dedup: { enabled: true, window: 100 },
		privacy: false,
		maxBodyBytes: 5 * 1024 * 1024,
		responseCode: 0,
		batchAsOneItem: false,
		emitTestEvents: false,
	};
	const request = (
		raw: string,
		signature?: string,
		query: Record<string, unknown> = {},
	): InboundRequest => ({
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(signature ? { 'x-workable-signature': signature } : {}),
		},
		rawBody: Buffer.from(raw),
		query,
		now: Date.now(),
	});
	beforeEach(() => processDedupStore.clear());

	it('accepts a signed candidate_moved, refuses the unsigned one, drops the retry', () => {
		const raw = fixture('candidate_moved');
		const st = { scope: 'wk-1', staticData: {} };
		const ok = runAndStore(
			workableSource,
			request(raw, signWorkable('acct-token', raw)),
			settings,
			st,
		);
		expect(ok.outcome).toBe('accepted');
		expect(canonicalEventSchema.safeParse(ok.events[0]).success).toBe(true);
		expect(runAndStore(workableSource, request(raw), settings, st).reply).toMatchObject({
			status: 401,
			body: { reason: 'missing_signature' },
		});
		expect(
			runAndStore(workableSource, request(raw, signWorkable('acct-token', raw)), settings, st)
				.outcome,
		).toBe('duplicate');
	});

	it('filters: a hire arriving on candidate_moved passes a filter of "candidate_moved" and of "candidate.hired", not of "candidate.created"', () => {
		const raw = fixture('candidate_moved_hired');
		const sig = signWorkable('acct-token', raw);
		let scope = 0;
		const run = (events: string[]) =>
			runAndStore(
				workableSource,
				request(raw, sig),
				{ ...settings, events },
				{ scope: `wk-f${scope++}`, staticData: {} },
			).outcome;
		expect(run(['candidate_moved'])).toBe('accepted');
		expect(run(['candidate.hired'])).toBe('accepted');
		expect(run(['candidate.created'])).toBe('filtered');
	});
});

describe('Workable API helpers', () => {
	it('normalises the subdomain and builds the base URL', () => {
		expect(normaliseSubdomain('https://acme.workable.com/')).toBe('acme');
		expect(normaliseSubdomain(' acme ')).toBe('acme');
		expect(workableBaseUrl({ subdomain: 'acme.workable.com' })).toBe(
			'https://acme.workable.com/spi/v3',
		);
		expect(
			workableBaseUrl({
				subdomain: 'acme',
				useCustomBaseUrl: true,
				baseUrl: 'http://127.0.0.1:9/spi/v3/',
			}),
		).toBe('http://127.0.0.1:9/spi/v3');
	});

	it('classifies answers and words errors so the user knows what to do', () => {
		expect(interpretWorkableResponse(201, { id: 1 })).toEqual({
			ok: true,
			status: 201,
			body: { id: 1 },
		});
		expect(interpretWorkableResponse(409, { error: 'Conflict' })).toMatchObject({
			ok: false,
			kind: 'conflict',
			message: 'Conflict',
		});
		const forbidden = interpretWorkableResponse(403, { error: 'Insufficient scope' });
		expect(workableErrorMessage(forbidden as never, 'subscribe to candidate_moved')).toMatch(
			/needs the r_candidates scope/,
		);
		expect(workableErrorMessage(interpretWorkableResponse(401, {}) as never, 'list jobs')).toMatch(
			/^Workable rejected the access token \(401\)/,
		);
	});
});

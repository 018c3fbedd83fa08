import { runAndStore } from '../helpers/pipeline';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { InboundRequest } from '../../nodes/core/pipeline/types';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import {
	signLever,
	signLeverBody,
	verifyLeverBody,
	verifyLeverRawBody,
} from '../../nodes/Lever/leverSignature';
import { leverSource, normaliseLever, type LeverSettings } from '../../nodes/Lever/leverSource';
import { LEVER_EVENTS } from '../../nodes/Lever/leverEvents';
import { TokenReplayCache } from '../../nodes/Lever/tokenReplayCache';
import {
	isSettled,
	originsFor,
	planLever,
	readCreatedWebhook,
	readStore,
	type StoredLeverWebhook,
} from '../../nodes/Lever/leverApi';

/**
 * Lever (docs/nodes/leverTrigger.md; Lever developer documentation, "Webhooks"): signature =
 * hex(HMAC-SHA256(signatureToken, token + triggeredAt)), a field of the JSON body.
 * Fixtures in test/fixtures/lever are the documented examples.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lever');
const fixture = (name: string) =>
	JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as {
		body: Record<string, unknown>;
	};

const SECRET = 'lever-signature-token-for-tests';
const NOW = 1_700_000_000_000;

/** A fixture body signed the way Lever signs it, at `triggeredAt`. */
function signed(
	name: string,
	overrides: Record<string, unknown> = {},
	secret = SECRET,
	triggeredAt = NOW,
): Record<string, unknown> {
	const body: Record<string, unknown> = { ...fixture(name).body, triggeredAt, ...overrides };
	return { ...body, signature: signLever(secret, String(body.token), String(body.triggeredAt)) };
}

const verify = (body: unknown, secrets = [SECRET], nowMs = NOW, toleranceSeconds = 300) =>
	verifyLeverBody(body, { secrets, toleranceSeconds, nowSeconds: Math.floor(nowMs / 1000) });

describe('Lever signature', () => {
	it('matches the locally computed vector of CONTRIBUTING.md "Test vectors" (token + triggeredAt from the doc example)', () => {
		expect(
			signLever('test_secret', 'be58f711f349c7780e4579cd7c63341ac6f881e4dccc3154', 1431454330072),
		).toBe('42320983cfd0749a2934cd01720a8fbc9379137a741860fbce35fa92cfaa94c0');
		const body = {
			...fixture('candidateStageChange').body,
			signature: '42320983cfd0749a2934cd01720a8fbc9379137a741860fbce35fa92cfaa94c0',
		};
		expect(verify(body, ['test_secret'], 1431454330072)).toEqual({ ok: true });
	});

	it('follows the JavaScript sample of the Lever docs (createHmac over token + triggeredAt, hex)', () => {
		const body = signed('candidateStageChange');
		const docSample = createHmac('sha256', SECRET)
			.update(String(body.token) + String(body.triggeredAt))
			.digest('hex');
		expect(body.signature).toBe(docSample);
		expect(verify(body)).toEqual({ ok: true });
	});

	it('refuses a tampered body: another token or another triggeredAt', () => {
		const body = signed('candidateStageChange');
		expect(verify({ ...body, token: 'x'.repeat(48) })).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
		expect(verify({ ...body, triggeredAt: NOW - 1 })).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
		expect(
			verify({
				...body,
				signature: String(body.signature).replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
			}),
		).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});

	it('refuses a wrong secret, accepts any of several stored tokens (one per Lever webhook)', () => {
		const body = signed('candidateStageChange');
		expect(verify(body, ['another-token'])).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
		expect(
			verify(body, ['token-of-applicationCreated', SECRET, 'token-of-candidateHired']),
		).toEqual({ ok: true });
		expect(verify(body, [])).toMatchObject({ ok: false, reason: 'no_secret' });
		expect(verify(body, ['', null as unknown as string])).toMatchObject({
			ok: false,
			reason: 'no_secret',
		});
	});

	it('refuses a missing signature (Lever signs in the body, not a header), token or triggeredAt', () => {
		const body = signed('candidateStageChange');
		const { signature: _s, ...unsigned } = body;
		expect(verify(unsigned)).toMatchObject({ ok: false, reason: 'missing_signature' });
		expect(verify({ ...body, signature: '' })).toMatchObject({
			ok: false,
			reason: 'missing_signature',
		});
		const { token: _t, ...noToken } = body;
		expect(verify(noToken)).toMatchObject({ ok: false, reason: 'missing_token' });
		const { triggeredAt: _ts, ...noTime } = body;
		expect(verify(noTime)).toMatchObject({ ok: false, reason: 'missing_timestamp' });
		expect(verify({ ...body, triggeredAt: 'yesterday' })).toMatchObject({
			ok: false,
			reason: 'bad_timestamp',
		});
		expect(verify([body])).toMatchObject({ ok: false, reason: 'not_an_object' });
	});

	it('refuses stale and future triggeredAt (ms) outside the window, both ways; 0 turns the window off', () => {
		const stale = signed('candidateStageChange', {}, SECRET, NOW - 301_000);
		const future = signed('candidateStageChange', {}, SECRET, NOW + 301_000);
		expect(verify(stale)).toMatchObject({ ok: false, reason: 'timestamp_too_old' });
		expect(verify(future)).toMatchObject({ ok: false, reason: 'timestamp_in_future' });
		expect(verify(signed('candidateStageChange', {}, SECRET, NOW - 299_000))).toEqual({ ok: true });
		expect(verify(stale, [SECRET], NOW, 0)).toEqual({ ok: true });
	});

	it('accepts upper-case hex and a triggeredAt sent as a string', () => {
		const body = signed('candidateStageChange');
		expect(verify({ ...body, signature: String(body.signature).toUpperCase() })).toEqual({
			ok: true,
		});
		expect(verify({ ...body, triggeredAt: String(NOW) })).toEqual({ ok: true });
	});

	it('reads the raw bytes itself: malformed JSON, an empty body and a BOM', () => {
		const opts = { secrets: [SECRET], toleranceSeconds: 300, nowSeconds: NOW / 1000 };
		expect(verifyLeverRawBody(Buffer.from('{"token":'), opts)).toMatchObject({
			ok: false,
			reason: 'malformed_json',
		});
		expect(verifyLeverRawBody(Buffer.alloc(0), opts)).toMatchObject({
			ok: false,
			reason: 'empty_body',
		});
		expect(verifyLeverRawBody(undefined, opts)).toMatchObject({ ok: false, reason: 'empty_body' });
		const raw = Buffer.from(`\uFEFF${JSON.stringify(signed('candidateStageChange'))}`);
		expect(verifyLeverRawBody(raw, opts)).toEqual({ ok: true });
	});

	it('signLeverBody builds what Lever sends (and what the e2e suite sends)', () => {
		const body = signLeverBody(SECRET, {
			event: 'candidateHired',
			data: {},
			triggeredAt: NOW,
			token: 't'.repeat(48),
		});
		expect(verify(body)).toEqual({ ok: true });
	});
});

describe('Lever replay of a signed token with another body', () => {
	it('lets the same token and body through (a retry, dedup answers it) and refuses altered data', () => {
		const cache = new TokenReplayCache();
		const body = Buffer.from(JSON.stringify(signed('candidateStageChange')));
		const altered = Buffer.from(
			JSON.stringify({
				...signed('candidateStageChange'),
				data: { opportunityId: 'someone-else' },
			}),
		);
		expect(cache.check('tok', body, NOW, 600_000)).toBe(true);
		expect(cache.check('tok', body, NOW + 1000, 600_000)).toBe(true);
		expect(cache.check('tok', altered, NOW + 2000, 600_000)).toBe(false);
		// Past the window the signature check refuses it anyway; the cache forgets it.
		expect(cache.check('tok', altered, NOW + 601_000, 600_000)).toBe(true);
	});

	it('stays bounded', () => {
		const cache = new TokenReplayCache(3);
		for (let i = 0; i < 10; i++) cache.check(`t${i}`, Buffer.from('a'), NOW, 0);
		expect(cache.check('t0', Buffer.from('b'), NOW, 0)).toBe(true); // evicted long ago
		expect(cache.check('t9', Buffer.from('b'), NOW, 0)).toBe(false); // still known
	});
});

function settings(overrides: Partial<LeverSettings> = {}): LeverSettings {
	return {
		auth: { scheme: 'vendor', secrets: [SECRET], toleranceSeconds: 300 },
		events: [],
		dedup: { enabled: true, window: 100 },
		privacy: false,
		maxBodyBytes: 1024 * 1024,
		responseCode: 0,
		batchAsOneItem: false,
		emitTestEvents: false,
		replayCache: new TokenReplayCache(),
		...overrides,
	};
}

let scopeCounter = 0;
function run(
	body: unknown,
	s: LeverSettings = settings(),
	raw?: string,
	state = { scope: `lever-unit-${scopeCounter++}`, staticData: {} },
) {
	const request: InboundRequest = {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'user-agent': 'Lever-Webhooks' },
		rawBody: Buffer.from(raw ?? JSON.stringify(body)),
		query: {},
		now: NOW,
	};
	return { result: runAndStore(leverSource, request, s, state), state };
}

describe('Lever through the pipeline', () => {
	afterAll(() => processDedupStore.clear?.());

	it('emits the documented stage change as application.stage_changed with stage and previousStage', () => {
		const { result } = run(signed('candidateStageChange'));
		expect(result.outcome).toBe('accepted');
		expect(result.reply.status).toBe(200);
		expect(result.events).toHaveLength(1);
		expect(result.events[0]).toMatchObject({
			source: 'lever',
			event: 'application.stage_changed',
			sourceEvent: 'candidateStageChange',
			occurredAt: new Date(NOW).toISOString(),
			subject: { type: 'application', id: '3410c8b9-5c31-4bab-b7e9-9f710206d647' },
			candidate: { id: '05c248f9-ccb1-435f-bab5-0ec608aec263' },
			application: {
				id: '3410c8b9-5c31-4bab-b7e9-9f710206d647',
				stage: '7c2690d8-6308-4ed9-ae2a-cbfe7db26593',
				previousStage: '992f01a9-ee19-41d2-ae79-1040701b195c',
			},
			delivery: {
				id: 'be58f711f349c7780e4579cd7c63341ac6f881e4dccc3154',
				verified: true,
				scheme: 'vendor',
			},
			payload: {
				event: 'candidateStageChange',
				data: { toStageId: '7c2690d8-6308-4ed9-ae2a-cbfe7db26593' },
			},
		});
		expect(result.events[0]).not.toHaveProperty('warnings');
	});

	it('answers the documented test delivery (data: {}) with 200 and starts nothing, unless test events are wanted', () => {
		const quiet = run(signed('test_candidateHired')).result;
		expect(quiet.outcome).toBe('ping');
		expect(quiet.reply.status).toBe(200);
		expect(quiet.events).toHaveLength(0);
		const shown = run(signed('test_candidateHired'), settings({ emitTestEvents: true })).result;
		expect(shown.events).toHaveLength(1);
		expect(shown.events[0]).toMatchObject({
			event: 'test',
			sourceEvent: 'candidateHired',
			subject: { type: 'test' },
		});
	});

	it('refuses an unsigned test delivery: Lever signs its test request too', () => {
		const { signature: _s, ...unsigned } = signed('test_candidateHired');
		const { result } = run(unsigned);
		expect(result.outcome).toBe('unauthorized');
		expect(result.reply).toMatchObject({ status: 401, body: { reason: 'missing_signature' } });
	});

	it('deduplicates on the documented event id when present, else on the token', () => {
		const state = { scope: 'lever-dedup', staticData: {} };
		const hired = signed('candidateHired');
		expect(run(hired, settings(), undefined, state).result.outcome).toBe('accepted');
		// Lever re-sends the event: new token and signature, same event id.
		const resent = signed('candidateHired', { token: 'n'.repeat(48) });
		expect(run(resent, settings(), undefined, state).result).toMatchObject({
			outcome: 'duplicate',
			reply: { status: 200 },
		});
		// Without an id, the same token is the same delivery.
		const stage = signed('candidateStageChange');
		expect(run(stage, settings(), undefined, state).result.outcome).toBe('accepted');
		expect(run(stage, settings(), undefined, state).result.outcome).toBe('duplicate');
		const { result } = run(
			signed('candidateStageChange', { token: 'm'.repeat(48) }),
			settings(),
			undefined,
			state,
		);
		expect(result.outcome).toBe('accepted');
	});

	it('refuses a captured signature replayed with altered data (the signature does not cover data)', () => {
		const s = settings();
		const original = signed('candidateStageChange');
		expect(run(original, s).result.outcome).toBe('accepted');
		const forged = {
			...original,
			id: 'forged-id',
			data: { opportunityId: 'someone-else', toStageId: 'offer' },
		};
		const { result } = run(forged, s);
		expect(result.outcome).toBe('unauthorized');
		expect(result.reply.body).toMatchObject({ reason: 'token_replayed' });
		expect(JSON.stringify(result.reply.body)).not.toContain('someone-else');
	});

	it('filters on Lever names or canonical names', () => {
		expect(
			run(signed('candidateStageChange'), settings({ events: ['candidateHired'] })).result.outcome,
		).toBe('filtered');
		expect(
			run(signed('candidateStageChange'), settings({ events: ['application.stage_changed'] }))
				.result.outcome,
		).toBe('accepted');
	});

	it('answers 401 with a reason for a malformed body and never echoes candidate data', () => {
		const { result } = run(
			undefined,
			settings(),
			'{"event":"candidateHired","data":{"email":"ada@example.com"',
		);
		expect(result.reply).toMatchObject({ status: 401, body: { reason: 'malformed_json' } });
		expect(JSON.stringify(result.reply)).not.toContain('ada@example.com');
	});
});

describe('Lever event mapping', () => {
	const cases: Array<[string, Record<string, unknown>]> = [
		[
			'applicationCreated',
			{
				event: 'application.created',
				subject: { type: 'application', id: '3410c8b9-5c31-4bab-b7e9-9f710206d647' },
			},
		],
		[
			'candidateHired',
			{
				event: 'candidate.hired',
				subject: { type: 'candidate', id: '05c248f9-ccb1-435f-bab5-0ec608aec263' },
				application: { id: '3410c8b9-5c31-4bab-b7e9-9f710206d647' },
			},
		],
		[
			'candidateArchiveChange',
			{
				event: 'application.updated',
				subject: { type: 'application', id: '3410c8b9-5c31-4bab-b7e9-9f710206d647' },
			},
		],
		[
			'candidateDeleted',
			{
				event: 'candidate.deleted',
				subject: { type: 'candidate', id: '05c248f9-ccb1-435f-bab5-0ec608aec263' },
			},
		],
		[
			'contactUpdated',
			{
				event: 'candidate.updated',
				subject: { type: 'candidate', id: '05c248f9-ccb1-435f-bab5-0ec608aec263' },
			},
		],
		[
			'interviewCreated',
			{
				event: 'interview.scheduled',
				subject: { type: 'interview', id: 'e1c4b9a0-7a8b-4c1d-9e2f-3a4b5c6d7e8f' },
			},
		],
	];
	it.each(cases)('%s', (name, expected) => {
		const body = fixture(name).body;
		const norm = normaliseLever({ sourceEvent: String(body.event), body });
		expect(norm).toMatchObject(expected);
		expect(norm.warnings).toEqual([]);
	});

	it('maps every documented Lever event to a canonical event', () => {
		for (const e of LEVER_EVENTS) {
			const norm = normaliseLever({
				sourceEvent: e.value,
				body: { event: e.value, data: { opportunityId: 'o', contactId: 'c', interviewId: 'i' } },
			});
			expect(norm.event).toBe(e.canonical);
			expect(norm.subject.id).not.toBeNull();
		}
	});

	it('keeps an unknown event or a changed shape, with warnings (schema drift loses nothing)', () => {
		const unknown = normaliseLever({
			sourceEvent: 'offerSigned',
			body: { event: 'offerSigned', data: { offerId: 'x' } },
		});
		expect(unknown.event).toBe('unknown');
		expect(unknown.warnings?.[0]).toMatch(/event_unknown/);
		const noData = normaliseLever({
			sourceEvent: 'candidateStageChange',
			body: { event: 'candidateStageChange', data: 'moved' },
		});
		expect(noData.event).toBe('application.stage_changed');
		expect(noData.warnings).toEqual(
			expect.arrayContaining([expect.stringMatching(/data_missing/)]),
		);
		const { result } = run(signed('candidateStageChange', { data: [1, 2] }));
		expect(result.outcome).toBe('accepted');
		expect(result.events[0]).toMatchObject({
			event: 'application.stage_changed',
			payload: { data: [1, 2] },
		});
		expect((result.events[0] as { warnings: string[] }).warnings.join(' ')).toMatch(/data_missing/);
	});
});

describe('Lever subscription planning (pure)', () => {
	const URL_A = 'https://n8n.example.com/webhook/a/webhook';
	const stored = (
		id: string,
		event: string,
		extra: Partial<StoredLeverWebhook> = {},
	): StoredLeverWebhook => ({ id, event, url: URL_A, token: `tok-${id}`, origins: [], ...extra });

	it('creates what is missing, keeps what Lever still has, forgets what Lever deleted', () => {
		const plan = planLever(
			{
				url: URL_A,
				events: ['candidateHired', 'candidateStageChange', 'applicationCreated'],
				origins: [],
			},
			{ webhooks: [stored('1', 'candidateHired'), stored('2', 'candidateStageChange')] },
			[{ id: '1', url: URL_A, event: 'candidateHired' }],
		);
		expect(plan.keep.map((w) => w.id)).toEqual(['1']);
		expect(plan.create).toEqual(['candidateStageChange', 'applicationCreated']);
		expect(plan.remove).toEqual([]);
		expect(isSettled(plan)).toBe(false);
	});

	it('removes deselected events, changed URLs and changed origins; deletes leftovers at our URL', () => {
		const plan = planLever(
			{ url: URL_A, events: ['candidateStageChange'], origins: ['applied'] },
			{
				webhooks: [
					stored('1', 'candidateHired'),
					stored('2', 'candidateStageChange'),
					stored('3', 'contactCreated', { url: 'https://old/webhook' }),
				],
			},
			[
				{ id: '1', url: URL_A, event: 'candidateHired' },
				{ id: '2', url: URL_A, event: 'candidateStageChange' },
				{ id: '3', url: 'https://old/webhook', event: 'contactCreated' },
				{ id: '9', url: URL_A, event: 'candidateStageChange' },
				{ id: '8', url: 'https://someone-else/hook', event: 'candidateStageChange' },
			],
		);
		expect(plan.remove.map((w) => w.id).sort()).toEqual(['1', '2', '3']);
		expect(plan.orphans.map((w) => w.id)).toEqual(['9']);
		expect(plan.create).toEqual(['candidateStageChange']);
	});

	it('is settled when every selected event has its webhook at Lever', () => {
		const plan = planLever(
			{ url: URL_A, events: ['candidateHired'], origins: [] },
			{ webhooks: [stored('1', 'candidateHired')] },
			[{ id: '1', url: URL_A }],
		);
		expect(isSettled(plan)).toBe(true);
	});

	it('applies origins only to the events Lever documents them for', () => {
		expect(originsFor('candidateStageChange', ['sourced', 'applied'])).toEqual([
			'applied',
			'sourced',
		]);
		expect(originsFor('contactCreated', ['applied'])).toEqual([]);
	});

	it('reads id and token from the documented (data.data) and the observed (data) answer', () => {
		const doc = JSON.parse(
			fs.readFileSync(path.join(FIXTURES, 'api_webhook_created.json'), 'utf8'),
		).response;
		expect(readCreatedWebhook(doc)).toEqual({
			id: 'e2befaae-b830-4c21-a002-2d5019486d1a',
			token: '73311ged32110cc40e00c672c2e03e1a42fa28a4fabde089',
		});
		expect(readCreatedWebhook({ data: doc.data.data })).toEqual(readCreatedWebhook(doc));
		expect(readCreatedWebhook({ data: { id: 'x' } })).toEqual({ id: 'x', token: undefined });
	});

	it('ignores malformed static data', () => {
		expect(readStore({ leverWebhooks: 'junk' })).toEqual({ webhooks: [] });
		expect(
			readStore({
				leverWebhooks: { webhooks: [{ id: 1 }, { id: 'a', event: 'candidateHired', token: 't' }] },
			}).webhooks,
		).toHaveLength(1);
	});
});

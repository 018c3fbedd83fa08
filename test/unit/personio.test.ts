import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAndStore } from '../helpers/pipeline';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';
import {
	normalisePersonio,
	personioSource,
	verifyPersonioToken,
} from '../../nodes/Personio/personioSource';
import { readRemoteWebhook } from '../../nodes/Personio/personioApi';
import { baseSettings } from '../helpers/seedFixtures';

/**
 * Personio webhooks (https://developer.personio.de/v2.0/reference/webhooks): a static token in
 * `Authorization` ("this exact value", https://developer.personio.de/reference/post_v2-webhooks), no
 * HMAC, so Personio has no entry in the signature contract (test/contract): its refusals are here.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'personio');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
const TOKEN = 'n8n_4hT0kenForUnitTestsOnly_xxxxxxxxxxxxxxxxxxxxx';

describe('Personio token', () => {
	const check = (headers: Record<string, string | string[]>, tokens: string[] = [TOKEN]) =>
		verifyPersonioToken(headers, tokens);

	it('the exact token verifies; "Bearer " on either side is tolerated', () => {
		expect(check({ authorization: TOKEN })).toEqual({ ok: true });
		expect(check({ Authorization: `Bearer ${TOKEN}` })).toEqual({ ok: true });
		expect(check({ authorization: `Bearer ${TOKEN}` }, [`Bearer ${TOKEN}`])).toEqual({ ok: true });
		expect(check({ authorization: TOKEN }, [`Bearer ${TOKEN}`])).toEqual({ ok: true });
	});

	it('refuses a wrong, missing or repeated header and an empty token list, with reason codes', () => {
		expect(check({ authorization: `${TOKEN}x` })).toMatchObject({
			ok: false,
			reason: 'token_mismatch',
		});
		expect(check({ authorization: TOKEN.slice(0, 20) })).toMatchObject({
			reason: 'token_mismatch',
		});
		expect(check({})).toMatchObject({ ok: false, reason: 'missing_token' });
		expect(check({ authorization: [TOKEN, TOKEN] })).toMatchObject({
			reason: 'ambiguous_token_header',
		});
		expect(check({ authorization: TOKEN }, [])).toMatchObject({ reason: 'no_secret' });
	});

	it('rotation: the previous token is accepted too; a blank one matches nothing', () => {
		expect(check({ authorization: 'old-token' }, [TOKEN, 'old-token'])).toEqual({ ok: true });
		expect(check({ authorization: '' }, [TOKEN, ''])).toMatchObject({ ok: false });
	});
});

describe('Personio mapping of every fixture', () => {
	const expected: Record<
		string,
		{ entity: string; subject: string; person: string; employment: string | null }
	> = {
		'person.created': { entity: 'person', subject: '8823410', person: '8823410', employment: null },
		'person.updated': { entity: 'person', subject: '8823410', person: '8823410', employment: null },
		'person.deleted': { entity: 'person', subject: '8790012', person: '8790012', employment: null },
		'employment.created': {
			entity: 'employment',
			subject: '5561207',
			person: '8823410',
			employment: '5561207',
		},
		'employment.updated': {
			entity: 'employment',
			subject: '5561207',
			person: '8823410',
			employment: '5561207',
		},
		'employment.started': {
			entity: 'employment',
			subject: '5561207',
			person: '8823410',
			employment: '5561207',
		},
		'employment.terminated': {
			entity: 'employment',
			subject: '5490388',
			person: '8790012',
			employment: '5490388',
		},
		'employment.deleted': {
			entity: 'employment',
			subject: '5490388',
			person: '8790012',
			employment: '5490388',
		},
	};

	it('covers every fixture', () => {
		const files = readdirSync(FIXTURES)
			.filter((f) => f.endsWith('.json'))
			.map((f) => f.replace(/\.json$/, ''));
		expect(Object.keys(expected).sort()).toEqual(files.sort());
	});

	for (const [name, want] of Object.entries(expected)) {
		it(`${name} → unknown (no employee events in the taxonomy) with the entity, action and ids`, () => {
			const { events } = personioSource.split(
				JSON.parse(fixture(name)),
				undefined as never,
				undefined as never,
			);
			expect(events[0].sourceEvent).toBe(name);
			expect(events[0].eventId).toBeUndefined();
			const result = normalisePersonio(events[0]);
			expect(result).toMatchObject({
				event: 'unknown',
				subject: { type: 'unknown', id: want.subject },
				extra: {
					companyId: '74519',
					personioEntity: want.entity,
					personioAction: name.split('.')[1],
					personId: want.person,
					employmentId: want.employment,
				},
			});
			expect(result.occurredAt).toMatch(/^2026-0[45]-/);
			expect(result.warnings).toBeUndefined();
		});
	}

	it('reads "Person.created" as person.created; other names and missing fields become warnings', () => {
		const body = { ...JSON.parse(fixture('person.created')), event_name: 'Person.created' };
		expect(
			personioSource.split(body, undefined as never, undefined as never).events[0].sourceEvent,
		).toBe('person.created');
		const odd = normalisePersonio({
			sourceEvent: 'document.signed',
			body: { event_name: 'document.signed' },
		});
		expect(odd.event).toBe('unknown');
		expect(odd.warnings).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^unknown_event/),
				'field_missing: payload',
				'field_missing: company_id',
			]),
		);
	});

	it('reads the webhook from the envelopes Personio may answer with', () => {
		const hook = {
			id: 'w1',
			url: 'https://x/webhook',
			enabled_events: ['Person.created'],
			status: 'ENABLED',
		};
		for (const answer of [hook, { _data: hook }, { data: hook }])
			expect(readRemoteWebhook(answer)).toEqual({
				id: 'w1',
				url: 'https://x/webhook',
				events: ['person.created'],
				status: 'ENABLED',
			});
		expect(readRemoteWebhook({ _data: [] })).toBeUndefined();
	});
});

describe('Personio source through the pipeline', () => {
	const settings = (overrides: Partial<SourceSettings> = {}): SourceSettings =>
		baseSettings({
			auth: { scheme: 'vendor', secrets: [TOKEN], toleranceSeconds: 0 },
			...overrides,
		});
	let n = 0;
	const request = (raw: string, headers: Record<string, string> = {}): InboundRequest => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		rawBody: Buffer.from(raw),
		query: {},
		now: Date.parse('2026-04-07T08:15:23Z'),
	});
	const state = () => ({ scope: `pe-${n++}`, staticData: {} });
	beforeEach(() => processDedupStore.clear());

	it('a delivery with the token is one schema-valid event; Personio retrying the same bytes is a duplicate', () => {
		const raw = fixture('employment.created');
		const st = state();
		const first = runAndStore(
			personioSource,
			request(raw, { authorization: TOKEN }),
			settings(),
			st,
		);
		expect(first.outcome).toBe('accepted');
		expect(canonicalEventSchema.safeParse(first.events[0]).success).toBe(true);
		expect(first.events[0]).toMatchObject({
			source: 'personio',
			sourceEvent: 'employment.created',
			personId: '8823410',
			delivery: { verified: true, scheme: 'vendor' },
		});
		expect(
			runAndStore(personioSource, request(raw, { authorization: TOKEN }), settings(), st).outcome,
		).toBe('duplicate');
	});

	it('401 without the token (no token in the answer); unselected events are filtered', () => {
		const raw = fixture('person.updated');
		const refused = runAndStore(
			personioSource,
			request(raw, { authorization: 'guess' }),
			settings(),
			state(),
		);
		expect(refused.reply).toMatchObject({ status: 401, body: { reason: 'token_mismatch' } });
		expect(JSON.stringify(refused.reply)).not.toContain(TOKEN);
		expect(
			runAndStore(
				personioSource,
				request(raw, { authorization: TOKEN }),
				settings({ events: ['person.created'] }),
				state(),
			).outcome,
		).toBe('filtered');
	});
});

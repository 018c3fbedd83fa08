import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAndStore } from '../helpers/pipeline';
import { canonicalEventSchema } from '../../nodes/core/event/schema';
import { processDedupStore } from '../../nodes/core/dedup/processStore';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';
import {
	bambooHrHeaders,
	bambooHrSource,
	normaliseBambooHr,
	signBambooHr,
	verifyBambooHr,
} from '../../nodes/BambooHr/bambooHrSource';
import { baseSettings } from '../helpers/seedFixtures';

/**
 * BambooHR webhooks (https://documentation.bamboohr.com/docs/webhooks,
 * https://documentation.bamboohr.com/docs/event-based-webhooks). The shared signature cases (vector,
 * tampering, wrong key, missing/repeated header, rotation, stale/future timestamp) run in
 * test/contract/schemes.test.ts; here: what is BambooHR's own.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'bamboohr');
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
const KEY = 'bamboohr private key';
const NOW = Date.parse('2026-02-10T14:03:12Z');
const NOW_S = Math.floor(NOW / 1000);

describe('BambooHR signature', () => {
	it('signs the body then the timestamp text, no separator (not timestamp.body, not the body alone)', () => {
		const raw = fixture('employee.updated');
		const headers = bambooHrHeaders(KEY, raw, NOW_S);
		const verify = (h: Record<string, string>) =>
			verifyBambooHr(h, Buffer.from(raw), {
				secrets: [KEY],
				toleranceSeconds: 300,
				nowSeconds: NOW_S,
			});
		expect(verify(headers)).toEqual({ ok: true });
		expect(
			verify({ ...headers, 'x-bamboohr-signature': headers['x-bamboohr-signature'].toUpperCase() }),
		).toEqual({
			ok: true,
		});
		for (const other of [signBambooHr(KEY, `${NOW_S}.${raw}`, ''), signBambooHr(KEY, raw, '')])
			expect(verify({ ...headers, 'x-bamboohr-signature': other })).toMatchObject({
				reason: 'signature_mismatch',
			});
		// The timestamp is signed: moving it breaks the signature even inside the window.
		expect(verify({ ...headers, 'x-bamboohr-timestamp': String(NOW_S - 1) })).toMatchObject({
			reason: 'signature_mismatch',
		});
	});

	it('a missing or unreadable timestamp is refused while the window is on; an ISO date is read', () => {
		const raw = fixture('employee.created');
		const base = { secrets: [KEY], toleranceSeconds: 300, nowSeconds: NOW_S };
		const sig = signBambooHr(KEY, raw, '');
		expect(verifyBambooHr({ 'x-bamboohr-signature': sig }, Buffer.from(raw), base)).toMatchObject({
			reason: 'missing_timestamp',
		});
		expect(
			verifyBambooHr({ 'x-bamboohr-signature': sig }, Buffer.from(raw), {
				...base,
				toleranceSeconds: 0,
			}),
		).toEqual({ ok: true });
		expect(
			verifyBambooHr(
				{ 'x-bamboohr-signature': sig, 'x-bamboohr-timestamp': 'soon' },
				Buffer.from(raw),
				base,
			),
		).toMatchObject({ reason: 'bad_timestamp' });
		const iso = new Date(NOW).toISOString();
		expect(
			verifyBambooHr(
				{ 'x-bamboohr-signature': signBambooHr(KEY, raw, iso), 'x-bamboohr-timestamp': iso },
				Buffer.from(raw),
				base,
			),
		).toEqual({ ok: true });
		expect(
			verifyBambooHr(
				{ 'x-bamboohr-signature': 'abc', 'x-bamboohr-timestamp': String(NOW_S) },
				Buffer.from(raw),
				base,
			),
		).toMatchObject({ reason: 'bad_signature_format' });
	});
});

describe('BambooHR mapping of every fixture', () => {
	const expected: Record<
		string,
		Array<{ sourceEvent: string; id: string; changed: string[]; format: string }>
	> = {
		'employee.created': [
			{ sourceEvent: 'employee.created', id: '1187', changed: [], format: 'event-based' },
		],
		'employee.updated': [
			{
				sourceEvent: 'employee.updated',
				id: '1187',
				changed: ['jobTitle', 'department'],
				format: 'event-based',
			},
		],
		'employee.deleted': [
			{ sourceEvent: 'employee.deleted', id: '1043', changed: [], format: 'event-based' },
		],
		'field-based.batch': [
			{ sourceEvent: 'employee.updated', id: '1187', changed: ['jobTitle'], format: 'field-based' },
			{
				sourceEvent: 'employee.created',
				id: '1201',
				changed: ['firstName', 'lastName', 'hireDate'],
				format: 'field-based',
			},
		],
	};

	it('covers every fixture', () => {
		const files = readdirSync(FIXTURES)
			.filter((f) => f.endsWith('.json'))
			.map((f) => f.replace(/\.json$/, ''));
		expect(Object.keys(expected).sort()).toEqual(files.sort());
	});

	for (const [name, wants] of Object.entries(expected)) {
		it(`${name} → ${wants.length} unknown event(s) with the employee id and changed fields`, () => {
			const { events } = bambooHrSource.split(
				JSON.parse(fixture(name)),
				undefined as never,
				undefined as never,
			);
			expect(events).toHaveLength(wants.length);
			wants.forEach((want, i) => {
				expect(events[i].sourceEvent).toBe(want.sourceEvent);
				const result = normaliseBambooHr(events[i]);
				expect(result).toMatchObject({
					event: 'unknown',
					subject: { type: 'unknown', id: want.id },
					extra: { employeeId: want.id, changedFields: want.changed, format: want.format },
				});
				expect(result.warnings).toBeUndefined();
			});
		});
	}

	it('an unknown type and a body without an employee id become warnings', () => {
		const result = normaliseBambooHr({
			sourceEvent: 'timeoff.requested',
			body: { type: 'timeoff.requested', data: {} },
		});
		expect(result.warnings).toEqual([
			'unknown_event: "timeoff.requested" is not a documented BambooHR event',
			'field_missing: employee id',
		]);
	});
});

describe('BambooHR source through the pipeline', () => {
	const settings = (overrides: Partial<SourceSettings> = {}): SourceSettings =>
		baseSettings({
			auth: { scheme: 'vendor', secrets: [KEY], toleranceSeconds: 300 },
			...overrides,
		});
	let n = 0;
	const request = (raw: string, headers: Record<string, string> = {}): InboundRequest => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		rawBody: Buffer.from(raw),
		query: {},
		now: NOW,
	});
	const state = () => ({ scope: `bh-${n++}`, staticData: {} });
	beforeEach(() => processDedupStore.clear());

	it('a field-based batch is one schema-valid event per employee; a retry (new timestamp, same body) is a duplicate', () => {
		const raw = fixture('field-based.batch');
		const st = state();
		const first = runAndStore(
			bambooHrSource,
			request(raw, bambooHrHeaders(KEY, raw, NOW_S)),
			settings(),
			st,
		);
		expect(first.outcome).toBe('accepted');
		expect(first.events).toHaveLength(2);
		for (const event of first.events)
			expect(canonicalEventSchema.safeParse(event).success).toBe(true);
		expect(first.events[1]).toMatchObject({
			source: 'bamboohr',
			batch: { index: 1, size: 2 },
			employeeId: '1201',
		});
		const retry = runAndStore(
			bambooHrSource,
			request(raw, bambooHrHeaders(KEY, raw, NOW_S + 60)),
			settings(),
			st,
		);
		expect(retry.outcome).toBe('duplicate');
	});

	it('401 stale, unsigned; Privacy removes the posted names', () => {
		const raw = fixture('field-based.batch');
		expect(
			runAndStore(
				bambooHrSource,
				request(raw, bambooHrHeaders(KEY, raw, NOW_S - 301)),
				settings(),
				state(),
			).reply,
		).toMatchObject({ status: 401, body: { reason: 'timestamp_too_old' } });
		expect(runAndStore(bambooHrSource, request(raw), settings(), state()).reply).toMatchObject({
			status: 401,
			body: { reason: 'missing_signature' },
		});
		const minimal = runAndStore(
			bambooHrSource,
			request(raw, bambooHrHeaders(KEY, raw, NOW_S)),
			settings({ privacy: true }),
			state(),
		);
		expect(JSON.stringify(minimal.events)).not.toMatch(/Ines|Baptista|Oskar/);
	});
});

import { changeKeyOf, timeVersion, toEpochMs } from '../../nodes/core/reconcile/changeIdentity';
import {
	PollError,
	retryAfterMs,
	runPoll,
	type PollDeps,
	type PollSettings,
} from '../../nodes/core/reconcile/poll';
import { RECONCILE_ADAPTERS, webhookChangeOf } from '../../nodes/core/reconcile/vendors';
import { linkNext, type HttpResponse } from '../../nodes/core/reconcile/vendors/types';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The reconcile core without n8n: change identity, webhook extractors, the poll engine's rules. */

const fixture = (source: string, name: string): unknown =>
	JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', source, `${name}.json`), 'utf8'));

const settings = (over: Partial<PollSettings> = {}): PollSettings => ({
	baseUrl: 'http://api.test',
	overlapMs: 300_000,
	pageSize: 2,
	maxEvents: 1000,
	budgetMs: 60_000,
	firstRun: 'baseline',
	maxAttempts: 5,
	...over,
});

/** A Lever-shaped list API in memory: `data`, `hasNext`, `next`. */
function leverPages(
	records: Array<{ id: string; updatedAt: number }>,
	replies: HttpResponse[] = [],
) {
	const sent: Array<{ offset: number; since: number }> = [];
	const waits: number[] = [];
	let clock = 1_760_000_000_000;
	const deps: PollDeps = {
		send: async (request) => {
			const offset = Number(request.qs?.offset ?? 0);
			const since = Number(request.qs?.updated_at_start ?? 0);
			sent.push({ offset, since });
			if (replies.length) return replies.shift()!;
			const list = records.filter((r) => r.updatedAt >= since);
			const size = Number(request.qs?.limit ?? 2);
			const slice = list.slice(offset, offset + size);
			const more = offset + size < list.length;
			return {
				status: 200,
				headers: {},
				body: { data: slice, hasNext: more, ...(more ? { next: String(offset + size) } : {}) },
			};
		},
		sleep: async (ms) => {
			waits.push(ms);
			clock += ms;
		},
		now: () => clock,
		claim: () => 'new',
	};
	return { deps, sent, waits };
}

describe('change identity', () => {
	it('is the same for a webhook and a polled record of the same change (whole seconds, UTC)', () => {
		expect(timeVersion('2015-02-09T16:38:36Z')).toBe(timeVersion('2015-02-09T16:38:36.650Z'));
		expect(timeVersion('2025-03-14T16:45:02.511+01:00')).toBe(timeVersion('2025-03-14T15:45:02Z'));
		expect(toEpochMs(1431454330072)).toBe(1431454330072);
		expect(toEpochMs(1431454330)).toBe(1431454330000);
		const gh = webhookChangeOf('greenhouse', fixture('greenhouse', 'candidate_stage_change'))!;
		const polled = RECONCILE_ADAPTERS.greenhouse.toChange({
			id: 265277,
			last_activity_at: '2015-02-09T16:38:36.000Z',
			updated_at: '2015-02-09T16:38:40Z',
		})!;
		expect(changeKeyOf(gh)).toBe(changeKeyOf(polled.change));
		expect(changeKeyOf(gh)).toHaveLength(16);
	});

	it('webhook extractors: Greenhouse, Ashby, Workable and Teamtailor carry what the identity needs; Lever and SmartRecruiters do not', () => {
		expect(webhookChangeOf('ashby', fixture('ashby', 'applicationUpdate'))).toMatchObject({
			recordType: 'application',
		});
		expect(webhookChangeOf('workable', fixture('workable', 'candidate_moved'))).toMatchObject({
			recordType: 'candidate',
		});
		expect(webhookChangeOf('teamtailor', fixture('teamtailor', 'candidate.update'))).toMatchObject({
			recordType: 'candidate',
		});
		expect(
			webhookChangeOf('lever', fixture('lever', Object.keys({ candidateStageChange: 1 })[0])),
		).toBeUndefined();
		expect(webhookChangeOf('smartrecruiters', { id: 'x' })).toBeUndefined();
		expect(webhookChangeOf('greenhouse', fixture('greenhouse', 'offer_created'))).toBeUndefined();
		expect(webhookChangeOf('unknown-source', {})).toBeUndefined();
	});

	it('Ashby, Workable, Teamtailor: the webhook of a change and the polled record of it give one key', () => {
		const ashbyHook = fixture('ashby', 'applicationUpdate') as {
			data: { application: Record<string, unknown> };
		};
		const polledAshby = RECONCILE_ADAPTERS.ashby.toChange(ashbyHook.data.application)!;
		expect(changeKeyOf(webhookChangeOf('ashby', ashbyHook)!)).toBe(changeKeyOf(polledAshby.change));
		const workableHook = fixture('workable', 'candidate_moved') as {
			data: Record<string, unknown>;
		};
		const polledWorkable = RECONCILE_ADAPTERS.workable.toChange(workableHook.data)!;
		expect(changeKeyOf(webhookChangeOf('workable', workableHook)!)).toBe(
			changeKeyOf(polledWorkable.change),
		);
		const ttHook = fixture('teamtailor', 'candidate.update') as {
			payload: { data: Record<string, unknown> };
		};
		const polledTt = RECONCILE_ADAPTERS.teamtailor.toChange(ttHook.payload.data)!;
		expect(changeKeyOf(webhookChangeOf('teamtailor', ttHook)!)).toBe(changeKeyOf(polledTt.change));
	});

	it('Link header: the rel="next" URL', () => {
		expect(linkNext('<https://h/v3/a?cursor=x>; rel="next", <https://h/v3/a>; rel="first"')).toBe(
			'https://h/v3/a?cursor=x',
		);
		expect(linkNext(undefined)).toBeUndefined();
	});

	it('Retry-After: seconds or an HTTP date', () => {
		expect(retryAfterMs('3', 0)).toBe(3000);
		expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
		expect(retryAfterMs('soon', 0)).toBeUndefined();
	});
});

describe('poll engine', () => {
	const t0 = 1_760_000_000_000;
	const records = Array.from({ length: 5 }, (_, i) => ({
		id: `o${i}`,
		updatedAt: t0 + i * 1000,
		createdAt: t0 - 1e7,
	}));

	it('reads from the cursor minus the overlap, pages to the end, proposes the newest update time', async () => {
		const { deps, sent } = leverPages(records);
		const out = await runPoll(
			RECONCILE_ADAPTERS.lever,
			{ watermark: t0 + 200_000 },
			settings(),
			deps,
			'run',
		);
		expect(sent[0].since).toBe(t0 + 200_000 - 300_000);
		expect(sent.map((s) => s.offset)).toEqual([0, 2, 4]);
		expect(out.events).toHaveLength(5);
		expect(out.nextCursor).toEqual({ watermark: t0 + 200_000 });
		expect(out.complete).toBe(true);
	});

	it('waits what Retry-After says on 429, backs off on 5xx, then succeeds', async () => {
		const { deps, waits } = leverPages(records, [
			{ status: 429, headers: { 'Retry-After': '7' }, body: {} },
			{ status: 502, headers: {}, body: {} },
		]);
		const out = await runPoll(RECONCILE_ADAPTERS.lever, { watermark: t0 }, settings(), deps, 'run');
		expect(waits).toEqual([7000, 2000]);
		expect(out.stats.retries).toBe(2);
		expect(out.events.length).toBeGreaterThan(0);
	});

	it('a wait past the budget fails the poll (kind budget); too many attempts fail it too', async () => {
		const slow = leverPages(records, [
			{ status: 429, headers: { 'retry-after': '120' }, body: {} },
		]);
		await expect(
			runPoll(
				RECONCILE_ADAPTERS.lever,
				{ watermark: t0 },
				settings({ budgetMs: 60_000 }),
				slow.deps,
				'r',
			),
		).rejects.toMatchObject({ kind: 'budget', status: 429 });
		const down = leverPages(
			records,
			Array.from({ length: 5 }, () => ({ status: 503, headers: { 'retry-after': '0' }, body: {} })),
		);
		await expect(
			runPoll(RECONCILE_ADAPTERS.lever, { watermark: t0 }, settings(), down.deps, 'r'),
		).rejects.toMatchObject({ kind: 'server_error' });
		const refused = leverPages(records, [{ status: 401, headers: {}, body: {} }]);
		const error = await runPoll(
			RECONCILE_ADAPTERS.lever,
			{ watermark: t0 },
			settings(),
			refused.deps,
			'r',
		).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PollError);
		expect((error as Error).message).toMatch(/refused the credential \(401\)/);
	});

	it('a network error is retried; a page error mid-way fails the whole poll', async () => {
		const { deps } = leverPages(records);
		let first = true;
		const flaky: PollDeps = {
			...deps,
			send: async (r) => {
				if (first) {
					first = false;
					throw new Error('ECONNRESET');
				}
				return deps.send(r);
			},
		};
		expect(
			(await runPoll(RECONCILE_ADAPTERS.lever, { watermark: t0 }, settings(), flaky, 'r')).events,
		).toHaveLength(5);
		const broken = leverPages(records, [
			{ status: 200, headers: {}, body: { data: records.slice(0, 2), hasNext: true, next: '2' } },
			{ status: 200, headers: {}, body: { oops: true } },
		]);
		await expect(
			runPoll(RECONCILE_ADAPTERS.lever, { watermark: t0 }, settings(), broken.deps, 'r'),
		).rejects.toMatchObject({ kind: 'vendor' });
	});

	it('Max Events per Poll: stops there, keeps the cursor (the next poll continues past what the union holds)', async () => {
		const { deps } = leverPages(records);
		const out = await runPoll(
			RECONCILE_ADAPTERS.lever,
			{ watermark: t0 },
			settings({ maxEvents: 3 }),
			deps,
			'r',
		);
		expect(out.events).toHaveLength(3);
		expect(out.complete).toBe(false);
		expect(out.nextCursor).toBeUndefined();
	});

	it('changes held by the other path (in flight) are skipped and keep the cursor; known ones are skipped', async () => {
		const { deps } = leverPages(records);
		const claims = ['seen', 'in_flight', 'new', 'new', 'new'] as const;
		let i = 0;
		const out = await runPoll(
			RECONCILE_ADAPTERS.lever,
			{ watermark: t0 },
			settings(),
			{ ...deps, claim: () => claims[i++] },
			'r',
		);
		expect(out.events).toHaveLength(3);
		expect(out.stats).toMatchObject({ known: 1, inFlight: 1 });
		expect(out.nextCursor).toBeUndefined();
	});

	it('first run: a baseline (one probe, nothing emitted) or a bounded backlog since a date', async () => {
		const a = leverPages(records);
		const baseline = await runPoll(RECONCILE_ADAPTERS.lever, undefined, settings(), a.deps, 'r');
		expect(baseline).toMatchObject({ baseline: true, events: [] });
		expect(a.sent).toHaveLength(1);
		const b = leverPages(records);
		const backlog = await runPoll(
			RECONCILE_ADAPTERS.lever,
			undefined,
			settings({ firstRun: t0 + 2500, maxEvents: 10 }),
			b.deps,
			'r',
		);
		expect(backlog.events.map((e) => e.subject.id)).toEqual(['o3', 'o4']);
	});

	it('records without an id or an update time are counted, not emitted; the client-side filter drops older ones', async () => {
		const { deps } = leverPages([
			...records,
			{ id: '', updatedAt: t0 } as never,
			{ id: 'old', updatedAt: 1 },
		]);
		const out = await runPoll(
			RECONCILE_ADAPTERS.lever,
			{ watermark: t0 + 10_000 },
			settings({ overlapMs: 0 }),
			{ ...deps, send: async (r) => deps.send({ ...r, qs: { ...r.qs, updated_at_start: 0 } }) },
			'r',
		);
		expect(out.stats.unreadable).toBe(1);
		expect(out.events).toHaveLength(0);
	});

	it('events: canonical shape, delivery.scheme poll, one id per change', async () => {
		const { deps } = leverPages(records.slice(0, 1));
		const [event] = (
			await runPoll(
				RECONCILE_ADAPTERS.lever,
				{ watermark: t0 },
				settings({ overlapMs: 0 }),
				deps,
				'run-1',
			)
		).events;
		expect(event).toMatchObject({
			id: `poll:lever:application:o0:${Math.floor(t0 / 1000)}`,
			source: 'lever',
			event: 'application.updated',
			sourceEvent: 'poll.application',
			subject: { type: 'application', id: 'o0' },
			delivery: { id: 'run-1', verified: true, scheme: 'poll' },
		});
		expect(event.delivery.changeKey).toHaveLength(16);
	});
});

import { Deduplicator } from '../../nodes/core/dedup/deduplicator';
import { hashKey, KEY_WIDTH } from '../../nodes/core/dedup/hashKey';
import { ProcessDedupStore, STALE_CLAIM_MS } from '../../nodes/core/dedup/processStore';
import { RING_FIELD, StaticDedupRing, resetRingCache } from '../../nodes/core/dedup/staticRing';

/** Simulates n8n saving static data to its database and loading it in a later request or process. */
const saved = (staticData: Record<string, unknown>) =>
	JSON.parse(JSON.stringify(staticData)) as Record<string, unknown>;

describe('hashKey', () => {
	it('is compact, stable and not the input', () => {
		const key = hashKey('event:candidate-42@example.com');
		expect(key).toHaveLength(KEY_WIDTH);
		expect(key).toBe(hashKey('event:candidate-42@example.com'));
		expect(key).not.toContain('example');
		expect(hashKey('a')).not.toBe(hashKey('b'));
	});
});

describe('ProcessDedupStore', () => {
	it('claims once; concurrent and later claims of the same key are duplicates', () => {
		const store = new ProcessDedupStore(10);
		expect(store.claim('k')).toBe(true);
		expect(store.claim('k')).toBe(false); // in flight
		store.commit('k');
		expect(store.claim('k')).toBe(false); // remembered
	});

	it('frees a released claim so a retry of a failed delivery is accepted', () => {
		const store = new ProcessDedupStore(10);
		expect(store.claim('k')).toBe(true);
		store.release('k');
		expect(store.claim('k')).toBe(true);
	});

	it('a copy of an in-flight key learns the outcome: stored, or failed (then it may claim the key)', async () => {
		const store = new ProcessDedupStore(10);
		expect(store.claimOrWait('k').state).toBe('claimed');
		const copy = store.claimOrWait('k');
		expect(copy.state).toBe('in_flight');
		store.commit('k');
		await expect((copy as { settled: Promise<string> }).settled).resolves.toBe('stored');
		expect(store.claimOrWait('k').state).toBe('seen');

		expect(store.claimOrWait('f').state).toBe('claimed');
		const waiting = store.claimOrWait('f') as { settled: Promise<string> };
		store.release('f');
		await expect(waiting.settled).resolves.toBe('failed');
		expect(store.claimOrWait('f').state).toBe('claimed');
	});

	it('an in-flight claim whose request never learnt its fate is taken over after STALE_CLAIM_MS', () => {
		const store = new ProcessDedupStore(10);
		expect(store.claimOrWait('k', 0).state).toBe('claimed');
		expect(store.claimOrWait('k', STALE_CLAIM_MS - 1).state).toBe('in_flight');
		expect(store.claimOrWait('k', STALE_CLAIM_MS).state).toBe('claimed');
	});

	it('stays bounded: the oldest keys are forgotten first', () => {
		const store = new ProcessDedupStore(3);
		for (const key of ['a', 'b', 'c', 'd']) {
			store.claim(key);
			store.commit(key);
		}
		expect(store.size).toBe(3);
		expect(store.has('a')).toBe(false);
		expect(store.has('d')).toBe(true);
	});
});

describe('StaticDedupRing', () => {
	beforeEach(() => resetRingCache());

	it('keeps at most `window` keys whatever the traffic, newest kept', () => {
		const staticData: Record<string, unknown> = {};
		const ring = new StaticDedupRing(staticData, 's', 100);
		const keys = Array.from({ length: 1000 }, (_, i) => hashKey(`e${i}`));
		keys.forEach((k) => ring.add(k));
		expect(ring.size).toBe(100);
		expect(ring.has(keys[999])).toBe(true);
		expect(ring.has(keys[900])).toBe(true);
		expect(ring.has(keys[899])).toBe(false);
		expect(StaticDedupRing.keysOf(staticData)).toEqual(keys.slice(900));
	});

	it('at the default window of 1,000 the saved static data stays under 64 KiB (about 19 KiB)', () => {
		const staticData: Record<string, unknown> = {};
		const ring = new StaticDedupRing(staticData, 's', 1000);
		for (let i = 0; i < 5000; i++) ring.add(hashKey(`e${i}`));
		const bytes = Buffer.byteLength(JSON.stringify(staticData));
		expect(bytes).toBeLessThan(20 * 1024);
		expect(bytes).toBeGreaterThan(1000 * KEY_WIDTH);
	});

	it('is read back from saved static data by a fresh process', () => {
		const staticData: Record<string, unknown> = {};
		new StaticDedupRing(staticData, 's', 10).add(hashKey('x'));
		resetRingCache();
		const reloaded = new StaticDedupRing(saved(staticData), 's', 10);
		expect(reloaded.has(hashKey('x'))).toBe(true);
	});

	it('keeps the most recent keys when the user shrinks the window, and grows without loss', () => {
		const staticData: Record<string, unknown> = {};
		const ring = new StaticDedupRing(staticData, 's', 10);
		const keys = Array.from({ length: 15 }, (_, i) => hashKey(`e${i}`));
		keys.forEach((k) => ring.add(k));
		const smaller = new StaticDedupRing(saved(staticData), 's2', 4);
		expect(keys.slice(11).every((k) => smaller.has(k))).toBe(true);
		expect(smaller.has(keys[10])).toBe(false);
		const larger = new StaticDedupRing(saved(staticData), 's3', 50);
		expect(keys.slice(5).every((k) => larger.has(k))).toBe(true);
	});

	it('survives corrupt static data by starting empty', () => {
		for (const junk of [null, 'x', { v: 2 }, { v: 1, keys: 'no', next: 0, gen: 'g' }]) {
			const staticData: Record<string, unknown> = { [RING_FIELD]: junk };
			const ring = new StaticDedupRing(staticData, `junk-${JSON.stringify(junk)}`, 5);
			expect(ring.size).toBe(0);
			ring.add(hashKey('a'));
			expect(ring.has(hashKey('a'))).toBe(true);
		}
	});

	it('merges a ring written by another process with the keys this process committed', () => {
		const a: Record<string, unknown> = {};
		new StaticDedupRing(a, 'shared', 10).add(hashKey('one'));
		// Another process writes a different ring to the database for the same trigger.
		const other: Record<string, unknown> = {
			[RING_FIELD]: { v: 1, keys: [hashKey('two')], next: 1, gen: 'elsewhere.1' },
		};
		const ring = new StaticDedupRing(other, 'shared', 10);
		expect(ring.has(hashKey('two'))).toBe(true);
		expect(ring.has(hashKey('one'))).toBe(true);
		ring.add(hashKey('three'));
		expect(StaticDedupRing.keysOf(other)).toEqual([
			hashKey('two'),
			hashKey('one'),
			hashKey('three'),
		]);
	});

	it("concurrent requests on stale copies do not save each other's keys away (n8n: last writer wins)", () => {
		const db: { row: string } = { row: JSON.stringify({}) };
		// 20 requests load the same saved row before any of them commits, then commit and save in turn.
		const copies = Array.from({ length: 20 }, () => JSON.parse(db.row) as Record<string, unknown>);
		copies.forEach((copy, i) => {
			new StaticDedupRing(copy, 'burst', 1000).add(hashKey(`event-${i}`));
			db.row = JSON.stringify(copy);
		});
		resetRingCache(); // restart
		const afterRestart = new StaticDedupRing(JSON.parse(db.row), 'burst', 1000);
		for (let i = 0; i < 20; i++) expect(afterRestart.has(hashKey(`event-${i}`))).toBe(true);
	});

	it('whichever copy n8n saves last carries every key this process stored, not the snapshot its request loaded', () => {
		// Two requests load the same row; the first writes its key, the second (stale copy) another.
		const row = saved({});
		const copyA = saved(row);
		const copyB = saved(row);
		new StaticDedupRing(copyA, 'last-writer', 10).add(hashKey('a'));
		new StaticDedupRing(copyB, 'last-writer', 10).add(hashKey('b'));
		// A later key stored through neither copy (an execution that has not ended yet).
		new StaticDedupRing(saved(row), 'last-writer', 10).add(hashKey('c'));
		// n8n saves copy A last (last writer wins): it still holds all three.
		expect(StaticDedupRing.keysOf(saved(copyA))).toEqual([
			hashKey('a'),
			hashKey('b'),
			hashKey('c'),
		]);
	});

	it('flush writes the process ring into a stale copy and does nothing to one in sync', () => {
		new StaticDedupRing({}, 'flush', 10).add(hashKey('a'));
		const stale: Record<string, unknown> = {};
		expect(new StaticDedupRing(stale, 'flush', 10).flush()).toBe(true);
		expect(StaticDedupRing.keysOf(saved(stale))).toEqual([hashKey('a')]);
		const inSync = saved(stale);
		expect(new StaticDedupRing(inSync, 'flush', 10).flush()).toBe(false);
	});

	it('a stale copy this process saved earlier reads as the current ring (no keys lost, none evicted brought back)', () => {
		const scope = 'own-stale';
		const first = saved({});
		for (const k of ['a', 'b', 'c']) new StaticDedupRing(first, scope, 3).add(hashKey(k));
		const stale = saved(first); // n8n saved [a, b, c]; a later request loads that row
		new StaticDedupRing(saved(first), scope, 3).add(hashKey('d')); // a is pushed out of the window
		const ring = new StaticDedupRing(saved(stale), scope, 3);
		expect(['b', 'c', 'd'].map((k) => ring.has(hashKey(k)))).toEqual([true, true, true]);
		expect(ring.has(hashKey('a'))).toBe(false);
		// The copy is behind the process: flush brings it up to date for n8n's save.
		const copy = saved(stale);
		expect(new StaticDedupRing(copy, scope, 3).flush()).toBe(true);
		expect(StaticDedupRing.keysOf(saved(copy))).toEqual(['b', 'c', 'd'].map(hashKey));
		// After a restart the same row is merged like any other.
		resetRingCache();
		expect(new StaticDedupRing(saved(copy), scope, 3).has(hashKey('d'))).toBe(true);
	});

	it('a process writes nothing from a snapshot until it has merged a copy from the database', () => {
		const snapshot: Record<string, unknown> = {};
		const fromSnapshot = new StaticDedupRing(snapshot, 'anchor', 10, 'snapshot');
		fromSnapshot.add(hashKey('queued'));
		expect(snapshot).toEqual({});
		expect(fromSnapshot.flush()).toBe(false);
		const database = { [RING_FIELD]: { v: 1, keys: [hashKey('older')], next: 1, gen: 'db.1' } };
		const copy = saved(database);
		expect(new StaticDedupRing(copy, 'anchor', 10).flush()).toBe(true);
		expect(StaticDedupRing.keysOf(saved(copy))).toEqual([hashKey('older'), hashKey('queued')]);
	});
});

describe('Deduplicator (both layers)', () => {
	beforeEach(() => resetRingCache());

	it('catches a duplicate within one delivery and across deliveries', () => {
		const store = new ProcessDedupStore();
		const staticData = {};
		const first = new Deduplicator('wf:n', staticData, 100, store);
		expect(first.claim('e1').isNew).toBe(true);
		expect(first.claim('e1').isNew).toBe(false);
		first.commit();
		expect(new Deduplicator('wf:n', saved(staticData), 100, store).claim('e1').isNew).toBe(false);
	});

	it('a fresh process (empty memory) with the saved static data still rejects the duplicate', () => {
		const staticData: Record<string, unknown> = {};
		const first = new Deduplicator('wf:n', staticData, 100, new ProcessDedupStore());
		first.claim('e1');
		first.commit();
		resetRingCache();
		const fresh = new Deduplicator('wf:n', saved(staticData), 100, new ProcessDedupStore());
		expect(fresh.claim('e1').isNew).toBe(false);
		expect(fresh.claim('e2').isNew).toBe(true);
	});

	it('scopes keys per trigger: the same event id in two workflows is not a duplicate', () => {
		const store = new ProcessDedupStore();
		const a = new Deduplicator('wf1:n', {}, 100, store);
		a.claim('e1');
		a.commit();
		expect(new Deduplicator('wf2:n', {}, 100, store).claim('e1').isNew).toBe(true);
	});

	it('release frees claims so a failed delivery can be retried', () => {
		const store = new ProcessDedupStore();
		const staticData = {};
		const attempt = new Deduplicator('wf:n', staticData, 100, store);
		expect(attempt.claim('e1').isNew).toBe(true);
		attempt.release();
		expect(new Deduplicator('wf:n', staticData, 100, store).claim('e1').isNew).toBe(true);
	});
});

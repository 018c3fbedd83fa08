import { Deduplicator } from '../../nodes/core/dedup/deduplicator';
import { hashKey, KEY_WIDTH } from '../../nodes/core/dedup/hashKey';
import { ProcessDedupStore } from '../../nodes/core/dedup/processStore';
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

	it('sequential requests on the latest copy change it in place (no full rewrite)', () => {
		const staticData: Record<string, unknown> = {};
		new StaticDedupRing(staticData, 'seq', 10).add(hashKey('a'));
		const stored = staticData[RING_FIELD] as { keys: string[] };
		new StaticDedupRing(staticData, 'seq', 10).add(hashKey('b'));
		expect(staticData[RING_FIELD]).toBe(stored);
		expect(stored.keys).toEqual([hashKey('a'), hashKey('b')]);
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

import { SHARED_CLAIM_MS, SharedDedupStore } from '../../nodes/core/dedup/sharedStore';
import { FakeRedisClient, FakeRedisServer } from '../helpers/fakeRedis';

function setup() {
	const server = new FakeRedisServer();
	// Two n8n processes: two clients of one Redis.
	const a = new SharedDedupStore(new FakeRedisClient(server), 'p:');
	const b = new SharedDedupStore(new FakeRedisClient(server), 'p:');
	return { server, a, b };
}

describe('SharedDedupStore (Redis SET NX PX)', () => {
	it('namespaces keys by prefix, workflow and node', () => {
		const { a } = setup();
		expect(a.keyOf('wf1:node1', 'abc')).toBe('p:wf1:node1:abc');
	});

	it('one of two processes claims a key; the other sees it held, then stored after commit', async () => {
		const { a, b } = setup();
		const first = await a.claim(['k']);
		expect(first.state).toBe('claimed');
		expect(await b.claim(['k'])).toEqual({ state: 'busy', stored: [], held: ['k'] });
		expect(await b.peek(['k'])).toEqual(['held']);
		await a.commit(['k'], 3_600_000);
		expect(await b.claim(['k'])).toEqual({ state: 'busy', stored: ['k'], held: [] });
		expect(await b.peek(['k'])).toEqual(['stored']);
	});

	it('a released claim lets the retry in; release never frees another request’s claim', async () => {
		const { a, b } = setup();
		const first = await a.claim(['k']);
		if (first.state !== 'claimed') throw new Error('not claimed');
		await b.release(['k'], 'h:not-the-token');
		expect(await b.peek(['k'])).toEqual(['held']);
		await a.release(['k'], first.token);
		expect(await b.peek(['k'])).toEqual(['free']);
		expect((await b.claim(['k'])).state).toBe('claimed');
	});

	it('a claim whose process died expires after the claim time; a stored key after the window', async () => {
		const { server, a, b } = setup();
		await a.claim(['k']);
		server.now += SHARED_CLAIM_MS - 1;
		expect((await b.claim(['k'])).state).toBe('busy');
		server.now += 1;
		expect((await b.claim(['k'])).state).toBe('claimed');
		await b.commit(['k'], 1000);
		server.now += 1000;
		expect(await a.peek(['k'])).toEqual(['free']);
	});

	it('a batch is claimed all or nothing', async () => {
		const { a, b } = setup();
		const first = await a.claim(['x', 'y']);
		expect(first.state).toBe('claimed');
		await a.commit(['x'], 60_000);
		const second = await b.claim(['w', 'x', 'y']);
		expect(second).toEqual({ state: 'busy', stored: ['x'], held: ['y'] });
		// Nothing of the second batch was taken, not even the free key.
		expect(await b.peek(['w'])).toEqual(['free']);
		if (first.state === 'claimed') await a.release(['x', 'y'], first.token);
		// x is stored (released only frees this token's claims), y is free again.
		expect(await b.peek(['x', 'y'])).toEqual(['stored', 'free']);
		expect((await b.claim(['w', 'y'])).state).toBe('claimed');
	});

	it('an unreachable Redis is an error the caller sees (never a silent accept)', async () => {
		const { server, a } = setup();
		server.down = true;
		await expect(a.claim(['k'])).rejects.toThrow(/ECONNREFUSED/);
		await expect(a.claim(['k', 'l'])).rejects.toThrow(/ECONNREFUSED/);
	});
});

import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { signStandardWebhook } from '../../nodes/core/signature';
import { FakeRedisClient, FakeRedisServer } from '../helpers/fakeRedis';
import {
	answerAsN8n,
	runExecute,
	webhookContext,
	type DeliveryOptions,
} from '../helpers/webhookContext';

// ioredis as the running n8n provides it (nodes/shared/redisDedup.ts loads it with require): here a
// class over one in-memory server, so two module registries (two n8n processes) share one "Redis".
const mockServer = { current: undefined as FakeRedisServer | undefined };
jest.mock(
	'ioredis',
	() => {
		return class {
			constructor() {
				return new FakeRedisClient(mockServer.current!);
			}
		};
	},
	{ virtual: true },
);

type Trigger = {
	webhook: (this: IWebhookFunctions) => Promise<IWebhookResponseData>;
	execute: (this: unknown) => Promise<unknown>;
};

/** A fresh copy of the trigger module and everything it imports: one n8n process. */
function newProcess(): Trigger {
	let node!: Trigger;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { AtsWebhookTrigger } = require('../../nodes/AtsWebhookTrigger/AtsWebhookTrigger.node');
		node = new AtsWebhookTrigger() as Trigger;
	});
	return node;
}

const SECRET = 'whsec_c2hhcmVkIGRlZHVwIHRlc3Qgc2VjcmV0IQ==';
const redisCredential = {
	host: '127.0.0.1',
	port: 6379,
	user: '',
	password: 'redis-password-not-logged',
	database: 0,
	ssl: false,
	keyPrefix: 't:',
};

function delivery(id: string, extra: Partial<DeliveryOptions> = {}): DeliveryOptions {
	const body = JSON.stringify({ type: 'candidate.updated', data: { id } });
	const timestamp = Math.floor(Date.now() / 1000);
	return {
		body,
		headers: {
			'webhook-id': `msg_${id}`,
			'webhook-timestamp': String(timestamp),
			'webhook-signature': signStandardWebhook({
				secret: SECRET,
				id: `msg_${id}`,
				timestamp,
				body,
			}),
		},
		parameters: { authentication: 'standardWebhooks', options: { sharedDedup: true } },
		credentials: {
			atsWebhookSigningSecretApi: { secret: SECRET, previousSecret: '' },
			atsWebhookRedisApi: redisCredential,
		},
		...extra,
	};
}

/** webhook() in one process; n8n's answer is given by the test (`answer`). */
async function start(node: Trigger, options: DeliveryOptions) {
	const built = webhookContext(options);
	const pending = node.webhook.call(built.context);
	return { built, pending };
}

beforeEach(() => {
	mockServer.current = new FakeRedisServer();
	mockServer.current.now = Date.now();
});

describe('shared dedup store across n8n processes (Redis option on)', () => {
	it('a copy on another process waits while the first is in flight, then is a duplicate once stored', async () => {
		const [p1, p2] = [newProcess(), newProcess()];
		const first = await start(p1, delivery('e1'));
		const result1 = await first.pending;
		expect(result1.workflowData?.[0]).toHaveLength(1);
		// The copy arrives on process 2 while n8n is still storing the first one.
		const second = await start(p2, delivery('e1'));
		let settled = false;
		void second.pending.then(() => (settled = true));
		await new Promise((r) => setImmediate(r));
		await new Promise((r) => setTimeout(r, 120));
		expect(settled).toBe(false);
		answerAsN8n(result1, first.built.res, 'stored');
		const result2 = await second.pending;
		expect(result2.workflowData).toBeUndefined();
		expect(second.built.response.status).toBe(200);
		expect(second.built.response.body).toMatchObject({ status: 'duplicate' });
	});

	it('the first copy was not stored (n8n answered 500): the copy on the other process is accepted', async () => {
		const [p1, p2] = [newProcess(), newProcess()];
		const first = await start(p1, delivery('e2'));
		const result1 = await first.pending;
		const second = await start(p2, delivery('e2'));
		await new Promise((r) => setTimeout(r, 60));
		answerAsN8n(result1, first.built.res, 'failed');
		const result2 = await second.pending;
		expect(result2.workflowData?.[0]).toHaveLength(1);
	});

	it('a retry on another process after the first was stored is a duplicate at once', async () => {
		const [p1, p2] = [newProcess(), newProcess()];
		const first = await start(p1, delivery('e3'));
		answerAsN8n(await first.pending, first.built.res, 'stored');
		await new Promise((r) => setImmediate(r));
		const second = await start(p2, delivery('e3'));
		expect((await second.pending).workflowData).toBeUndefined();
		expect(second.built.response.body).toMatchObject({ status: 'duplicate' });
	});

	it('execute() (the worker, in queue mode) marks the keys stored in Redis too', async () => {
		const [p1, p2] = [newProcess(), newProcess()];
		const options = delivery('e4');
		const first = await start(p1, options);
		const result1 = await first.pending;
		// The webhook process dies before it can answer: only the execution's first step records the key.
		await runExecute(p1 as never, result1.workflowData![0], {
			parameters: options.parameters,
			credentials: options.credentials,
		});
		const retry = await start(p2, delivery('e4'));
		expect((await retry.pending).workflowData).toBeUndefined();
		expect(retry.built.response.body).toMatchObject({ status: 'duplicate' });
	});

	it('Redis unreachable: 503 + Retry-After, nothing accepted, one log line without secrets; accepted once Redis is back', async () => {
		const p1 = newProcess();
		mockServer.current!.down = true;
		const logs: string[] = [];
		for (const id of ['e5', 'e5', 'e6']) {
			const { built, pending } = await start(p1, delivery(id));
			const result = await pending;
			expect(result.workflowData).toBeUndefined();
			expect(built.response.status).toBe(503);
			expect(built.response.headers['retry-after']).toBe('10');
			expect(built.response.body).toMatchObject({ reason: 'dedup_store_unavailable' });
			logs.push(...built.logs.filter((l) => l.level === 'error').map((l) => l.message));
		}
		expect(logs).toHaveLength(1);
		expect(logs[0]).toMatch(
			/Redis dedup store at 127\.0\.0\.1:6379\/0 cannot be reached \(connect ECONNREFUSED/,
		);
		expect(logs.join('')).not.toContain('redis-password-not-logged');
		expect(logs.join('')).not.toContain(SECRET);
		mockServer.current!.down = false;
		const { built, pending } = await start(p1, delivery('e5'));
		expect((await pending).workflowData?.[0]).toHaveLength(1);
		expect(built.logs.some((l) => l.level === 'info' && /reachable again/.test(l.message))).toBe(
			true,
		);
	});

	it('the option on without a Redis credential: 503 + Retry-After, nothing accepted', async () => {
		const p1 = newProcess();
		const options = delivery('e7');
		delete options.credentials!.atsWebhookRedisApi;
		const { built, pending } = await start(p1, options);
		expect((await pending).workflowData).toBeUndefined();
		expect(built.response.status).toBe(503);
		expect(built.logs.some((l) => /Redis dedup store is not configured/.test(l.message))).toBe(
			true,
		);
	});

	it('the credential test PINGs Redis, and says why when it cannot', async () => {
		let test!: (this: unknown, c: unknown) => Promise<{ status: string; message: string }>;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			test = require('../../nodes/shared/redisDedup').atsWebhookRedisTest;
		});
		const credential = { id: '1', name: 'r', type: 'atsWebhookRedisApi', data: redisCredential };
		expect(await test.call({}, credential)).toEqual({
			status: 'OK',
			message: 'Connection successful',
		});
		mockServer.current!.down = true;
		const failed = await test.call({}, credential);
		expect(failed).toEqual({ status: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379' });
		expect(failed.message).not.toContain('redis-password-not-logged');
	});

	it('ioredis missing from the running n8n: 503 and a log line that says so', async () => {
		// A fresh registry still gets the factory's cached module: replace the mock for this process.
		jest.resetModules();
		jest.doMock(
			'ioredis',
			() => {
				throw new Error("Cannot find module 'ioredis'");
			},
			{ virtual: true },
		);
		const p1 = newProcess();
		const { built, pending } = await start(p1, delivery('e8'));
		expect((await pending).workflowData).toBeUndefined();
		expect(built.response.status).toBe(503);
		expect(built.logs.some((l) => /ioredis\) could not be loaded/.test(l.message))).toBe(true);
	});

	it('the option off: Redis is never touched', async () => {
		const p1 = newProcess();
		const options = delivery('e9');
		options.parameters = { authentication: 'standardWebhooks', options: {} };
		const { pending } = await start(p1, options);
		expect((await pending).workflowData?.[0]).toHaveLength(1);
		expect(mockServer.current!.commands).toBe(0);
	});
});

import { runPipeline } from '../../nodes/core/pipeline/runPipeline';
import type {
	InboundRequest,
	SourceDefinition,
	SourceSettings,
} from '../../nodes/core/pipeline/types';
import { processDedupStore } from '../../nodes/core/dedup/processStore';

/** The pipeline with small hand-written sources: the contract every vendor folder relies on. */
const settings: SourceSettings = {
	auth: { scheme: 'none' },
	events: [],
	dedup: { enabled: true, window: 100 },
	privacy: false,
	maxBodyBytes: 1024 * 1024,
	responseCode: 0,
	batchAsOneItem: false,
	emitTestEvents: false,
};

const request = (body: unknown, extra: Partial<InboundRequest> = {}): InboundRequest => ({
	method: 'POST',
	headers: { 'content-type': 'application/json' },
	rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
	query: {},
	now: Date.parse('2026-11-22T00:00:00Z'),
	...extra,
});

const simple: SourceDefinition = {
	id: 'simple',
	split: (body) => ({
		events: [
			{
				sourceEvent: String((body as { event?: string }).event),
				body,
				eventId: (body as { id?: string }).id,
			},
		],
	}),
	normalise: () => ({ event: 'job.created', subject: { type: 'job', id: '1' } }),
};

let scope = 0;
const state = () => ({ scope: `test-${scope++}`, staticData: {} });

beforeEach(() => processDedupStore.clear());

describe('runPipeline contract', () => {
	it('answers a handshake before authentication and parsing, with the source reply headers', () => {
		const source: SourceDefinition = {
			...simple,
			handshake: (req) =>
				req.headers['x-hook-secret']
					? {
							status: 200,
							body: {},
							headers: { 'X-Hook-Secret': String(req.headers['x-hook-secret']) },
						}
					: undefined,
		};
		const result = runPipeline(
			source,
			request('not json', { headers: { 'x-hook-secret': 'abc' } }),
			{
				...settings,
				auth: { scheme: 'standardWebhooks', secrets: ['whsec_AAAA'], toleranceSeconds: 300 },
			},
			state(),
		);
		expect(result.outcome).toBe('handshake');
		expect(result.reply.headers).toEqual({ 'X-Hook-Secret': 'abc' });
		expect(result.events).toHaveLength(0);
	});

	it('uses the source accepted status (SmartRecruiters answers 202) unless the user set one', () => {
		const source = { ...simple, acceptedStatus: 202 };
		expect(
			runPipeline(source, request({ event: 'x', id: 'a' }), settings, state()).reply.status,
		).toBe(202);
		expect(
			runPipeline(
				source,
				request({ event: 'x', id: 'b' }),
				{ ...settings, responseCode: 200 },
				state(),
			).reply.status,
		).toBe(200);
	});

	it('runs a vendor authenticate only when the auth scheme is vendor', () => {
		const authenticate = jest.fn(() => ({
			ok: false as const,
			reason: 'vendor_says_no',
			message: 'no',
		}));
		const source = { ...simple, authenticate };
		expect(runPipeline(source, request({ event: 'x' }), settings, state()).outcome).toBe(
			'accepted',
		);
		expect(authenticate).not.toHaveBeenCalled();
		const result = runPipeline(
			source,
			request({ event: 'x' }),
			{ ...settings, auth: { scheme: 'vendor', secrets: ['s'], toleranceSeconds: 300 } },
			state(),
		);
		expect(result.reply).toMatchObject({ status: 401, body: { reason: 'vendor_says_no' } });
	});

	it('an unsigned vendor test call succeeds before authentication, and is not emitted', () => {
		const source: SourceDefinition = {
			...simple,
			ping: { beforeAuth: true, detect: (body) => (body as { test?: boolean }).test === true },
		};
		const secured = {
			...settings,
			auth: { scheme: 'headerToken' as const, headerName: 'x-token', tokens: ['t'] },
		};
		const ping = runPipeline(source, request({ test: true }), secured, state());
		expect(ping).toMatchObject({ outcome: 'ping', reply: { status: 200 } });
		expect(runPipeline(source, request({ event: 'x' }), secured, state()).reply.status).toBe(401);
		// When the user wants to see tests, the test call must authenticate like any event.
		expect(
			runPipeline(source, request({ test: true }), { ...secured, emitTestEvents: true }, state())
				.reply.status,
		).toBe(401);
	});

	it('a split that throws gives 400 with a reason; a normalise that throws keeps the event with a warning', () => {
		const broken: SourceDefinition = {
			...simple,
			split: () => {
				throw new Error('no candidates array');
			},
		};
		expect(runPipeline(broken, request({}), settings, state()).reply).toMatchObject({
			status: 400,
			body: { reason: 'unexpected_shape' },
		});
		const drift: SourceDefinition = {
			...simple,
			normalise: () => {
				throw new Error('field renamed');
			},
		};
		const result = runPipeline(drift, request({ event: 'x', id: '1' }), settings, state());
		expect(result.outcome).toBe('accepted');
		expect(result.events[0]).toMatchObject({
			event: 'unknown',
			warnings: ['normalise_failed: field renamed'],
		});
	});

	it('a source that produces a wrong field type still emits, with a canonical_schema warning', () => {
		const sloppy: SourceDefinition = {
			...simple,
			normalise: () => ({
				event: 'job.created',
				subject: { type: 'job', id: { nested: true } as never },
			}),
		};
		const result = runPipeline(sloppy, request({ event: 'x', id: '2' }), settings, state());
		expect(result.events).toHaveLength(1);
		expect((result.events[0] as { warnings: string[] }).warnings[0]).toMatch(
			/^canonical_schema: subject.id/,
		);
	});

	it('an empty batch is answered 200 and starts nothing', () => {
		const empty: SourceDefinition = { ...simple, split: () => ({ events: [] }) };
		expect(runPipeline(empty, request([]), settings, state())).toMatchObject({
			outcome: 'filtered',
			events: [],
		});
	});

	it('a batch with some duplicates emits only the new events and counts the rest', () => {
		const batch: SourceDefinition = {
			...simple,
			split: (body) => ({
				events: (body as string[]).map((id, index) => ({
					sourceEvent: 'x',
					body: { id },
					eventId: id,
					batch: { id: 'b', index, size: (body as string[]).length },
				})),
			}),
		};
		const s = state();
		const first = runPipeline(batch, request(['a', 'b']), settings, s);
		expect(first.events).toHaveLength(2);
		first.claims?.commit(); // n8n stored the execution and answered 2xx
		const again = runPipeline(batch, request(['b', 'c', 'c']), settings, s);
		expect(again.events.map((e) => (e as { id: string }).id)).toEqual(['c']);
		expect(again.reply.body).toMatchObject({ events: 1, duplicates: 2 });
	});

	it('a source with emptyBody reads a bodiless or blank request as that body, whatever its content type', () => {
		const source: SourceDefinition = { ...simple, emptyBody: { event: 'bare', id: 'none' } };
		for (const raw of [undefined, Buffer.alloc(0), Buffer.from(' \r\n\t')]) {
			const result = runPipeline(
				source,
				request('', {
					rawBody: raw,
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
				}),
				{ ...settings, dedup: { enabled: false, window: 10 } },
				state(),
			);
			expect(result.outcome).toBe('accepted');
			expect(result.events[0]).toMatchObject({
				sourceEvent: 'bare',
				payload: { event: 'bare', id: 'none' },
			});
		}
		// Without emptyBody the same requests are refused.
		expect(
			runPipeline(simple, request('', { rawBody: Buffer.from('  ') }), settings, state()).reply
				.status,
		).toBe(400);
	});

	it('with authentication unavailable, handshakes and pre-auth pings are answered and deliveries get 503 + Retry-After', () => {
		const source: SourceDefinition = {
			...simple,
			handshake: (req) => (req.headers['x-hook-secret'] ? { status: 200, body: {} } : undefined),
			ping: { beforeAuth: true, detect: (body) => (body as { ping?: boolean }).ping === true },
		};
		const unavailable = { ...settings, auth: { scheme: 'unavailable' as const } };
		expect(
			runPipeline(
				source,
				request('{}', { headers: { 'x-hook-secret': 's' } }),
				unavailable,
				state(),
			).reply.status,
		).toBe(200);
		expect(runPipeline(source, request({ ping: true }), unavailable, state()).outcome).toBe('ping');
		const delivery = runPipeline(source, request({ event: 'x', id: '1' }), unavailable, state());
		expect(delivery).toMatchObject({
			outcome: 'not_configured',
			events: [],
			reply: { status: 503, headers: { 'Retry-After': '60' }, body: { reason: 'not_configured' } },
		});
	});

	it('receivedAt comes from the injected clock', () => {
		const result = runPipeline(simple, request({ event: 'x', id: 'z' }), settings, state());
		expect(result.events[0]).toMatchObject({ receivedAt: '2026-11-22T00:00:00.000Z' });
	});
});

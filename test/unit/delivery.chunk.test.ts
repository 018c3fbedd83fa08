import { prepareEvents, prepareExport, type ExportInput } from '../../nodes/core/delivery/batch';
import {
	candidateSchema,
	checkCandidate,
	pickFields,
	withoutDeliveryError,
} from '../../nodes/core/delivery/candidates';
import { maxOverheadBytes, planChunks, renderBody } from '../../nodes/core/delivery/chunk';
import {
	chunkKey,
	contentKey,
	executionBatchId,
	sanitiseBatchId,
} from '../../nodes/core/delivery/idempotency';

/** Seed 001 (one request per export batch) with the limits of the issue: split only above a count or byte cap. */
const scope = { workflowId: 'wf1', executionId: '42', nodeName: 'ATS Webhook', runIndex: 0 };
const at = new Date('2026-03-01T10:00:00.000Z');

function candidates(n: number, size = (i: number) => 40 + (i % 7)) {
	return Array.from({ length: n }, (_, i) => ({
		id: `c${i}`,
		first_name: 'Ada',
		email: `ada${i}@example.com`,
		note: 'x'.repeat(size(i)),
	}));
}
function input(records: unknown[], overrides: Partial<ExportInput> = {}): ExportInput {
	return {
		records: records.map((record, position) => ({ position, record })),
		format: { kind: 'envelope', event: 'candidate.exported' },
		limits: { maxCandidates: 1000, maxBytes: 5 * 1024 * 1024 },
		idField: 'id',
		keys: { source: 'execution', scope },
		exportedAt: at,
		...overrides,
	};
}
/** Deterministic PRNG (mulberry32) so size patterns are reproducible. */
function prng(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('prepareExport: count cap', () => {
	it('10,000 candidates with a cap of 1,000 become 10 complete requests, in order', () => {
		const list = candidates(10_000);
		const prepared = prepareExport(input(list));
		expect(prepared.requests).toHaveLength(10);
		expect(prepared.rejected).toEqual([]);
		const batchId = executionBatchId(scope);
		expect(prepared.batchId).toBe(batchId);
		const seen: unknown[] = [];
		prepared.requests.forEach((request, i) => {
			const body = JSON.parse(request.body);
			expect(body).toMatchObject({
				event: 'candidate.exported',
				batch_id: `${batchId}:${i}`,
				export_id: batchId,
				exported_at: '2026-03-01T10:00:00.000Z',
				chunk_index: i,
				chunk_count: 10,
				total_count: 10_000,
				count: 1000,
			});
			expect(Object.keys(body).pop()).toBe('candidates');
			expect(request.key).toBe(`${batchId}:${i}`);
			expect(request.headers).toMatchObject({
				'X-Chunk-Index': String(i),
				'X-Chunk-Count': '10',
				'X-Total-Count': '10000',
				'X-Export-Id': batchId,
			});
			expect(request.bytes).toBe(Buffer.byteLength(request.body));
			expect(request.candidateIds).toHaveLength(1000);
			seen.push(...body.candidates);
		});
		expect(seen).toEqual(list);
	});

	it('a batch under both caps is ONE request (seed 001)', () => {
		const prepared = prepareExport(input(candidates(250)));
		expect(prepared.requests).toHaveLength(1);
		expect(JSON.parse(prepared.requests[0].body)).toMatchObject({
			count: 250,
			chunk_count: 1,
			total_count: 250,
		});
	});
});

describe('prepareExport: byte cap', () => {
	it.each([1, 2, 3, 4, 5])(
		'every chunk stays under the cap, nothing is lost, packing is tight (seed %s)',
		(seed) => {
			const random = prng(seed);
			const list = candidates(400, () => Math.floor(random() * 20_000));
			const maxBytes = 64 * 1024;
			const prepared = prepareExport(input(list, { limits: { maxCandidates: 1000, maxBytes } }));
			expect(prepared.rejected).toEqual([]);
			const sizes = list.map((c) => Buffer.byteLength(JSON.stringify(c)));
			let next = 0;
			for (const request of prepared.requests) {
				const bytes = Buffer.byteLength(request.body, 'utf8');
				expect(bytes).toBeLessThanOrEqual(maxBytes);
				expect(request.bytes).toBe(bytes);
				expect(request.positions[0]).toBe(next);
				next += request.positions.length;
				// Tight: the next candidate would not have fitted (the planning bound is at most a few bytes above the real body).
				if (next < list.length) expect(bytes + 1 + sizes[next]).toBeGreaterThan(maxBytes - 16);
			}
			expect(next).toBe(list.length);
			expect(prepared.requests.flatMap((r) => JSON.parse(r.body).candidates)).toEqual(list);
		},
	);

	it('counts bytes, not characters (multi-byte UTF-8)', () => {
		const list = Array.from({ length: 50 }, (_, i) => ({
			id: `c${i}`,
			name: 'Zoë Ångström 👩‍💻'.repeat(40),
		}));
		const maxBytes = 8 * 1024;
		const prepared = prepareExport(input(list, { limits: { maxCandidates: 1000, maxBytes } }));
		for (const r of prepared.requests)
			expect(Buffer.byteLength(r.body, 'utf8')).toBeLessThanOrEqual(maxBytes);
		expect(prepared.requests.length).toBeGreaterThan(1);
		expect(prepared.requests.flatMap((r) => JSON.parse(r.body).candidates)).toEqual(list);
	});

	it('a candidate larger than the cap on its own is refused with a reason, the others go out', () => {
		const list = candidates(5);
		list[2].note = 'secret-cv-text '.repeat(2000);
		const prepared = prepareExport(
			input(list, { limits: { maxCandidates: 1000, maxBytes: 4096 } }),
		);
		expect(prepared.rejected).toHaveLength(1);
		expect(prepared.rejected[0]).toMatchObject({ position: 2, reason: 'candidate_too_large' });
		expect(prepared.rejected[0].message).not.toContain('secret-cv-text');
		expect(prepared.requests.flatMap((r) => r.positions)).toEqual([0, 1, 3, 4]);
		expect(JSON.parse(prepared.requests[0].body)).toMatchObject({ total_count: 4, count: 4 });
	});

	it('the planning bound is never below the real body, for every format', () => {
		for (const format of [
			{ kind: 'envelope', event: 'candidate.exported' },
			{ kind: 'array' },
			{ kind: 'field', field: 'rows' },
		] as const) {
			for (const total of [1, 9, 10, 99, 100, 12_345]) {
				const key = (i: number) => chunkKey('batch', i);
				const bound = maxOverheadBytes(format, 'batch', key, total, at.toISOString());
				for (const [index, count, chunkCount] of [
					[0, 1, 1],
					[total - 1, total, total],
					[Math.floor(total / 2), Math.min(total, 7), total],
				]) {
					const items = Array.from({ length: count }, () => '{}');
					const body = renderBody(
						format,
						{
							exportId: 'batch',
							key: key(index),
							chunkIndex: index,
							chunkCount,
							totalCount: total,
							exportedAt: at.toISOString(),
						},
						items,
					);
					expect(Buffer.byteLength(body)).toBeLessThanOrEqual(
						bound + count * 2 + Math.max(0, count - 1),
					);
				}
			}
		}
	});

	it('planChunks respects both caps at once', () => {
		const plan = planChunks([10, 10, 10, 10, 10, 50, 10], { maxCandidates: 3, maxBytes: 60 }, 10);
		expect(plan.chunks.map((c) => c.members)).toEqual([[0, 1, 2], [3, 4], [5], [6]]);
		expect(plan.tooLarge).toEqual([]);
		expect(planChunks([100], { maxCandidates: 3, maxBytes: 60 }, 10).tooLarge).toEqual([
			{ position: 0, requestBytes: 110 },
		]);
	});
});

describe('body formats', () => {
	it('plain array and array under a field', () => {
		const list = candidates(3);
		expect(
			JSON.parse(prepareExport(input(list, { format: { kind: 'array' } })).requests[0].body),
		).toEqual(list);
		expect(
			JSON.parse(
				prepareExport(input(list, { format: { kind: 'field', field: 'people' } })).requests[0].body,
			),
		).toEqual({ people: list });
	});
});

describe('validation', () => {
	const rules = { required: ['id', 'email'], emailFields: ['email'] };
	it('refuses candidates missing what the receiver needs, naming fields, never values', () => {
		const list: Array<Record<string, unknown>> = [
			{ id: 'a', email: 'a@example.com' },
			{ id: 'b' },
			{ id: 'c', email: 'not-an-email-SECRET' },
			{ email: '  ' },
			{ id: 'e', email: 'e@example.com' },
		];
		const prepared = prepareExport(input(list, { rules }));
		expect(prepared.rejected.map((r) => [r.position, r.reason])).toEqual([
			[1, 'missing_fields'],
			[2, 'invalid_email'],
			[3, 'missing_fields'],
		]);
		expect(prepared.rejected[0].message).toBe('Missing required field: email.');
		expect(prepared.rejected[2].message).toBe('Missing required fields: id, email.');
		expect(prepared.rejected.map((r) => r.message).join(' ')).not.toContain('SECRET');
		expect(prepared.requests[0].positions).toEqual([0, 4]);
	});

	it('checks nested paths and non-objects', () => {
		const schema = candidateSchema({ required: ['profile.email'], emailFields: ['profile.email'] });
		expect(checkCandidate(schema, { profile: { email: 'x@example.com' } })).toEqual({ ok: true });
		expect(checkCandidate(schema, { profile: {} })).toMatchObject({
			ok: false,
			reason: 'missing_fields',
		});
		expect(checkCandidate(schema, [1, 2])).toMatchObject({ ok: false, reason: 'not_an_object' });
	});

	it('pickFields keeps nesting; the Failed output field is dropped before re-sending', () => {
		expect(
			pickFields({ id: 1, profile: { email: 'e', phone: 'p' }, secret: 's' }, [
				'id',
				'profile.email',
				'missing',
			]),
		).toEqual({ id: 1, profile: { email: 'e' } });
		expect(withoutDeliveryError({ id: 1, deliveryError: { reason: 'x' } })).toEqual({ id: 1 });
	});

	it('a value JSON cannot write is refused, not thrown', () => {
		const circular: Record<string, unknown> = { id: 'loop' };
		circular.self = circular;
		const prepared = prepareExport(input([{ id: 'ok' }, circular, { id: 'big', n: BigInt(1) }]));
		expect(prepared.rejected.map((r) => [r.position, r.reason])).toEqual([
			[1, 'not_serialisable'],
			[2, 'not_serialisable'],
		]);
		expect(prepared.requests[0].positions).toEqual([0]);
	});
});

describe('idempotency keys', () => {
	it('execution keys: stable for one run, different for another execution or run index', () => {
		const a = prepareExport(
			input(candidates(30), { limits: { maxCandidates: 10, maxBytes: 1e6 } }),
		);
		const again = prepareExport(
			input(candidates(30), {
				limits: { maxCandidates: 10, maxBytes: 1e6 },
				exportedAt: new Date(),
			}),
		);
		expect(again.requests.map((r) => r.key)).toEqual(a.requests.map((r) => r.key));
		const nextExecution = prepareExport(
			input(candidates(30), {
				keys: { source: 'execution', scope: { ...scope, executionId: '43' } },
			}),
		);
		const secondRun = prepareExport(
			input(candidates(30), { keys: { source: 'execution', scope: { ...scope, runIndex: 1 } } }),
		);
		// The same imported workflow on another n8n instance, at the same execution number.
		const otherInstance = prepareExport(
			input(candidates(30), {
				keys: { source: 'execution', scope: { ...scope, instanceId: 'prod' } },
			}),
		);
		expect(otherInstance.batchId).not.toBe(a.batchId);
		expect(nextExecution.batchId).not.toBe(a.batchId);
		expect(secondRun.batchId).not.toBe(a.batchId);
		for (const r of a.requests) expect(r.key).not.toContain('.');
	});

	it('content keys: the same candidates give the same key in any execution, at any time', () => {
		const list = candidates(25);
		const first = prepareExport(
			input(list, {
				limits: { maxCandidates: 10, maxBytes: 1e6 },
				keys: { source: 'content', scope },
			}),
		);
		const rerun = prepareExport(
			input(list, {
				limits: { maxCandidates: 10, maxBytes: 1e6 },
				keys: { source: 'content', scope: { ...scope, executionId: '99' } },
				exportedAt: new Date(),
			}),
		);
		expect(rerun.requests.map((r) => r.key)).toEqual(first.requests.map((r) => r.key));
		// Re-sending only the third chunk's candidates (the Failed output) reuses that chunk's key.
		const resend = prepareExport(
			input(list.slice(20), {
				limits: { maxCandidates: 10, maxBytes: 1e6 },
				keys: { source: 'content', scope },
			}),
		);
		expect(resend.requests[0].key).toBe(first.requests[2].key);
		const changed = prepareExport(
			input([{ ...list[0], email: 'new@example.com' }, ...list.slice(1)], {
				limits: { maxCandidates: 10, maxBytes: 1e6 },
				keys: { source: 'content', scope },
			}),
		);
		expect(changed.requests[0].key).not.toBe(first.requests[0].key);
		expect(changed.requests[1].key).toBe(first.requests[1].key);
		expect(contentKey(scope, 'a', ['x'])).not.toBe(contentKey(scope, 'b', ['x']));
	});

	it('a custom batch id is used as is, made safe for webhook-id', () => {
		const prepared = prepareExport(
			input(candidates(3), {
				keys: { source: 'execution', custom: 'export.2026-03-01 #7', scope },
			}),
		);
		expect(prepared.batchId).toBe('export_2026-03-01_#7');
		expect(prepared.requests[0].key).toBe('export_2026-03-01_#7:0');
		expect(sanitiseBatchId(' a\nb ')).toBe('a_b');
	});
});

describe('prepareEvents', () => {
	const events = [
		{
			position: 0,
			event: {
				event: 'candidate_changed',
				data: {
					action: 'created',
					candidate: 'https://interview-suite.com/api/v3/companies/1/candidates/5/',
				},
			},
		},
		{
			position: 1,
			event: {
				event: 'candidate_changed',
				data: {
					action: 'modified',
					candidate: 'https://interview-suite.com/api/v3/companies/1/candidates/6/',
				},
			},
		},
	];
	const base = {
		endpoint: 'https://abc.com/project',
		keys: { source: 'execution' as const, scope },
		now: at,
	};

	it('viasto: {endpoint, time, event, data} with the viasto User-Agent, one request per item', () => {
		const prepared = prepareEvents({ ...base, events, format: 'viasto' });
		expect(prepared.requests).toHaveLength(2);
		expect(JSON.parse(prepared.requests[0].body)).toEqual({
			endpoint: 'https://abc.com/project',
			time: '2026-03-01T10:00:00.000+00:00',
			event: 'candidate_changed',
			data: events[0].event.data,
		});
		expect(prepared.requests[0].headers['User-Agent']).toBe('interview suite webhook');
	});

	it('Standard Webhooks: {type, timestamp, data}', () => {
		const prepared = prepareEvents({
			...base,
			events: [{ position: 0, event: { event: 'candidate.created', data: { id: 'c1' } } }],
			format: 'standardWebhooks',
		});
		expect(JSON.parse(prepared.requests[0].body)).toEqual({
			type: 'candidate.created',
			timestamp: '2026-03-01T10:00:00.000Z',
			data: { id: 'c1' },
		});
	});

	it('Human Sourcing: an array, one per item or all items in one request', () => {
		const hs = [
			{ position: 0, event: { event: 'creation', objectType: 'job', data: { job_id: 1 } } },
			{ position: 1, event: { event: 'update', objectType: 'candidate', data: { id: 2 } } },
		];
		const single = prepareEvents({ ...base, events: hs, format: 'humanSourcing' });
		expect(single.requests.map((r) => JSON.parse(r.body))).toEqual([
			[{ event: 'creation', type: 'job', data: { job_id: 1 } }],
			[{ event: 'update', type: 'candidate', data: { id: 2 } }],
		]);
		const grouped = prepareEvents({
			...base,
			events: hs,
			format: 'humanSourcing',
			groupInOneRequest: true,
		});
		expect(grouped.requests).toHaveLength(1);
		expect(grouped.requests[0].positions).toEqual([0, 1]);
		expect(JSON.parse(grouped.requests[0].body)).toHaveLength(2);
	});

	it('talentATS: the export envelope with batch_id = the idempotency key', () => {
		const prepared = prepareEvents({
			...base,
			events: [
				{
					position: 0,
					event: { event: 'candidate.exported', data: { candidates: [{ id: 1 }, { id: 2 }] } },
				},
			],
			format: 'talentAts',
		});
		const body = JSON.parse(prepared.requests[0].body);
		expect(body).toEqual({
			event: 'candidate.exported',
			batch_id: prepared.requests[0].key,
			exported_at: '2026-03-01T10:00:00.000Z',
			count: 2,
			candidates: [{ id: 1 }, { id: 2 }],
		});
	});
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local fakes of the six "updated since" list endpoints the ATS Reconcile Trigger polls, on
 * 127.0.0.1 with an ephemeral port, each written from the vendor's documented contract:
 *
 * - Greenhouse Harvest v3: https://harvestdocs.greenhouse.io/docs/list-endpoints (`updated_at=gte|<ISO>`,
 *   `per_page` on the first request only, the next page in `Link: <…>; rel="next"` carrying a
 *   `cursor` that is not combined with other parameters) and /docs/authentication (`POST /token`,
 *   HTTP Basic client id:secret, `grant_type=client_credentials&sub=<user id>`, then Bearer).
 * - Ashby: https://developers.ashbyhq.com/docs/pagination-and-incremental-sync (POST, `limit`,
 *   `cursor` → `nextCursor` + `moreDataAvailable`, `syncToken` with the last page, an expired token
 *   is an error; errors are 200 with `success: false`), HTTP Basic with the key as user.
 * - Lever: https://hire.lever.co/developer/documentation (`limit`, `offset` = `next`, `hasNext`;
 *   `updated_at_start` in ms), HTTP Basic with the key as user.
 * - Workable: https://workable.readme.io/reference/job-candidates-index (`updated_after`, `limit`,
 *   `paging.next` absolute URL), Bearer token; this fake stands for the `/spi/v3` root.
 * - SmartRecruiters: https://developers.smartrecruiters.com/reference/candidatesall-1 (`limit`,
 *   `pageId` ← `nextPageId`, list in `content`), `X-SmartToken`.
 * - Teamtailor: https://docs.teamtailor.com/ (JSON:API, `page[size]` ≤ 30, `links.next`,
 *   `Authorization: Token token=…`, `X-Api-Version` required).
 *
 * Every endpoint can be made to answer 429 (+ Retry-After) or 5xx for the next requests.
 */

export type ReconcileVendor =
	| 'greenhouse'
	| 'ashby'
	| 'lever'
	| 'workable'
	| 'smartrecruiters'
	| 'teamtailor';

export interface FakeRecord {
	id: string;
	updatedAt: number;
	createdAt: number;
	firstName: string;
	lastName: string;
	stage: string;
}

interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

export interface SeenRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingMessage['headers'];
	body: unknown;
}

export const FAKE_KEY = 'test-key';
export const GH_CLIENT = { clientId: 'client-1', clientSecret: 'secret-1', userId: '42' };

export class FakeReconcileApi {
	readonly requests: SeenRequest[] = [];
	records: FakeRecord[] = [];
	private server?: Server;
	private failures: Reply[] = [];
	private readonly expiredTokens = new Set<string>();
	private issuedTokens = 0;
	port = 0;
	/** Greenhouse: the OAuth client the token endpoint accepts (change it to refuse the node's). */
	readonly client = { ...GH_CLIENT };

	constructor(readonly vendor: ReconcileVendor) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.receive(req, res));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.port = (this.server!.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	/** The next list requests get these answers first (a rate limit, an outage). */
	failNext(...replies: Reply[]): void {
		this.failures.push(...replies);
	}

	/** Ashby: the sync token handed out so far stops being valid. */
	expireSyncTokens(): void {
		for (let i = 0; i <= this.issuedTokens; i++) this.expiredTokens.add(`sync-${i}`);
	}

	listCalls(): SeenRequest[] {
		return this.requests.filter((r) => r.path !== '/token');
	}

	add(count: number, updatedAt: number, prefix = 'r'): FakeRecord[] {
		const added: FakeRecord[] = [];
		for (let i = 0; i < count; i++) {
			const record = {
				id: `${prefix}${this.records.length + 1}`,
				updatedAt,
				createdAt: updatedAt - 86_400_000,
				firstName: `First${i}`,
				lastName: `Last${i}`,
				stage: 'Screen',
			};
			this.records.push(record);
			added.push(record);
		}
		return added;
	}

	private since(value: string | null, unit: 'iso' | 'ms'): number {
		if (value === null || value === '') return -Infinity;
		if (unit === 'ms') return Number(value);
		return Date.parse(value);
	}

	private changed(sinceMs: number): FakeRecord[] {
		return this.records.filter((r) => r.updatedAt >= sinceMs);
	}

	private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		let body: unknown = raw;
		try {
			body = raw ? JSON.parse(raw) : undefined;
		} catch {
			body = raw;
		}
		const url = new URL(req.url ?? '/', this.url);
		const seen = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			body,
		};
		this.requests.push(seen);
		let reply: Reply;
		if (url.pathname !== '/token' && this.failures.length) reply = this.failures.shift()!;
		else reply = this.handle(seen);
		res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
		res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
	}

	private handle(r: SeenRequest): Reply {
		switch (this.vendor) {
			case 'greenhouse':
				return this.greenhouse(r);
			case 'ashby':
				return this.ashby(r);
			case 'lever':
				return this.lever(r);
			case 'workable':
				return this.workable(r);
			case 'smartrecruiters':
				return this.smartRecruiters(r);
			default:
				return this.teamtailor(r);
		}
	}

	private page(list: FakeRecord[], offset: number, size: number) {
		const slice = list.slice(offset, offset + size);
		return { slice, next: offset + size < list.length ? offset + size : undefined };
	}

	private greenhouse(r: SeenRequest): Reply {
		if (r.path === '/token') {
			const basic = `Basic ${Buffer.from(`${this.client.clientId}:${this.client.clientSecret}`).toString('base64')}`;
			const form = new URLSearchParams(String(r.body ?? ''));
			if (
				r.method !== 'POST' ||
				r.headers.authorization !== basic ||
				form.get('grant_type') !== 'client_credentials' ||
				form.get('sub') !== this.client.userId
			)
				return { status: 401, body: { error: 'invalid_client' } };
			this.issuedTokens += 1;
			return {
				status: 200,
				body: {
					access_token: `gh-token-${this.issuedTokens}`,
					token_type: 'bearer',
					expires_in: 3600,
				},
			};
		}
		if (!/^Bearer gh-token-\d+$/.test(String(r.headers.authorization)))
			return { status: 401, body: { error: 'unauthorized' } };
		if (r.path !== '/v3/applications') return { status: 404, body: { error: 'not found' } };
		let offset = 0;
		let size: number;
		let sinceMs = -Infinity;
		const cursor = r.query.get('cursor');
		if (cursor) {
			// "cursor cannot be combined with other parameters"
			if ([...r.query.keys()].length !== 1)
				return { status: 400, body: { error: 'cursor cannot be combined with other parameters' } };
			const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
				o: number;
				s: number;
				t: number;
			};
			offset = decoded.o;
			size = decoded.s;
			sinceMs = decoded.t;
		} else {
			size = Math.min(500, Number(r.query.get('per_page') ?? 100));
			const filter = r.query.get('updated_at');
			if (filter) {
				const [op, value] = filter.split('|');
				if (op !== 'gte') return { status: 400, body: { error: 'only gte in this fake' } };
				sinceMs = Date.parse(value);
			}
		}
		const list = this.changed(sinceMs);
		const { slice, next } = this.page(list, offset, size);
		const headers: Record<string, string> = {};
		if (next !== undefined) {
			const c = Buffer.from(
				JSON.stringify({ o: next, s: size, t: sinceMs === -Infinity ? -1e15 : sinceMs }),
			).toString('base64url');
			headers.link = `<${this.url}/v3/applications?cursor=${c}>; rel="next"`;
		}
		return {
			status: 200,
			headers,
			body: slice.map((rec) => ({
				id: Number(rec.id.replace(/\D/g, '')) || rec.id,
				candidate_id: 1000,
				applied_at: new Date(rec.createdAt).toISOString(),
				last_activity_at: new Date(rec.updatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
				updated_at: new Date(rec.updatedAt).toISOString(),
				rejected_at: null,
				status: 'active',
				current_stage: { id: 1, name: rec.stage },
				jobs: [{ id: 7, name: 'Designer', status: 'open' }],
			})),
		};
	}

	private basicOk(r: SeenRequest): boolean {
		return r.headers.authorization === `Basic ${Buffer.from(`${FAKE_KEY}:`).toString('base64')}`;
	}

	private ashby(r: SeenRequest): Reply {
		if (!this.basicOk(r))
			return { status: 401, body: { success: false, errorInfo: { code: 'unauthenticated' } } };
		if (r.method !== 'POST' || r.path !== '/application.list')
			return { status: 404, body: { success: false } };
		const input = (r.body ?? {}) as { limit?: number; cursor?: string; syncToken?: string };
		let sinceMs = -Infinity;
		if (input.syncToken) {
			if (this.expiredTokens.has(input.syncToken))
				return { status: 200, body: { success: false, errors: ['sync_token_expired'] } };
			const issued = this.tokenTimes.get(input.syncToken);
			if (issued === undefined)
				return { status: 200, body: { success: false, errors: ['invalid_sync_token'] } };
			sinceMs = issued;
		}
		const size = Math.min(100, input.limit ?? 100);
		const offset = input.cursor
			? Number(Buffer.from(input.cursor, 'base64url').toString('utf8'))
			: 0;
		const list = this.changed(sinceMs);
		const { slice, next } = this.page(list, offset, size);
		const more = next !== undefined;
		let syncToken: string | undefined;
		if (!more) {
			this.issuedTokens += 1;
			syncToken = `sync-${this.issuedTokens}`;
			// Changes after the newest one served come with the next sync.
			this.tokenTimes.set(
				syncToken,
				Math.max(0, ...list.map((x) => x.updatedAt + 1), sinceMs === -Infinity ? 0 : sinceMs),
			);
		}
		return {
			status: 200,
			body: {
				success: true,
				results: slice.map((rec) => ({
					id: rec.id,
					createdAt: new Date(rec.createdAt).toISOString(),
					updatedAt: new Date(rec.updatedAt).toISOString(),
					status: 'Active',
					candidate: {
						id: `c-${rec.id}`,
						name: `${rec.firstName} ${rec.lastName}`,
						primaryEmailAddress: { value: `${rec.id}@example.com` },
					},
					currentInterviewStage: { id: 's1', title: rec.stage },
					job: { id: 'j1', title: 'Designer' },
				})),
				moreDataAvailable: more,
				...(more ? { nextCursor: Buffer.from(String(next)).toString('base64url') } : { syncToken }),
			},
		};
	}

	private readonly tokenTimes = new Map<string, number>();

	private lever(r: SeenRequest): Reply {
		if (!this.basicOk(r)) return { status: 401, body: { code: 'Unauthorized' } };
		if (r.path !== '/opportunities') return { status: 404, body: {} };
		const size = Math.min(100, Number(r.query.get('limit') ?? 100));
		const offset = Number(r.query.get('offset') ?? 0);
		const list = this.changed(this.since(r.query.get('updated_at_start'), 'ms'));
		const { slice, next } = this.page(list, offset, size);
		return {
			status: 200,
			body: {
				data: slice.map((rec) => ({
					id: rec.id,
					name: `${rec.firstName} ${rec.lastName}`,
					contact: `c-${rec.id}`,
					emails: [`${rec.id}@example.com`],
					stage: 'lead-new',
					createdAt: rec.createdAt,
					updatedAt: rec.updatedAt,
					lastAdvancedAt: rec.createdAt,
				})),
				hasNext: next !== undefined,
				...(next !== undefined ? { next: String(next) } : {}),
			},
		};
	}

	private workable(r: SeenRequest): Reply {
		if (r.headers.authorization !== `Bearer ${FAKE_KEY}`)
			return { status: 401, body: { error: 'Not authorized' } };
		if (r.path !== '/candidates') return { status: 404, body: {} };
		const size = Math.min(100, Number(r.query.get('limit') ?? 50));
		const offset = Number(r.query.get('offset') ?? 0);
		const after = r.query.get('updated_after');
		const list = this.changed(this.since(after, 'iso'));
		const { slice, next } = this.page(list, offset, size);
		const nextUrl = new URL(`${this.url}/candidates`);
		nextUrl.searchParams.set('limit', String(size));
		if (after) nextUrl.searchParams.set('updated_after', after);
		nextUrl.searchParams.set('offset', String(next));
		return {
			status: 200,
			body: {
				candidates: slice.map((rec) => ({
					id: rec.id,
					name: `${rec.firstName} ${rec.lastName}`,
					firstname: rec.firstName,
					lastname: rec.lastName,
					email: `${rec.id}@example.com`,
					stage: rec.stage,
					job: { shortcode: 'ABC123', title: 'Designer' },
					created_at: new Date(rec.createdAt).toISOString(),
					updated_at: new Date(rec.updatedAt).toISOString(),
				})),
				...(next !== undefined ? { paging: { next: nextUrl.toString() } } : {}),
			},
		};
	}

	private smartRecruiters(r: SeenRequest): Reply {
		if (r.headers['x-smarttoken'] !== FAKE_KEY)
			return { status: 401, body: { message: 'Unauthorized' } };
		if (r.path !== '/candidates') return { status: 404, body: {} };
		const size = Math.min(100, Number(r.query.get('limit') ?? 10));
		const offset = Number(r.query.get('pageId') ?? 0);
		const list = this.changed(this.since(r.query.get('updatedAfter'), 'iso'));
		const { slice, next } = this.page(list, offset, size);
		return {
			status: 200,
			body: {
				totalFound: list.length,
				content: slice.map((rec) => ({
					id: rec.id,
					firstName: rec.firstName,
					lastName: rec.lastName,
					email: `${rec.id}@example.com`,
					createdOn: new Date(rec.createdAt).toISOString(),
					updatedOn: new Date(rec.updatedAt).toISOString(),
					primaryAssignment: { job: { id: 'j1', title: 'Designer' }, status: 'IN_REVIEW' },
				})),
				...(next !== undefined ? { nextPageId: String(next) } : {}),
			},
		};
	}

	private teamtailor(r: SeenRequest): Reply {
		if (r.headers.authorization !== `Token token=${FAKE_KEY}` || !r.headers['x-api-version'])
			return { status: 401, body: { errors: [{ title: 'Unauthorized' }] } };
		if (r.path !== '/v1/candidates') return { status: 404, body: {} };
		const size = Math.min(30, Number(r.query.get('page[size]') ?? 10));
		const pageNumber = Number(r.query.get('page[number]') ?? 1);
		const from = r.query.get('filter[updated-at][from]');
		const list = this.changed(this.since(from, 'iso'));
		const { slice, next } = this.page(list, (pageNumber - 1) * size, size);
		const nextUrl = new URL(`${this.url}/v1/candidates`);
		nextUrl.searchParams.set('page[size]', String(size));
		nextUrl.searchParams.set('page[number]', String(pageNumber + 1));
		if (from) nextUrl.searchParams.set('filter[updated-at][from]', from);
		return {
			status: 200,
			body: {
				data: slice.map((rec) => ({
					id: rec.id,
					type: 'candidates',
					attributes: {
						'first-name': rec.firstName,
						'last-name': rec.lastName,
						email: `${rec.id}@example.com`,
						'created-at': new Date(rec.createdAt).toISOString(),
						'updated-at': new Date(rec.updatedAt).toISOString(),
					},
				})),
				links: next !== undefined ? { next: nextUrl.toString() } : {},
			},
		};
	}
}

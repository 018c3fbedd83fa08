import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A local fake of the Kombo ATS API, on 127.0.0.1 with an ephemeral port, written from Kombo's docs:
 *  - auth: `Authorization: Bearer <API key>`; integration endpoints need `X-Integration-Id`
 *    (https://docs.kombo.dev/ats/getting-started/authentication); a wrong key is answered 401 here;
 *  - `GET /ats/applications|candidates|jobs` with `updated_after`, `include_deleted`, `page_size`,
 *    `cursor` (from the previous page's `data.next`), answer `{ status: "success", data: { next,
 *    results } }` (https://docs.kombo.dev/ats/v1/get-candidates,
 *    https://docs.kombo.dev/ats/getting-started/fetching-data).
 * Answers are the fixtures in test/fixtures/kombo/api (candidates in two pages).
 */
export interface KomboCall {
	path: string;
	query: Record<string, string>;
	authorization?: string;
	integrationId?: string;
}

const API = join(__dirname, '..', 'fixtures', 'kombo', 'api');
const page = (name: string): unknown => JSON.parse(readFileSync(join(API, `${name}.json`), 'utf8'));

export class FakeKombo {
	readonly calls: KomboCall[] = [];
	/** Integrations the key may read. */
	readonly integrations = new Set<string>();
	private server?: Server;
	private failures: number[] = [];
	port = 0;

	constructor(readonly apiKey: string) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}/v1`;
	}

	/** The next request gets this status (an outage, a revoked key). */
	failNext(status: number): void {
		this.failures.push(status);
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			const out = this.answer(req);
			res.writeHead(out.status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(out.body));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.port = (this.server!.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	private answer(req: IncomingMessage): { status: number; body: unknown } {
		const url = new URL(req.url ?? '/', 'http://fake');
		const header = (name: string) => {
			const value = req.headers[name];
			return Array.isArray(value) ? value[0] : value;
		};
		const call: KomboCall = {
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			authorization: header('authorization'),
			integrationId: header('x-integration-id'),
		};
		this.calls.push(call);
		const failure = this.failures.shift();
		if (failure)
			return { status: failure, body: { status: 'error', error: { message: 'fake outage' } } };
		if (call.authorization !== `Bearer ${this.apiKey}`)
			return { status: 401, body: { status: 'error', error: { message: 'Invalid API key' } } };
		if (url.pathname === '/v1/check-api-key')
			return { status: 200, body: { status: 'success', data: { environment_id: 'env-1' } } };
		if (!call.integrationId || !this.integrations.has(call.integrationId))
			return {
				status: 404,
				body: { status: 'error', error: { message: 'Integration not found' } },
			};
		switch (url.pathname) {
			case '/v1/ats/applications':
				return { status: 200, body: page('applications') };
			case '/v1/ats/candidates':
				return {
					status: 200,
					body: page(call.query.cursor ? 'candidates.page2' : 'candidates.page1'),
				};
			case '/v1/ats/jobs':
				return { status: 200, body: page('jobs') };
			default:
				return { status: 200, body: { status: 'success', data: { next: null, results: [] } } };
		}
	}
}

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ViastoApi } from '../../credentials/ViastoApi.credentials';
import { ViastoTrigger } from '../../nodes/Viasto/ViastoTrigger.node';
import { deliverSeed, resolveCredentialExpression } from '../helpers/seedDeliver';
import { fixture, fixtureText } from '../helpers/seedFixtures';

/**
 * ViastoTrigger.webhook() with a mocked IWebhookFunctions. Seed 002 (https://viasto.eu/webhooks/index.html).
 * "Fetch Resource" runs against a local fake of the interview suite API v3, written from its docs:
 * token auth (https://viasto.eu/apiv3/authentication.html: a token from /api-token-auth/, sent in the
 * Authorization header) and the candidate resource (https://viasto.eu/apiv3/resources/project_candidates.html,
 * example response: resource_uri, first_name, last_name, gender, email, status, company, project, ...).
 */
const node = new ViastoTrigger();
const UA = { 'user-agent': 'interview suite webhook' };
const TOKEN = 'a9e75326e273e8ef865522ac326b457ef1864e9e';

interface Fake {
	server: Server;
	base: string;
	seen: Array<{ url: string; authorization?: string }>;
}

async function listen(
	handler: (
		req: IncomingMessage,
		base: string,
	) => { status: number; body?: unknown; headers?: Record<string, string> },
): Promise<Fake> {
	const seen: Fake['seen'] = [];
	const fake = { seen } as Fake;
	fake.server = createServer((req, res) => {
		seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
		const out = handler(req, fake.base);
		res.writeHead(out.status, { 'content-type': 'application/json', ...(out.headers ?? {}) });
		res.end(out.body === undefined ? '' : JSON.stringify(out.body));
	});
	await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
	fake.base = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
	return fake;
}

let api: Fake;
let elsewhere: Fake;

beforeAll(async () => {
	elsewhere = await listen(() => ({ status: 200, body: { stolen: true } }));
	api = await listen((req, base) => {
		if (req.headers.authorization !== `Token ${TOKEN}`)
			return { status: 401, body: { detail: 'Invalid token.' } };
		const c = `${base}/api/v3/companies/1`;
		switch (req.url) {
			case '/api/v3/companies/':
				return {
					status: 200,
					body: { meta: { total_count: 1 }, objects: [{ resource_uri: `${c}/` }] },
				};
			case '/api/v3/companies/1/projects/17/candidates/521/':
				return {
					status: 200,
					body: {
						resource_uri: `${c}/projects/17/candidates/521/`,
						first_name: 'Francisco',
						last_name: 'Assis',
						gender: 'mr',
						email: 'francisco.assis@example.com',
						phone: '+49 30 1234567',
						status: 'interviewed',
						company: `${c}/`,
						project: `${c}/projects/17/`,
					},
				};
			case '/api/v3/companies/1/projects/17/':
				return {
					status: 200,
					body: { resource_uri: `${c}/projects/17/`, name: 'Position title', language: 'en-GB' },
				};
			case '/api/v3/companies/1/projects/17/candidates/521/ratings/9/':
				return { status: 302, headers: { location: `${elsewhere.base}/steal` } };
			default:
				return { status: 404, body: { detail: 'Not found.' } };
		}
	});
});

afterAll(async () => {
	await new Promise((resolve) => api.server.close(resolve));
	await new Promise((resolve) => elsewhere.server.close(resolve));
});

/** A seed fixture with its resource URLs moved onto the fake server. */
function onFake(file: string, base = api.base): string {
	return fixtureText('viasto', file).split('https://interview-suite.com').join(base);
}

function fetchOptions(extra: Record<string, unknown> = {}) {
	return {
		parameters: { fetchResource: true, ...extra },
		credentials: { viastoApi: { baseUrl: api.base, token: TOKEN, authScheme: 'Token' } },
		credentialTypes: { viastoApi: new ViastoApi() },
		headers: UA,
	};
}

describe('viasto Interview Suite Trigger node', () => {
	it('describes itself the n8n way', () => {
		expect(node.description).toMatchObject({
			name: 'viastoTrigger',
			displayName: 'viasto Interview Suite Trigger',
			inputs: [],
			icon: 'file:viasto.svg',
		});
		expect(node.description.credentials).toEqual(
			expect.arrayContaining([
				{ name: 'viastoApi', required: true, displayOptions: { show: { fetchResource: [true] } } },
			]),
		);
	});

	it.each([
		['project_changed.seed-example.json', 'project.updated'],
		['project_changed.created.json', 'project.created'],
		['candidate_changed.created.json', 'candidate.created'],
		['answervideo_changed.modified.json', 'video.updated'],
		['rating_changed.created.json', 'rating.created'],
		['note_changed.modified.json', 'note.updated'],
	])('%s -> %s with the main resource URL as subject.url', async (file, event) => {
		const body = fixture<{ data: Record<string, string> }>('viasto', file);
		const { items, response } = await deliverSeed(node, {
			body: fixtureText('viasto', file),
			headers: UA,
		});
		expect(response.status).toBe(200);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ source: 'viasto', event, payload: body });
		expect(Object.values(body.data)).toContain((items[0].subject as { url: string }).url);
	});

	it('"Require Viasto User-Agent": 401 for anything else, 200 for the suite', async () => {
		const body = fixtureText('viasto', 'project_changed.created.json');
		const denied = await deliverSeed(node, {
			body,
			headers: { 'user-agent': 'Mozilla/5.0' },
			parameters: { requireUserAgent: true },
		});
		expect(denied.result).toEqual({ noWebhookResponse: true });
		expect(denied.response).toMatchObject({ status: 401, body: { reason: 'user_agent_mismatch' } });
		expect(
			(await deliverSeed(node, { body, headers: UA, parameters: { requireUserAgent: true } }))
				.items,
		).toHaveLength(1);
	});

	it('a missing authentication credential gives 503 + Retry-After and starts nothing', async () => {
		const { result, response } = await deliverSeed(node, {
			body: fixtureText('viasto', 'project_changed.created.json'),
			headers: UA,
			parameters: { authentication: 'headerToken' },
		});
		expect(response).toMatchObject({
			status: 503,
			headers: { 'retry-after': '60' },
			body: { reason: 'not_configured' },
		});
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('events and actions filter', async () => {
		const parameters = { events: ['candidate_changed', 'rating_changed'], actions: ['created'] };
		expect(
			(
				await deliverSeed(node, {
					body: fixtureText('viasto', 'rating_changed.created.json'),
					parameters,
				})
			).items,
		).toHaveLength(1);
		expect(
			(
				await deliverSeed(node, {
					body: fixtureText('viasto', 'note_changed.modified.json'),
					parameters,
				})
			).response.body,
		).toMatchObject({ reason: 'event_not_selected' });
		expect(
			(
				await deliverSeed(node, {
					body: fixtureText('viasto', 'project_changed.created.json'),
					parameters,
				})
			).items,
		).toHaveLength(0);
	});

	describe('Fetch Resource (local fake of the interview suite API)', () => {
		it('fetches the candidate with the token and puts it on the item', async () => {
			api.seen.length = 0;
			const { items, response, sent } = await deliverSeed(node, {
				body: onFake('candidate_changed.created.json'),
				...fetchOptions(),
			});
			expect(response.status).toBe(200);
			expect(sent).toEqual([
				{
					url: `${api.base}/api/v3/companies/1/projects/17/candidates/521/`,
					method: 'GET',
					headers: { Authorization: `Token ${TOKEN}` },
				},
			]);
			expect(api.seen).toEqual([
				{ url: '/api/v3/companies/1/projects/17/candidates/521/', authorization: `Token ${TOKEN}` },
			]);
			expect(items[0]).toMatchObject({
				event: 'candidate.created',
				subject: { type: 'candidate', id: '521' },
				candidate: {
					id: '521',
					firstName: 'Francisco',
					lastName: 'Assis',
					email: 'francisco.assis@example.com',
				},
				resource: { status: 'interviewed', first_name: 'Francisco' },
			});
			expect(items[0].warnings).toBeUndefined();
		});

		it('fetches a project', async () => {
			const { items } = await deliverSeed(node, {
				body: onFake('project_changed.created.json'),
				...fetchOptions(),
			});
			expect(items[0].resource).toMatchObject({ name: 'Position title' });
		});

		it('with Privacy, the fetched resource keeps ids and URLs, not the person', async () => {
			const { items } = await deliverSeed(node, {
				body: onFake('candidate_changed.created.json'),
				...fetchOptions({ options: { privacy: true } }),
			});
			expect(JSON.stringify(items[0])).not.toMatch(/Francisco|Assis|example\.com|1234567/);
			expect(items[0].resource).toMatchObject({
				status: 'interviewed',
				project: `${api.base}/api/v3/companies/1/projects/17/`,
			});
		});

		it('a 404 or a wrong token: the event is emitted with a warning', async () => {
			const missing = await deliverSeed(node, {
				body: onFake('note_changed.modified.json'),
				...fetchOptions(),
			});
			expect(missing.items).toHaveLength(1);
			expect(missing.items[0].resource).toBeUndefined();
			expect(missing.items[0].warnings).toEqual(['resource_fetch_failed: HTTP 404']);
			const options = fetchOptions();
			options.credentials.viastoApi.token = 'wrong';
			const denied = await deliverSeed(node, {
				body: onFake('candidate_changed.created.json'),
				...options,
			});
			expect(denied.items[0].warnings).toEqual(['resource_fetch_failed: HTTP 401']);
			expect(JSON.stringify(denied.items)).not.toContain('wrong');
		});

		it('the server is down: warning, event emitted', async () => {
			const options = fetchOptions();
			const closed = await listen(() => ({ status: 200 }));
			const deadBase = closed.base;
			await new Promise((resolve) => closed.server.close(resolve));
			options.credentials.viastoApi.baseUrl = deadBase;
			const { items } = await deliverSeed(node, {
				body: onFake('project_changed.created.json', deadBase),
				...options,
			});
			expect(items).toHaveLength(1);
			expect((items[0].warnings as string[])[0]).toMatch(/^resource_fetch_failed: /);
		});

		it('a redirect to another host is not followed: the token stays home', async () => {
			elsewhere.seen.length = 0;
			const { items } = await deliverSeed(node, {
				body: onFake('rating_changed.created.json'),
				...fetchOptions(),
			});
			expect(items[0].warnings).toEqual(['resource_fetch_failed: HTTP 302']);
			expect(elsewhere.seen).toEqual([]);
		});

		it('a resource URL on another host is not fetched at all', async () => {
			elsewhere.seen.length = 0;
			const { items, sent } = await deliverSeed(node, {
				body: onFake('candidate_changed.created.json', elsewhere.base),
				...fetchOptions(),
			});
			expect(sent).toEqual([]);
			expect(elsewhere.seen).toEqual([]);
			expect(items[0].warnings).toEqual([
				expect.stringMatching(/^resource_not_fetched: .*token was not sent/),
			]);
		});

		it('without a usable credential the event still arrives, with a warning', async () => {
			const { items } = await deliverSeed(node, {
				body: onFake('candidate_changed.created.json'),
				parameters: { fetchResource: true },
				headers: UA,
			});
			expect(items).toHaveLength(1);
			expect(items[0].warnings).toEqual(['resource_not_fetched: no usable viasto API credential']);
		});
	});

	it('the credential test request and header resolve as n8n would, and work against the fake', async () => {
		const credential = new ViastoApi();
		const values = { baseUrl: api.base, token: TOKEN, authScheme: 'Token' };
		const base = resolveCredentialExpression(String(credential.test.request.baseURL), values);
		const authorization = resolveCredentialExpression(
			String(credential.authenticate.properties.headers?.Authorization),
			values,
		);
		expect(authorization).toBe(`Token ${TOKEN}`);
		const response = await fetch(new URL(String(credential.test.request.url), base), {
			headers: { Authorization: authorization },
		});
		expect(response.status).toBe(200);
		expect(
			(
				await fetch(new URL(String(credential.test.request.url), base), {
					headers: { Authorization: 'Token nope' },
				})
			).status,
		).toBe(401);
	});
});

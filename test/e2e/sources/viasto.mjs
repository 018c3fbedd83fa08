// e2e for the viasto Interview Suite Trigger (n8n-nodes-ats-webhooks.viastoTrigger) in a real n8n.
// Seed 002 (https://viasto.eu/webhooks/index.html): POST JSON, User-Agent "interview suite webhook",
// {endpoint, time, event, data}. "Fetch Resource" runs against a local fake of the interview suite
// API v3 (token in the Authorization header, https://viasto.eu/apiv3/authentication.html; candidate
// resource as in https://viasto.eu/apiv3/resources/project_candidates.html), started by this file.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, checkMatch } from '../harness.mjs';

const NODE = 'viastoTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/viasto',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const json = (name) => JSON.parse(text(name));
const UA = { 'user-agent': 'interview suite webhook' };
const TOKEN = 'a9e75326e273e8ef865522ac326b457ef1864e9e';

// The fake interview suite API: listens before n8n starts, so the credential can name its URL.
const seen = [];
const fake = http.createServer((req, res) => {
	seen.push({ url: req.url, authorization: req.headers.authorization });
	const send = (status, body) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body));
	};
	if (req.headers.authorization !== `Token ${TOKEN}`)
		return send(401, { detail: 'Invalid token.' });
	const c = `${base}/api/v3/companies/1`;
	if (req.url === '/api/v3/companies/1/projects/17/candidates/521/') {
		return send(200, {
			resource_uri: `${c}/projects/17/candidates/521/`,
			first_name: 'Francisco',
			last_name: 'Assis',
			email: 'francisco.assis@example.com',
			status: 'interviewed',
			project: `${c}/projects/17/`,
		});
	}
	return send(404, { detail: 'Not found.' });
});
await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
fake.unref();
const base = `http://127.0.0.1:${fake.address().port}`;
const onFake = (name) => text(name).split('https://interview-suite.com').join(base);

export const credentials = [
	{
		id: 'e2eViastoApi0001',
		name: 'e2e viasto API (local fake)',
		type: 'viastoApi',
		data: { baseUrl: base, token: TOKEN, authScheme: 'Token' },
	},
];

export const workflows = {
	open: {
		id: 'e2eViastoOpen001',
		nodeType: NODE,
		parameters: {
			authentication: 'none',
			events: [],
			actions: ['created', 'modified'],
			options: {},
		},
	},
	ua: {
		id: 'e2eViastoUa00001',
		nodeType: NODE,
		parameters: { authentication: 'none', requireUserAgent: true, options: {} },
	},
	fetch: {
		id: 'e2eViastoFetch01',
		nodeType: NODE,
		parameters: { authentication: 'none', fetchResource: true, options: {} },
		credentials: { viastoApi: 'e2eViastoApi0001' },
	},
};

const six = [
	['project_changed.seed-example.json', 'project.updated', 'project', '17'],
	['project_changed.created.json', 'project.created', 'project', '17'],
	['candidate_changed.created.json', 'candidate.created', 'candidate', '521'],
	['answervideo_changed.modified.json', 'video.updated', 'video', '88'],
	['rating_changed.created.json', 'rating.created', 'rating', '9'],
	['note_changed.modified.json', 'note.updated', 'note', '12'],
];

export const cases = [
	...six.map(([file, event, type, id]) => ({
		name: `${file} (with the suite's User-Agent) → 1 execution, ${event}`,
		workflow: 'open',
		send: { body: text(file), headers: UA },
		expect: {
			status: 200,
			json: { status: 'accepted', events: 1 },
			executions: 1,
			items: [
				{
					source: 'viasto',
					event,
					sourceEvent: json(file).event,
					subject: { type, id, url: /^https:\/\/interview-suite\.com\/api\/v3\/companies\/1\// },
					payload: json(file),
				},
			],
		},
	})),
	{
		name: 'Require User-Agent: another agent → 401, no execution',
		workflow: 'ua',
		send: { body: text('project_changed.created.json'), headers: { 'user-agent': 'curl/8.5.0' } },
		expect: { status: 401, json: { reason: 'user_agent_mismatch' }, executions: 0 },
	},
	{
		name: 'Require User-Agent: "interview suite webhook" → 1 execution',
		workflow: 'ua',
		send: { body: text('project_changed.created.json'), headers: UA },
		expect: { status: 200, executions: 1, items: [{ event: 'project.created' }] },
	},
	{
		name: 'Fetch Resource: the candidate is fetched with the API token and put on the item',
		workflow: 'fetch',
		run: async (t) => {
			seen.length = 0;
			checkMatch(
				await t.send(
					t.request('fetch', { body: onFake('candidate_changed.created.json'), headers: UA }),
				),
				{ status: 200, json: { status: 'accepted' } },
				'response',
			);
			const [exec] = await t.newExecutions('fetch', 1);
			checkMatch(
				exec.items,
				[
					{
						event: 'candidate.created',
						subject: { id: '521' },
						candidate: { firstName: 'Francisco', lastName: 'Assis' },
						resource: { status: 'interviewed' },
					},
				],
				'items',
			);
			check(
				seen.length === 1 && seen[0].authorization === `Token ${TOKEN}`,
				`fake API saw ${JSON.stringify(seen)}`,
			);
		},
	},
	{
		name: 'Fetch Resource: a 404 from the API → the event still runs, with a warning',
		workflow: 'fetch',
		send: { body: onFake('note_changed.modified.json'), headers: UA },
		expect: {
			status: 200,
			executions: 1,
			items: [{ event: 'note.updated', warnings: ['resource_fetch_failed: HTTP 404'] }],
		},
	},
	{
		name: 'Fetch Resource: a resource URL on another host is not fetched (the token stays home)',
		workflow: 'fetch',
		run: async (t) => {
			seen.length = 0;
			await t.send(t.request('fetch', { body: text('rating_changed.created.json'), headers: UA }));
			const [exec] = await t.newExecutions('fetch', 1);
			check(
				exec.items.length === 1 && /^resource_not_fetched/.test(exec.items[0].warnings?.[0] ?? ''),
				JSON.stringify(exec.items[0]?.warnings),
			);
			check(seen.length === 0, `fake API saw ${JSON.stringify(seen)}`);
		},
	},
];

// e2e for the Recruitis Trigger (n8n-nodes-ats-webhooks.recruitisTrigger) in a real n8n. Seed 000:
// seven position events, a "Test" call that must succeed without an execution. The bodies are our
// fixtures (test/fixtures/recruitis, assumed shapes: the Recruitis JSON is not public).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, checkMatch } from '../harness.mjs';

const NODE = 'recruitisTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/recruitis',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const json = (name) => JSON.parse(text(name));

export const credentials = [
	{
		id: 'e2eRecruitisTok1',
		name: 'e2e Recruitis header token',
		type: 'atsWebhookHeaderTokenApi',
		data: { headerName: 'x-recruitis-token', token: 'e2e-recruitis-token', previousToken: '' },
	},
];

export const workflows = {
	open: {
		id: 'e2eRecruitisOpen',
		nodeType: NODE,
		parameters: { authentication: 'none', events: [], options: {} },
	},
	filter: {
		id: 'e2eRecruitisFilt',
		nodeType: NODE,
		parameters: { authentication: 'none', events: ['job.opened', 'job.published'], options: {} },
	},
	token: {
		id: 'e2eRecruitisTokn',
		nodeType: NODE,
		parameters: { authentication: 'headerToken', options: {} },
		credentials: { atsWebhookHeaderTokenApi: 'e2eRecruitisTok1' },
	},
	tests: {
		id: 'e2eRecruitisTest',
		nodeType: NODE,
		parameters: { authentication: 'none', options: { emitTestEvents: true } },
	},
};

const accepted = { status: 'accepted', events: 1 };
const seven = [
	['1-position-added.json', 'job.created'],
	['2-position-edited.json', 'job.updated'],
	['3-position-opened.json', 'job.opened'],
	['4-position-closed.json', 'job.closed'],
	['5-position-archived.json', 'job.archived'],
	['6-position-published.json', 'job.published'],
	['7-position-withdrawn.json', 'job.unpublished'],
];

export const cases = [
	...seven.map(([file, event], i) => ({
		name: `${file} → 200, 1 execution with ${event}`,
		workflow: 'open',
		send: { body: text(file) },
		...(i === 0 ? { remember: 'recruitis-added' } : {}),
		expect: {
			status: 200,
			json: accepted,
			executions: 1,
			items: [
				{
					source: 'recruitis',
					event,
					subject: { type: 'job', id: '48213' },
					delivery: { verified: false, scheme: 'none' },
					payload: json(file),
					...(event === 'job.published' || event === 'job.unpublished'
						? { channel: { id: '7', name: 'Jobs.cz' } }
						: {}),
				},
			],
		},
	})),
	{
		name: '"Test" as a GET → 200, no execution',
		workflow: 'open',
		send: { method: 'GET', contentType: null },
		expect: { status: 200, json: { status: 'ok', reason: 'test' }, executions: 0 },
	},
	{
		name: '"Test" as an empty POST → 200, no execution',
		workflow: 'open',
		send: { body: '' },
		expect: { status: 200, json: { status: 'ok', reason: 'test' }, executions: 0 },
	},
	{
		name: '"Test" as {} → 200, no execution',
		workflow: 'open',
		send: { body: text('test-empty-object.json') },
		expect: { status: 200, json: { status: 'ok' }, executions: 0 },
	},
	{
		name: '"Test" as {"event":"test"} to a token-protected trigger, without the token → 200, no execution',
		workflow: 'token',
		send: { body: text('test-event.json'), sign: false },
		expect: { status: 200, json: { status: 'ok' }, executions: 0 },
	},
	{
		name: 'token-protected: a position event without the token → 401, no execution',
		workflow: 'token',
		send: { body: text('3-position-opened.json'), sign: false },
		expect: { status: 401, json: { error: 'unauthorized' }, executions: 0 },
	},
	{
		name: 'token-protected: with the token → 1 execution, verified',
		workflow: 'token',
		send: { body: text('3-position-opened.json') },
		expect: {
			status: 200,
			json: accepted,
			executions: 1,
			items: [{ event: 'job.opened', delivery: { verified: true, scheme: 'headerToken' } }],
		},
	},
	{
		name: '"Emit Test Events": a GET "Test" → 1 execution with event test',
		workflow: 'tests',
		send: { method: 'GET', contentType: null },
		expect: {
			status: 200,
			executions: 1,
			items: [{ source: 'recruitis', event: 'test', subject: { type: 'test' } }],
		},
	},
	{
		name: '"Emit Test Events": an empty POST "Test" → 1 execution with event test',
		workflow: 'tests',
		send: { body: '' },
		expect: { status: 200, executions: 1, items: [{ event: 'test' }] },
	},
	{
		name: 'filter: position closed is not selected → 200 ignored, no execution',
		workflow: 'filter',
		send: { body: text('4-position-closed.json') },
		expect: {
			status: 200,
			json: { status: 'ignored', reason: 'event_not_selected' },
			executions: 0,
		},
	},
	{
		name: 'filter: position published is selected → 1 execution',
		workflow: 'filter',
		send: { body: text('6-position-published.json') },
		expect: {
			status: 200,
			json: accepted,
			executions: 1,
			items: [{ event: 'job.published', channel: { name: 'Jobs.cz' } }],
		},
	},
	{
		name: 'an unnamed event with ?event=archived on the URL → job.archived',
		workflow: 'open',
		run: async (t) => {
			const req = t.request('open', { body: { job_id: 555, title: 'Query-named' } });
			req.url += '?event=archived';
			checkMatch(await t.send(req), { status: 200, json: accepted }, 'response');
			const [exec] = await t.newExecutions('open', 1);
			checkMatch(
				exec.items,
				[{ event: 'job.archived', sourceEvent: 'archived', subject: { id: '555' } }],
				'items',
			);
		},
	},
	{
		name: 'an unrecognised event name → still 1 execution, event unknown, with a warning',
		workflow: 'open',
		send: { body: { event: 'position_moved', job_id: 556 } },
		expect: {
			status: 200,
			json: accepted,
			executions: 1,
			items: (items) => {
				check(
					items.length === 1 && items[0].event === 'unknown' && items[0].subject.id === '556',
					JSON.stringify(items),
				);
				check(
					items[0].warnings.some((w) => w.startsWith('event_unrecognised')),
					`warnings: ${JSON.stringify(items[0].warnings)}`,
				);
			},
		},
	},
	{
		name: 'the same position event again → 200 duplicate, no execution',
		workflow: 'open',
		replay: 'recruitis-added',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		phase: 'afterRestart',
		name: 'after restart: the position event seen before → duplicate, no execution',
		workflow: 'open',
		replay: 'recruitis-added',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
];

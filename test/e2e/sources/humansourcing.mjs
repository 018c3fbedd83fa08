// e2e for the Human Sourcing Trigger (n8n-nodes-ats-webhooks.humanSourcingTrigger) in a real n8n.
// Seed 003 (https://doc-api-core.humansourcing.com/content/webhook.html): a JSON array of
// {event: creation|update|delete, type: job|candidate, data}; fixtures in test/fixtures/humansourcing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../harness.mjs';

const NODE = 'humanSourcingTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/humansourcing',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const json = (name) => JSON.parse(text(name));

export const credentials = [];

export const workflows = {
	open: {
		id: 'e2eHumanSrcOpen1',
		nodeType: NODE,
		parameters: { authentication: 'none', options: {} },
	},
	mixed: {
		id: 'e2eHumanSrcMixd1',
		nodeType: NODE,
		parameters: { authentication: 'none', options: {} },
	},
	jobs: {
		id: 'e2eHumanSrcJobs1',
		nodeType: NODE,
		parameters: { authentication: 'none', types: ['job'], options: {} },
	},
	priv: {
		id: 'e2eHumanSrcPriv1',
		nodeType: NODE,
		parameters: { authentication: 'none', options: { privacy: true } },
	},
};

const six = [
	['job-creation.json', 'job.created', 'job', '126751'],
	['job-update.json', 'job.updated', 'job', '126751'],
	['job-delete.json', 'job.deleted', 'job', '126751'],
	['candidate-creation.json', 'candidate.created', 'candidate', '1234567876'],
	['candidate-update.json', 'candidate.updated', 'candidate', '1234567876'],
	['candidate-delete.json', 'candidate.deleted', 'candidate', '12121'],
];

export const cases = [
	...six.map(([file, event, type, id]) => ({
		name: `${file} → 200 JSON, 1 execution, ${event}, payload intact`,
		workflow: 'open',
		send: { body: text(file) },
		...(file === 'candidate-creation.json' ? { remember: 'hs-candidate-creation' } : {}),
		expect: {
			status: 200,
			json: { status: 'accepted', events: 1 },
			executions: 1,
			items: [{ source: 'humansourcing', event, subject: { type, id }, payload: json(file)[0] }],
		},
	})),
	{
		name: 'an array of 3 elements → 1 execution with 3 items',
		workflow: 'mixed',
		send: { body: text('mixed-3.json') },
		expect: {
			status: 200,
			json: { status: 'accepted', events: 3 },
			executions: 1,
			items: [
				{ event: 'job.created', subject: { id: '126751' }, batch: { index: 0, size: 3 } },
				{ event: 'candidate.updated', subject: { id: '1234567876' }, batch: { index: 1, size: 3 } },
				{ event: 'candidate.deleted', subject: { id: '12121' }, batch: { index: 2, size: 3 } },
			],
		},
	},
	{
		name: 'the single-object form → 1 execution',
		workflow: 'mixed',
		send: { body: text('single-object-job-delete.json') },
		expect: {
			status: 200,
			executions: 1,
			items: [{ event: 'job.deleted', subject: { id: '126751' } }],
		},
	},
	{
		name: 'job endpoint only: the 3-element array → 1 item (job.created), 2 filtered',
		workflow: 'jobs',
		send: { body: text('mixed-3.json') },
		expect: {
			status: 200,
			json: { events: 1, filtered: 2 },
			executions: 1,
			items: [{ event: 'job.created' }],
		},
	},
	{
		name: 'job endpoint only: a candidate delivery → 200 ignored, no execution',
		workflow: 'jobs',
		send: { body: text('candidate-update.json') },
		expect: { status: 200, json: { status: 'ignored' }, executions: 0 },
	},
	{
		name: 'Privacy: attachments text, emails and phones gone, ids kept',
		workflow: 'priv',
		send: { body: text('candidate-creation.json') },
		expect: {
			status: 200,
			executions: 1,
			items: (items) => {
				check(items.length === 1, `${items.length} items`);
				const all = JSON.stringify(items);
				check(
					!/#Maxime#|example\.com|Candidate Firstname|DURANT/.test(all),
					`personal data left: ${all.slice(0, 300)}`,
				);
				const data = items[0].payload.data;
				check(
					data.id === 1234567876 &&
						JSON.stringify(data.action.map((a) => a.id)) ===
							'["14437912","14197986","14197985","4775507"]',
					JSON.stringify(data).slice(0, 300),
				);
				check(
					JSON.stringify(data.action[2].attachment) === '[{"id":367479},{"id":367480}]',
					JSON.stringify(data.action[2].attachment),
				);
			},
		},
	},
	{
		name: 'the same candidate creation again → 200 duplicate, no execution',
		workflow: 'open',
		replay: 'hs-candidate-creation',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
	{
		phase: 'afterRestart',
		name: 'after restart: the candidate creation seen before → duplicate',
		workflow: 'open',
		replay: 'hs-candidate-creation',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
];

// e2e for the talentATS Trigger (n8n-nodes-ats-webhooks.talentAtsTrigger) in a real n8n. Seed 001:
// "Export to Webhook" sends ONE request per export batch with all selected candidates.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, checkMatch } from '../harness.mjs';

const NODE = 'talentAtsTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/talentats',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

export const credentials = [];

export const workflows = {
	open: {
		id: 'e2eTalentAtsOpen',
		nodeType: NODE,
		parameters: { authentication: 'none', options: {} },
	},
	obj: {
		id: 'e2eTalentAtsObj1',
		nodeType: NODE,
		parameters: { authentication: 'none', options: {} },
	},
	one: {
		id: 'e2eTalentAtsOne1',
		nodeType: NODE,
		parameters: { authentication: 'none', options: { batchAsOneItem: true } },
	},
	priv: {
		id: 'e2eTalentAtsPriv',
		nodeType: NODE,
		parameters: { authentication: 'none', options: { privacy: true } },
	},
};

/** An export as our ATS Webhook action sends it: {event, batch_id, exported_at, count, candidates}. */
function exportBatch(batchId, size, offset = 0) {
	const candidates = Array.from({ length: size }, (_, i) => ({
		id: `cand_${offset + i}`,
		first_name: `First${offset + i}`,
		last_name: `Last${offset + i}`,
		email: `person${offset + i}@example.com`,
		phone: `+44 7700 9${String(offset + i).padStart(5, '0')}`,
		vacancy_id: 'vac_e2e',
		stage: 'Interview',
	}));
	return {
		event: 'candidate.exported',
		batch_id: batchId,
		exported_at: '2026-01-02T03:04:05Z',
		count: size,
		candidates,
	};
}

const ids = (items) => items.map((i) => i.subject?.id);

export const cases = [
	{
		name: 'export-array.json (top-level array of 3) → 1 execution, 3 candidate.exported items',
		workflow: 'open',
		send: { body: text('export-array.json') },
		expect: {
			status: 200,
			json: { status: 'accepted', events: 3 },
			executions: 1,
			items: [
				{
					source: 'talentats',
					event: 'candidate.exported',
					subject: { id: 'cand_8f2a1' },
					batch: { index: 0, size: 3 },
					candidate: { firstName: 'Amelia' },
					job: { id: 'vac_301' },
				},
				{ subject: { id: 'cand_8f2a2' }, batch: { index: 1, size: 3 } },
				{ subject: { id: 'cand_8f2a3' }, batch: { index: 2, size: 3 } },
			],
		},
	},
	{
		name: 'the same candidates re-exported (export-object.json) → 200 duplicate, no execution (per-candidate dedup)',
		workflow: 'open',
		send: { body: text('export-object.json') },
		expect: { status: 200, json: { status: 'duplicate', duplicates: 3 }, executions: 0 },
	},
	{
		name: 'export-object.json on a fresh trigger → 3 items with the export id and the vacancy of the envelope',
		workflow: 'obj',
		send: { body: text('export-object.json') },
		expect: {
			status: 200,
			executions: 1,
			items: [1, 2, 3].map((n, index) => ({
				subject: { id: `cand_8f2a${n}` },
				batch: { id: 'exp_20250310_01', index, size: 3 },
				job: { id: 'vac_301', title: 'Senior Data Engineer' },
				occurredAt: '2025-03-10T09:30:00.000Z',
			})),
		},
	},
	{
		name: 'a 250-candidate batch → 1 execution with 250 items (index 0..249, size 250)',
		workflow: 'open',
		run: async (t) => {
			const req = t.request('open', { body: exportBatch('e2e-250', 250) });
			t.memo.set('talentats-250', req);
			const started = performance.now();
			const res = await t.send(req);
			const answeredMs = Math.round(performance.now() - started);
			checkMatch(
				res,
				{ status: 200, json: { status: 'accepted', events: 250, duplicates: 0 } },
				'response',
			);
			const [exec] = await t.newExecutions('open', 1);
			const items = exec.items;
			check(items.length === 250, `${items.length} items`);
			check(new Set(ids(items)).size === 250, 'distinct candidates');
			items.forEach((item, i) =>
				check(
					item.batch?.id === 'e2e-250' &&
						item.batch.index === i &&
						item.batch.size === 250 &&
						item.event === 'candidate.exported',
					`item ${i}: ${JSON.stringify(item.batch)}`,
				),
			);
			t.note = `${(req.body.length / 1024).toFixed(0)} KiB answered in ${answeredMs} ms`;
		},
	},
	{
		name: 'the same 250 batch resent → 200 duplicate, no execution',
		workflow: 'open',
		replay: 'talentats-250',
		expect: { status: 200, json: { status: 'duplicate', duplicates: 250 }, executions: 0 },
	},
	{
		name: 'a new batch overlapping the last 10 candidates → only the 5 new ones run',
		workflow: 'open',
		send: { body: exportBatch('e2e-overlap', 15, 240) },
		expect: {
			status: 200,
			json: { status: 'accepted', events: 5, duplicates: 10 },
			executions: 1,
			items: (items) =>
				check(
					JSON.stringify(ids(items)) ===
						JSON.stringify(['cand_250', 'cand_251', 'cand_252', 'cand_253', 'cand_254']),
					JSON.stringify(ids(items)),
				),
		},
	},
	{
		name: '"Emit Batch as One Item": export-action-node.json → 1 item holding 2 events',
		workflow: 'one',
		send: { body: text('export-action-node.json') },
		expect: {
			status: 200,
			executions: 1,
			items: [{ source: 'talentats', count: 2, batch: { id: 'batch_7d1c', size: 2 } }],
		},
	},
	{
		name: 'Privacy: a batch of 4 → 4 items without names, emails or phones',
		workflow: 'priv',
		send: { body: exportBatch('e2e-priv', 4, 900) },
		expect: {
			status: 200,
			executions: 1,
			items: (items) => {
				check(items.length === 4, `${items.length} items`);
				const all = JSON.stringify(items);
				check(
					!/First9|Last9|example\.com|\+44 7700/.test(all),
					`personal data left: ${all.slice(0, 300)}`,
				);
				check(
					JSON.stringify(ids(items)) ===
						JSON.stringify(['cand_900', 'cand_901', 'cand_902', 'cand_903']),
					JSON.stringify(ids(items)),
				);
			},
		},
	},
	{
		phase: 'afterRestart',
		name: 'after restart: the 250 batch is still known → duplicate, no execution',
		workflow: 'open',
		replay: 'talentats-250',
		expect: { status: 200, json: { status: 'duplicate' }, executions: 0 },
	},
];

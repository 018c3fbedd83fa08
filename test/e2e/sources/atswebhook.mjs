// e2e for the ATS Webhook action node (n8n-nodes-ats-webhooks.atsWebhook) in a real n8n: a workflow
// exports candidates with it to our talentATS Trigger in another workflow of the same instance.
// Seed 001: ONE request per export batch; the issue: split only above the count cap.
//
// The harness builds single-trigger workflows (the receivers). The sender starts with a Manual
// Trigger, so it is imported while n8n runs and executed with `n8n execute --id` (a second n8n
// process on the same database, with its own task-broker port); its request goes over HTTP to the
// running instance, which records the talentATS Trigger's execution.
import { randomBytes } from 'node:crypto';
import { freePort, importWorkflows, n8nCli, sqlite } from '../../../scripts/n8n/lib/runtime.mjs';
import { check, stableUuid } from '../harness.mjs';

const SIGNING_ID = 'e2eAtsWhSigning1';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

export const credentials = [
	{
		id: SIGNING_ID,
		name: 'e2e ATS Webhook signing secret',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: SECRET, previousSecret: '' },
	},
];

const signing = { atsWebhookSigningSecretApi: SIGNING_ID };
export const workflows = {
	// Receivers: the talentATS Trigger, verifying the Standard Webhooks signature of the export.
	one: {
		id: 'e2eAtsWhRecvOne1',
		nodeType: 'talentAtsTrigger',
		parameters: { authentication: 'standardWebhooks', options: {} },
		credentials: signing,
	},
	chunks: {
		id: 'e2eAtsWhRecvChk1',
		nodeType: 'talentAtsTrigger',
		parameters: { authentication: 'standardWebhooks', options: {} },
		credentials: signing,
	},
};

/** `n` candidates with distinct ids under `prefix`. */
function candidates(prefix, n) {
	return Array.from({ length: n }, (_, i) => ({
		id: `${prefix}_${i}`,
		first_name: `First${i}`,
		last_name: `Last${i}`,
		email: `${prefix}${i}@example.com`,
		vacancy_id: 'vac_e2e',
	}));
}

/**
 * Manual Trigger → Set (the candidates as JSON) → Split Out (one item each) → ATS Webhook
 * (Export Candidates, Standard Webhooks) → the receiver's production URL. The URL is an
 * expression on $execution.resumeUrl, the instance's own base URL, as in the demo workflow.
 */
function senderWorkflow(id, receiverWebhookId, list, exportParameters = {}) {
	const node = (name, type, typeVersion, position, parameters, extra = {}) => ({
		id: stableUuid(`${id}-${name}`),
		name,
		type,
		typeVersion,
		position,
		parameters,
		...extra,
	});
	return {
		id,
		name: `e2e ATS Webhook sender ${id}`,
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
			node('Candidates', 'n8n-nodes-base.set', 3.4, [220, 0], {
				mode: 'raw',
				jsonOutput: JSON.stringify({ candidates: list }),
				options: {},
			}),
			node('One Item per Candidate', 'n8n-nodes-base.splitOut', 1, [440, 0], {
				fieldToSplitOut: 'candidates',
				include: 'noOtherFields',
				options: {},
			}),
			node(
				'ATS Webhook',
				'n8n-nodes-ats-webhooks.atsWebhook',
				1,
				[660, 0],
				{
					operation: 'exportCandidates',
					url: `={{ $execution.resumeUrl.split('/webhook-waiting/')[0] }}/webhook/${receiverWebhookId}/webhook`,
					authentication: 'standardWebhooks',
					bodyFormat: 'envelope',
					...exportParameters,
					options: { timeoutMs: 20000, budgetSeconds: 60 },
				},
				{
					credentials: {
						atsWebhookSigningSecretApi: { id: SIGNING_ID, name: credentials[0].name },
					},
				},
			),
		],
		connections: {
			Start: { main: [[{ node: 'Candidates', type: 'main', index: 0 }]] },
			Candidates: { main: [[{ node: 'One Item per Candidate', type: 'main', index: 0 }]] },
			'One Item per Candidate': { main: [[{ node: 'ATS Webhook', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

/** Import the sender and run it once with `n8n execute`; returns the ATS Webhook node's two outputs. */
async function exportOnce(t, wf) {
	await importWorkflows(t.instance, [wf]);
	let brokerPort = await freePort();
	while (brokerPort === t.instance.brokerPort || brokerPort === t.instance.port)
		brokerPort = await freePort();
	const cli = {
		...t.instance,
		env: { ...t.instance.env, N8N_RUNNERS_BROKER_PORT: String(brokerPort) },
	};
	const started = Date.now();
	await n8nCli(cli, ['execute', `--id=${wf.id}`, '--rawOutput'], { timeoutMs: 240_000 });
	const cliMs = Date.now() - started;
	const [row] = await sqlite(
		t.instance,
		'select id, status, mode from execution_entity where workflowId = ? order by id desc limit 1',
		[wf.id],
	);
	check(row, `no execution of the sender ${wf.id} recorded`);
	check(row.status === 'success', `sender execution #${row.id} ended ${row.status}`);
	const [data] = await sqlite(
		t.instance,
		'select data from execution_data where executionId = ?',
		[row.id],
		{ flatted: ['data'] },
	);
	const run = data?.data?.resultData?.runData?.['ATS Webhook']?.[0];
	const [delivered = [], failed = []] = (run?.data?.main ?? []).map((items) =>
		(items ?? []).map((i) => i.json),
	);
	return { delivered, failed, cliMs };
}

const ids = (items) => items.map((i) => i.subject?.id);

export const cases = [
	{
		name: 'a workflow exports 250 candidates with the ATS Webhook node → the talentATS Trigger records ONE execution with 250 items, signature verified',
		run: async (t) => {
			const list = candidates('exp', 250);
			const { delivered, failed, cliMs } = await exportOnce(
				t,
				senderWorkflow('e2eAtsWhSendOne1', t.trigger('one').webhookId, list),
			);
			check(failed.length === 0, `Failed output: ${JSON.stringify(failed[0] ?? {}).slice(0, 300)}`);
			check(delivered.length === 1, `${delivered.length} requests, expected 1`);
			check(
				delivered[0].status === 200 && delivered[0].count === 250 && delivered[0].attempts === 1,
				JSON.stringify(delivered[0]).slice(0, 300),
			);
			const [exec] = await t.newExecutions('one', 1);
			check(exec.items.length === 250, `${exec.items.length} items`);
			check(
				JSON.stringify(ids(exec.items)) === JSON.stringify(list.map((c) => c.id)),
				'candidate ids and order',
			);
			exec.items.forEach((item, i) =>
				check(
					item.event === 'candidate.exported' &&
						item.delivery?.verified === true &&
						item.delivery?.scheme === 'standardWebhooks' &&
						item.batch?.id === delivered[0].idempotencyKey &&
						item.batch?.index === i,
					`item ${i}: ${JSON.stringify({ event: item.event, delivery: item.delivery, batch: item.batch })}`,
				),
			);
			t.note = `n8n execute of the sender took ${cliMs} ms; key ${delivered[0].idempotencyKey}`;
		},
	},
	{
		name: '250 candidates with a cap of 100 → 3 complete requests → 3 executions with 100, 100 and 50 items',
		run: async (t) => {
			const list = candidates('chk', 250);
			const { delivered, failed } = await exportOnce(
				t,
				senderWorkflow('e2eAtsWhSendChk1', t.trigger('chunks').webhookId, list, {
					maxCandidates: 100,
				}),
			);
			check(failed.length === 0, `Failed output: ${JSON.stringify(failed[0] ?? {}).slice(0, 300)}`);
			check(
				JSON.stringify(delivered.map((d) => [d.chunkIndex, d.chunkCount, d.count])) ===
					JSON.stringify([
						[0, 3, 100],
						[1, 3, 100],
						[2, 3, 50],
					]),
				JSON.stringify(delivered.map((d) => [d.chunkIndex, d.count])),
			);
			const execs = await t.newExecutions('chunks', 3);
			const sizes = execs.map((e) => e.items.length).sort((a, b) => b - a);
			check(JSON.stringify(sizes) === '[100,100,50]', `execution sizes ${JSON.stringify(sizes)}`);
			const all = execs.flatMap((e) => ids(e.items)).sort();
			check(
				JSON.stringify(all) === JSON.stringify(list.map((c) => c.id).sort()),
				'every candidate exactly once across the 3 executions',
			);
		},
	},
];

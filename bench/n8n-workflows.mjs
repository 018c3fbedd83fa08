// The workflows parts 3 and 4 of `npm run bench` import into one real n8n. Built in code because
// part 4 needs the loopback receiver's port in the URLs. Ids are fixed (16 characters, as n8n wants).
import { createHash } from 'node:crypto';

export const PACKAGE = 'n8n-nodes-ats-webhooks';
export const SIGNING_CREDENTIAL = {
	id: 'benchSigningKey1',
	name: 'bench signing secret',
	type: 'atsWebhookSigningSecretApi',
};

/** A UUID-shaped id derived from a name, so webhook URLs are stable. */
export function stableUuid(name) {
	const h = createHash('sha1').update(`bench:${name}`).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function workflow(id, name, nodes, connections = {}) {
	return {
		id,
		name,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

function node(wfId, name, type, typeVersion, position, parameters, extra = {}) {
	return {
		id: stableUuid(`${wfId}-${name}`),
		name,
		type,
		typeVersion,
		position,
		parameters,
		...extra,
	};
}

const chain = (...names) =>
	Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);

/** n8n's Header Auth credential for its Webhook node: the like-for-like reference (a checked secret). */
export const HEADER_AUTH_CREDENTIAL = {
	id: 'benchHeaderAuth1',
	name: 'bench header auth',
	type: 'httpHeaderAuth',
};
export const HEADER_AUTH_NAME = 'x-bench-token';

const signingRef = {
	atsWebhookSigningSecretApi: { id: SIGNING_CREDENTIAL.id, name: SIGNING_CREDENTIAL.name },
};

// ---------------------------------------------------------------------------------------------
// Part 3: one trigger alone per workflow. The URL of both is /webhook/<webhookId>/webhook.
// ---------------------------------------------------------------------------------------------
export const INGEST = {
	ours: { id: 'benchGreenhouse1', webhookId: stableUuid('greenhouse-trigger') },
	// The same node saved with type version 1 (n8n evaluates an expression per request for it).
	oursV1: { id: 'benchGreenhouseV', webhookId: stableUuid('greenhouse-trigger-v1') },
	// Events = hire_candidate only: the bench's stage-change body is filtered out (200 ignored).
	filtered: { id: 'benchGreenhouseF', webhookId: stableUuid('greenhouse-trigger-filtered') },
	// Deduplicate Deliveries off: no dedup bookkeeping (no claim, no key written by the execution).
	noDedup: { id: 'benchGreenhouseN', webhookId: stableUuid('greenhouse-trigger-nodedup') },
	builtin: { id: 'benchBuiltinHook', webhookId: stableUuid('builtin-webhook') },
	builtinAuth: { id: 'benchBuiltinAuth', webhookId: stableUuid('builtin-webhook-auth') },
};

function greenhouseWorkflow(key, name, typeVersion, events, options = {}) {
	return workflow(INGEST[key].id, name, [
		node(
			INGEST[key].id,
			'Greenhouse Trigger',
			`${PACKAGE}.greenhouseTrigger`,
			typeVersion,
			[0, 0],
			{ events, options },
			{
				webhookId: INGEST[key].webhookId,
				credentials: signingRef,
			},
		),
	]);
}

/** `baseline`: only what a package without type version 2 can load (bench part 3b's second n8n). */
export function ingestWorkflows({ baseline = false } = {}) {
	const ours = greenhouseWorkflow('ours', 'bench: Greenhouse Trigger alone', baseline ? 1 : 2, []);
	const oursV1 = greenhouseWorkflow('oursV1', 'bench: Greenhouse Trigger v1 alone', 1, []);
	const filtered = greenhouseWorkflow('filtered', 'bench: Greenhouse Trigger, hires only', 2, [
		'hire_candidate',
	]);
	// n8n's Webhook node: POST, answers when received (before the execution runs), like our trigger.
	// It takes its path as the full path, so the path is chosen to give the same URL shape.
	const builtin = workflow(INGEST.builtin.id, 'bench: n8n Webhook node alone', [
		node(
			INGEST.builtin.id,
			'Webhook',
			'n8n-nodes-base.webhook',
			2,
			[0, 0],
			{
				httpMethod: 'POST',
				path: `${INGEST.builtin.webhookId}/webhook`,
				responseMode: 'onReceived',
				options: {},
			},
			{ webhookId: INGEST.builtin.webhookId },
		),
	]);
	const builtinAuth = workflow(INGEST.builtinAuth.id, 'bench: n8n Webhook node with Header Auth', [
		node(
			INGEST.builtinAuth.id,
			'Webhook',
			'n8n-nodes-base.webhook',
			2,
			[0, 0],
			{
				httpMethod: 'POST',
				path: `${INGEST.builtinAuth.webhookId}/webhook`,
				authentication: 'headerAuth',
				responseMode: 'onReceived',
				options: {},
			},
			{
				webhookId: INGEST.builtinAuth.webhookId,
				credentials: {
					httpHeaderAuth: { id: HEADER_AUTH_CREDENTIAL.id, name: HEADER_AUTH_CREDENTIAL.name },
				},
			},
		),
	]);
	const noDedup = greenhouseWorkflow('noDedup', 'bench: Greenhouse Trigger, dedup off', 2, [], {
		dedup: false,
	});
	return baseline ? [ours, builtin] : [ours, oursV1, filtered, noDedup, builtin, builtinAuth];
}

export const ingestPath = (key) => `/webhook/${INGEST[key].webhookId}/webhook`;

// ---------------------------------------------------------------------------------------------
// Part 4: Webhook (answers with the last node, no body) → Code (N candidates) → export.
// ---------------------------------------------------------------------------------------------
export const EXPORT = {
	ours: {
		id: 'benchExportOurs1',
		path: `bench-export-ours-${stableUuid('export-ours').slice(0, 8)}`,
	},
	builtin: {
		id: 'benchExportBuilt',
		path: `bench-export-builtin-${stableUuid('export-builtin').slice(0, 8)}`,
	},
};

/**
 * The same Code node in both workflows: `n` candidates (query ?n=, default 10,000) of about 600
 * bytes of JSON each, the shape of an ATS candidate export.
 */
export const CANDIDATES_CODE = `const n = Number($('Webhook').first().json.query.n ?? 10000);
const stages = ['Applied', 'Phone screen', 'Technical interview', 'Onsite', 'Offer'];
const out = new Array(n);
for (let i = 0; i < n; i++) {
  out[i] = { json: {
    id: 'cand_' + i,
    first_name: 'First' + i,
    last_name: 'Lastname' + i,
    email: 'candidate' + i + '@example.com',
    phone: '+420 601 ' + String(100000 + i),
    vacancy_id: 'vac_' + (i % 40),
    vacancy_title: 'Senior Backend Engineer',
    stage: stages[i % stages.length],
    source: { id: i % 7, name: 'LinkedIn' },
    tags: ['backend', 'referral', 'prague'],
    address: { street: 'Na Prikope ' + (i % 100), city: 'Prague', zip: '110 00', country: 'CZ' },
    applied_at: '2026-11-01T10:00:00.000Z',
    updated_at: '2026-11-21T09:30:00.000Z',
    cv_url: 'https://files.example.com/cv/' + i + '.pdf',
    note: 'Strong systems background; available in three months; prefers hybrid work.',
    gdpr_consent: true,
    rating: (i % 5) + 1,
  } };
}
return out;`;

export function exportWorkflows(receiverUrl) {
	const trigger = (wfId, path) =>
		node(
			wfId,
			'Webhook',
			'n8n-nodes-base.webhook',
			2,
			[0, 0],
			{ httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} },
			{
				webhookId: stableUuid(`${wfId}-hook`),
			},
		);
	const code = (wfId) =>
		node(wfId, 'Candidates', 'n8n-nodes-base.code', 2, [220, 0], {
			mode: 'runOnceForAllItems',
			jsCode: CANDIDATES_CODE,
		});

	const o = EXPORT.ours.id;
	const ours = workflow(
		o,
		'bench: export with the ATS Webhook node',
		[
			trigger(o, EXPORT.ours.path),
			code(o),
			// One request: caps above the batch. The body is the plain array, as HTTP Request sends it;
			// ours also signs it (Standard Webhooks), which the built-in side does not do.
			node(
				o,
				'ATS Webhook',
				`${PACKAGE}.atsWebhook`,
				1,
				[440, 0],
				{
					operation: 'exportCandidates',
					url: receiverUrl,
					authentication: 'standardWebhooks',
					bodyFormat: 'array',
					candidateFields: 'all',
					idField: 'id',
					maxCandidates: 10000,
					maxRequestKiB: 20480,
					options: { timeoutMs: 60000, budgetSeconds: 120, maxAttempts: 1 },
				},
				{ credentials: signingRef },
			),
		],
		chain('Webhook', 'Candidates', 'ATS Webhook'),
	);

	const b = EXPORT.builtin.id;
	const builtin = workflow(
		b,
		'bench: export with Aggregate + HTTP Request',
		[
			trigger(b, EXPORT.builtin.path),
			code(b),
			node(b, 'Aggregate', 'n8n-nodes-base.aggregate', 1, [440, 0], {
				aggregate: 'aggregateAllItemData',
				destinationFieldName: 'candidates',
				options: {},
			}),
			node(b, 'HTTP Request', 'n8n-nodes-base.httpRequest', 4.2, [660, 0], {
				method: 'POST',
				url: receiverUrl,
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody: '={{ $json.candidates }}',
				options: { timeout: 60000 },
			}),
		],
		chain('Webhook', 'Candidates', 'Aggregate', 'HTTP Request'),
	);
	return [ours, builtin];
}

export const exportPath = (key) => `/webhook/${EXPORT[key].path}`;

// Helpers for the real-n8n e2e suite: building workflow JSON for our triggers, sending signed
// requests, and reading what n8n recorded (execution_entity + flatted execution_data.data).
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { PACKAGE_NAME, sqlite } from '../../scripts/n8n/lib/runtime.mjs';
import { authHeaders } from '../../scripts/n8n/lib/signing.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The JSON body of a request to a fake vendor API; {} when absent or not JSON (fakes stay tolerant). */
export async function readJsonBody(req) {
	const chunks = [];
	for await (const c of req) chunks.push(c);
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
	} catch {
		return {};
	}
}

/** A UUID-shaped id derived from a name, so workflows and URLs are stable across runs. */
export function stableUuid(name) {
	const h = createHash('sha1').update(name).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const TRIGGER_NODE_NAME = 'Trigger';

/**
 * One workflow with one of our triggers. `id` must be 16 characters of [A-Za-z0-9] (n8n ids).
 * credentials: {credentialType: credentialId}.
 */
export function triggerWorkflow({
	id,
	name,
	nodeType,
	parameters = {},
	credentials = {},
	allCredentials = [],
	// Version 2 is what a new node gets; 1 is what workflows saved before it use (same behaviour).
	typeVersion = 2,
	/** More nodes in the same workflow (the reconcile suite adds an ATS Reconcile Trigger), credentials by id. */
	extraNodes = [],
}) {
	if (!/^[A-Za-z0-9]{16}$/.test(id))
		throw new Error(`workflow id "${id}" must be 16 letters/digits`);
	const creds = {};
	for (const [type, credId] of Object.entries(credentials)) {
		const found = allCredentials.find((c) => c.id === credId);
		if (!found) throw new Error(`workflow ${id}: credential ${credId} is not defined`);
		creds[type] = { id: credId, name: found.name };
	}
	return {
		id,
		name: name ?? `e2e ${id}`,
		nodes: [
			{
				id: stableUuid(`${id}-node`),
				name: TRIGGER_NODE_NAME,
				type: `${PACKAGE_NAME}.${nodeType}`,
				typeVersion,
				position: [0, 0],
				webhookId: stableUuid(`${id}-webhook`),
				parameters,
				credentials: creds,
			},
			...extraNodes.map((node) => ({
				...node,
				credentials: Object.fromEntries(
					Object.entries(node.credentials ?? {}).map(([type, credId]) => {
						const found = allCredentials.find((c) => c.id === credId);
						if (!found) throw new Error(`workflow ${id}: credential ${credId} is not defined`);
						return [type, { id: credId, name: found.name }];
					}),
				),
			})),
		],
		connections: {},
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

/** Recursive "actual contains expected" check; returns a list of differences. */
export function partialDiff(actual, expected, at = '$') {
	if (typeof expected === 'function') {
		const ok = expected(actual);
		return ok === true || ok === undefined
			? []
			: [`${at}: ${typeof ok === 'string' ? ok : `predicate failed on ${JSON.stringify(actual)}`}`];
	}
	if (expected instanceof RegExp)
		return expected.test(String(actual))
			? []
			: [`${at}: ${JSON.stringify(actual)} does not match ${expected}`];
	if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
		if (!actual || typeof actual !== 'object')
			return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
		return Object.entries(expected).flatMap(([k, v]) => partialDiff(actual[k], v, `${at}.${k}`));
	}
	if (Array.isArray(expected)) {
		if (!Array.isArray(actual) || actual.length !== expected.length)
			return [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
		return expected.flatMap((v, i) => partialDiff(actual[i], v, `${at}[${i}]`));
	}
	return isDeepStrictEqual(actual, expected)
		? []
		: [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

export class AssertionError extends Error {}

export function check(condition, message) {
	if (!condition) throw new AssertionError(message);
}

export function checkMatch(actual, expected, what) {
	const diff = partialDiff(actual, expected);
	if (diff.length) throw new AssertionError(`${what}: ${diff.slice(0, 5).join('; ')}`);
}

/**
 * The context a case runs in: one running n8n, the suite's workflows and credentials, and a
 * ledger of how many executions each workflow should have (checked again at the end).
 */
export class E2eContext {
	constructor({ instance, workflows, credentials }) {
		this.instance = instance;
		this.workflows = workflows; // key -> workflow JSON
		this.credentials = credentials;
		this.seen = new Map(); // workflow id -> highest execution id already accounted for
		this.expected = new Map(); // workflow id -> executions expected so far
		this.memo = new Map(); // values cases hand to later cases (the restart cases)
	}

	workflow(key) {
		const wf = this.workflows[key];
		if (!wf) throw new Error(`no workflow "${key}" in this suite`);
		return wf;
	}

	trigger(key) {
		return this.workflow(key).nodes[0];
	}

	url(key) {
		return `${this.instance.baseUrl}/webhook/${this.trigger(key).webhookId}/webhook`;
	}

	credentialData(key) {
		const ref = Object.values(this.trigger(key).credentials ?? {})[0];
		return ref ? this.credentials.find((c) => c.id === ref.id).data : {};
	}

	/**
	 * Build a request for workflow `key`: body (object → JSON, string/Buffer as is), signed by the
	 * trigger's authentication unless sign === false; `sign` may be an object of overrides
	 * (secret, timestamp, id, token, password, scheme).
	 */
	request(
		key,
		{ method = 'POST', body, contentType = 'application/json', headers = {}, sign = true } = {},
	) {
		const raw =
			body === undefined
				? ''
				: Buffer.isBuffer(body) || typeof body === 'string'
					? body
					: JSON.stringify(body);
		const auth =
			sign === false
				? {}
				: authHeaders({
						parameters: this.trigger(key).parameters,
						credential: this.credentialData(key),
						body: raw,
						overrides: sign === true ? {} : sign,
					});
		const allHeaders = {
			...(contentType ? { 'content-type': contentType } : {}),
			...auth,
			...headers,
		};
		return {
			url: this.url(key),
			method,
			headers: allHeaders,
			body: method === 'GET' || method === 'HEAD' ? undefined : raw,
		};
	}

	/** Send a prepared request; returns {status, text, json, headers}. */
	async send(req) {
		let res;
		try {
			res = await fetch(req.url, {
				method: req.method,
				headers: req.headers,
				body: req.body,
				signal: AbortSignal.timeout(30_000),
			});
		} catch (error) {
			// undici says only "fetch failed"; the cause (ECONNREFUSED, a reset, a bad header) is what helps.
			throw new Error(
				`${req.method} ${req.url}: ${error.message}${error.cause ? ` (${error.cause.code ?? ''} ${error.cause.message ?? error.cause})` : ''}`,
			);
		}
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, text, json, headers: Object.fromEntries(res.headers) };
	}

	async executionRows(workflowId) {
		return sqlite(
			this.instance,
			'select id, mode, status, finished, startedAt, stoppedAt from execution_entity where workflowId = ? order by id',
			[workflowId],
		);
	}

	/**
	 * Wait until exactly `n` executions of workflow `key` appeared since the last call and
	 * finished; returns them with the trigger's output items. n = 0 checks that none appeared
	 * (after a short grace: n8n creates the execution just after the node answered).
	 */
	async newExecutions(key, n, { timeoutMs = 30_000, graceMs = 400 } = {}) {
		const wfId = this.workflow(key).id;
		const seen = this.seen.get(wfId) ?? 0;
		this.expected.set(wfId, (this.expected.get(wfId) ?? 0) + n);
		const started = Date.now();
		let rows = [];
		for (;;) {
			rows = (await this.executionRows(wfId)).filter((r) => r.id > seen);
			const done = rows.filter(
				(r) => r.finished || ['success', 'error', 'crashed', 'canceled'].includes(r.status),
			);
			if (rows.length > n) break;
			if (rows.length === n && done.length === n) {
				await sleep(graceMs); // late extras?
				rows = (await this.executionRows(wfId)).filter((r) => r.id > seen);
				break;
			}
			if (Date.now() - started > timeoutMs) break;
			await sleep(150);
		}
		if (rows.length) this.seen.set(wfId, Math.max(seen, ...rows.map((r) => r.id)));
		check(
			rows.length === n,
			`expected ${n} new execution(s) of ${wfId}, n8n recorded ${rows.length}${rows.length ? ` (${rows.map((r) => `#${r.id} ${r.status}`).join(', ')})` : ''}`,
		);
		if (n === 0) return [];
		const ids = rows.map((r) => r.id);
		const data = await sqlite(
			this.instance,
			`select executionId, data from execution_data where executionId in (${ids.map(() => '?').join(',')}) order by executionId`,
			ids,
			{
				flatted: ['data'],
			},
		);
		return rows.map((row) => {
			const d = data.find((x) => x.executionId === row.id)?.data;
			const run = d?.resultData?.runData?.[TRIGGER_NODE_NAME]?.[0];
			const items = (run?.data?.main?.[0] ?? []).map((item) => item.json);
			return { id: row.id, status: row.status, mode: row.mode, items, error: d?.resultData?.error };
		});
	}

	/** End-of-suite check: each workflow has exactly the executions the cases expected. */
	async reconcile() {
		const problems = [];
		for (const wf of Object.values(this.workflows)) {
			const rows = await this.executionRows(wf.id);
			const expected = this.expected.get(wf.id) ?? 0;
			if (rows.length !== expected)
				problems.push(`${wf.id}: ${rows.length} executions recorded, ${expected} expected`);
		}
		return problems;
	}
}

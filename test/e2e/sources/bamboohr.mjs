// e2e for the BambooHR Trigger (n8n-nodes-ats-webhooks.bambooHrTrigger) in a real n8n.
// BambooHR webhooks (https://documentation.bamboohr.com/docs/webhooks, /docs/event-based-webhooks):
// POST JSON, `X-BambooHR-Signature` = hex HMAC-SHA256(Private Key, raw body + X-BambooHR-Timestamp),
// `X-BambooHR-Timestamp` in Unix seconds. Bodies are our fixtures (test/fixtures/bamboohr); every
// signature is made at send time (`send: () => …`) so the timestamp is fresh.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE = 'bambooHrTrigger';
const FIXTURES = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../fixtures/bamboohr',
);
const text = (name) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
const json = (name) => JSON.parse(text(name));
const KEY = 'e2e bamboohr private key';
const OK = [200, 201, 202, 204];

/** What BambooHR puts on a delivery, `age` seconds ago. */
const bamboo = (raw, { key = KEY, age = 0 } = {}) => {
	const ts = String(Math.floor(Date.now() / 1000) - age);
	return {
		'x-bamboohr-signature': createHmac('sha256', key)
			.update(raw + ts)
			.digest('hex'),
		'x-bamboohr-timestamp': ts,
		'user-agent': 'BambooHR-WebHooks/1.0 (+https://www.bamboohr.com)',
	};
};

export const credentials = [
	{
		id: 'e2eBambooKey0001',
		name: 'e2e BambooHR Private Key',
		type: 'atsWebhookSigningSecretApi',
		data: { secret: KEY, previousSecret: '' },
	},
];

export const workflows = {
	all: {
		id: 'e2eBambooAll0001',
		nodeType: NODE,
		parameters: { events: [], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eBambooKey0001' },
	},
	updates: {
		id: 'e2eBambooUpd0001',
		nodeType: NODE,
		parameters: { events: ['employee.updated'], options: {} },
		credentials: { atsWebhookSigningSecretApi: 'e2eBambooKey0001' },
	},
};

const single = [
	['employee.created', '1187'],
	['employee.updated', '1187'],
	['employee.deleted', '1043'],
];

export const cases = [
	...single.map(([name, id]) => ({
		name: `${name} signed with body + timestamp → 2xx, 1 execution`,
		workflow: 'all',
		send: () => ({ body: text(name), sign: false, headers: bamboo(text(name)) }),
		expect: {
			status: OK,
			executions: 1,
			items: [
				{
					source: 'bamboohr',
					event: 'unknown',
					sourceEvent: name,
					employeeId: id,
					format: 'event-based',
					delivery: { verified: true, scheme: 'vendor' },
					payload: json(name),
				},
			],
		},
	})),
	{
		name: 'field-based batch → 2xx, 1 execution with one item per employee',
		workflow: 'all',
		remember: 'bh-replay',
		send: () => ({
			body: text('field-based.batch'),
			sign: false,
			headers: bamboo(text('field-based.batch')),
		}),
		expect: {
			status: OK,
			executions: 1,
			items: [
				{ sourceEvent: 'employee.updated', employeeId: '1187', format: 'field-based' },
				{ sourceEvent: 'employee.created', employeeId: '1201', format: 'field-based' },
			],
		},
	},
	{
		name: 'BambooHR resends the batch (same bytes) → 2xx, no execution',
		workflow: 'all',
		replay: 'bh-replay',
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'signed with another key → 401, no execution',
		workflow: 'all',
		send: () => ({
			body: text('employee.updated'),
			sign: false,
			headers: bamboo(text('employee.updated'), { key: 'nope' }),
		}),
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'tampered body → 401, no execution',
		workflow: 'all',
		send: () => ({
			body: text('employee.deleted'),
			sign: false,
			headers: bamboo(text('employee.created')),
		}),
		expect: { status: 401, json: { reason: 'signature_mismatch' }, executions: 0 },
	},
	{
		name: 'timestamp older than the Replay Window → 401, no execution',
		workflow: 'all',
		send: () => ({
			body: text('employee.created'),
			sign: false,
			headers: bamboo(text('employee.created'), { age: 600 }),
		}),
		expect: { status: 401, json: { reason: 'timestamp_too_old' }, executions: 0 },
	},
	{
		name: 'unsigned → 401, no execution',
		workflow: 'all',
		send: { body: text('employee.created'), sign: false },
		expect: { status: 401, json: { reason: 'missing_signature' }, executions: 0 },
	},
	{
		name: 'Events = employee.updated: an employee.created → 2xx, no execution',
		workflow: 'updates',
		send: () => ({
			body: text('employee.created'),
			sign: false,
			headers: bamboo(text('employee.created')),
		}),
		expect: { status: OK, executions: 0 },
	},
	{
		name: 'after a restart, the resent batch is still a duplicate',
		phase: 'afterRestart',
		workflow: 'all',
		replay: 'bh-replay',
		expect: { status: OK, executions: 0 },
	},
];

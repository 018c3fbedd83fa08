import path from 'node:path';
import type { INodeProperties, INodeType } from 'n8n-workflow';
import pkg from '../../package.json';

// Every trigger offers the shared dedup store (docs/queue-mode.md): the option comes from the shared
// options collection, but the credential and its test must be on each node, or turning the option on
// answers every delivery 503. This catches a new trigger that misses one of them.
const root = path.resolve(__dirname, '../..');
const nodes = pkg.n8n.nodes.map((file) => {
	const source = path.join(root, file.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(source) as Record<string, new () => INodeType>;
	const Node = Object.values(mod).find((v) => typeof v === 'function')!;
	return { file, node: new Node() };
});
const triggers = nodes.filter(({ node }) => (node.description.webhooks ?? []).length > 0);

describe('the Redis option is wired into every trigger', () => {
	it('finds the triggers', () => {
		expect(triggers.length).toBeGreaterThanOrEqual(16);
	});

	it.each(triggers.map((t) => [t.file, t.node]))('%s', (_file, node) => {
		const redis = (node.description.credentials ?? []).find((c) => c.name === 'atsWebhookRedisApi');
		expect(redis).toMatchObject({
			required: true,
			testedBy: 'atsWebhookRedisTest',
			displayOptions: { show: { 'options.sharedDedup': [true] } },
		});
		const test = (node.methods as { credentialTest?: Record<string, unknown> } | undefined)
			?.credentialTest?.atsWebhookRedisTest;
		expect(typeof test).toBe('function');
		const options = node.description.properties.find((p) => p.name === 'options');
		const names = ((options?.options ?? []) as INodeProperties[]).map((o) => o.name);
		expect(names).toEqual(expect.arrayContaining(['sharedDedup', 'sharedDedupHours']));
	});

	it('the action node does not offer it', () => {
		const action = nodes.find(({ file }) => file.includes('/AtsWebhook/'))!.node;
		expect(
			(action.description.credentials ?? []).some((c) => c.name === 'atsWebhookRedisApi'),
		).toBe(false);
	});
});

import path from 'node:path';
import type { INodeType } from 'n8n-workflow';
import pkg from '../../package.json';

/**
 * Every webhook trigger the package registers, loaded from its source (package.json n8n.nodes,
 * dist/…/X.node.js → …/X.node.ts). Two n8n costs per request depend on the description alone
 * (docs/performance.md): a start node of type version 1 makes n8n evaluate an expression on every
 * request, and so does an expression in a webhook description field.
 */
const triggers = pkg.n8n.nodes
	.map((file) => {
		const source = path.join(
			__dirname,
			'../..',
			file.replace(/^dist\//, '').replace(/\.js$/, '.ts'),
		);
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(source) as Record<string, new () => INodeType>;
		const Node = mod[path.basename(file, '.node.js')];
		return { file, node: new Node() };
	})
	.filter(({ node }) => node.description.webhooks?.length);

describe('webhook trigger descriptions', () => {
	it('finds every trigger of the package', () => {
		expect(triggers.length).toBeGreaterThanOrEqual(16);
	});

	it.each(triggers.map((t) => [t.node.description.name, t.node] as const))(
		'%s: type versions 1 and 2, new nodes get 2, no expression in its webhooks',
		(_name, node) => {
			expect(node.description.version).toEqual([1, 2]);
			expect(node.description.defaultVersion).toBe(2);
			for (const webhook of node.description.webhooks ?? [])
				for (const [field, value] of Object.entries(webhook))
					expect(`${field}: ${String(value)}`).not.toMatch(/: =/);
			// Every trigger records its deliveries as the first step of the execution (docs/durability.md).
			expect(typeof node.execute).toBe('function');
		},
	);
});

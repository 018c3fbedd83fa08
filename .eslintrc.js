// n8n's community-node lint rules (eslint-plugin-n8n-nodes-base), plus the runtime restrictions n8n
// applies to verified nodes: no timers or process access inside node code (use sleep from n8n-workflow).
const restrictedGlobals = ['process', 'global', 'globalThis', 'setTimeout', 'setInterval', 'setImmediate',
	'clearTimeout', 'clearInterval', 'clearImmediate', '__dirname', '__filename'].map((name) => ({
	name,
	message: 'Not allowed in n8n node code: use helpers from n8n-workflow (for example sleep) instead.',
}));

module.exports = {
	root: true,
	env: { es6: true, node: true },
	parser: '@typescript-eslint/parser',
	parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] },
	ignorePatterns: ['.eslintrc.js', '**/*.js', '**/node_modules/**', '**/dist/**', 'test/**', 'scripts/**'],
	overrides: [
		{
			files: ['package.json'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/community'],
			rules: { 'n8n-nodes-base/community-package-json-name-still-default': 'off' },
		},
		{
			files: ['./credentials/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/credentials'],
			rules: {
				'no-restricted-globals': ['error', ...restrictedGlobals],
				// Applies to n8n's own repository (docs slugs); community credentials link to their own docs.
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			},
		},
		{
			files: ['./nodes/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/nodes'],
			rules: {
				'no-restricted-globals': ['error', ...restrictedGlobals],
				'no-console': 'error',
				// n8n now requires NodeConnectionTypes.Main (n8n-workflow >= 1.83) instead of the string 'main'.
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			},
		},
	],
};

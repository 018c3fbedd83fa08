// The demo workflows: every scripts/n8n/demo-workflows/<source>.json is one n8n workflow with one
// of our triggers (a fixed workflow `id`, a fixed `webhookId` on the trigger). The credentials
// they reference live in scripts/n8n/demo-credentials.json. Adding a demo = dropping a file.
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_NAME, SCRIPTS, readJson } from './runtime.mjs';

export const DEMO_DIR = path.join(SCRIPTS, 'demo-workflows');
export const DEMO_CREDENTIALS_FILE = path.join(SCRIPTS, 'demo-credentials.json');

/** Our trigger nodes in a workflow (type `<package>.<name>` with a webhookId), in node order. */
export function ourTriggers(workflow) {
	return workflow.nodes.filter(
		(n) => n.type.startsWith(`${PACKAGE_NAME}.`) && n.webhookId && !n.disabled,
	);
}

/** The first of them: where `npm run send` delivers. */
export function ourTrigger(workflow) {
	const trigger = ourTriggers(workflow)[0];
	if (!trigger)
		throw new Error(`workflow ${workflow.id} has no ${PACKAGE_NAME} trigger with a webhookId`);
	return trigger;
}

/** Production URL of a trigger: /webhook/<webhookId>/<path>; every trigger of ours uses path `webhook`. */
export function productionUrl(baseUrl, trigger) {
	return `${baseUrl.replace(/\/$/, '')}/webhook/${trigger.webhookId}/webhook`;
}

export function listDemos() {
	return fs
		.readdirSync(DEMO_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = readJson(path.join(DEMO_DIR, file));
			return {
				source: file.replace(/\.json$/, ''),
				file: path.join(DEMO_DIR, file),
				workflow,
				trigger: ourTrigger(workflow),
				triggers: ourTriggers(workflow),
			};
		});
}

export function demoCredentials() {
	return readJson(DEMO_CREDENTIALS_FILE);
}

/** The credential data a node uses (first credential of the node whose id is in the list). */
export function credentialOf(node, credentials) {
	for (const ref of Object.values(node.credentials ?? {})) {
		const found = credentials.find((c) => c.id === ref.id);
		if (found) return found.data;
	}
	return {};
}

/** Only the credentials the given workflows reference (the rest would show as clutter). */
export function credentialsFor(workflows, credentials) {
	const ids = new Set(
		workflows.flatMap((wf) =>
			wf.nodes.flatMap((n) => Object.values(n.credentials ?? {}).map((r) => r.id)),
		),
	);
	return credentials.filter((c) => ids.has(c.id));
}

// ---------------------------------------------------------------------------------------------
// The demo n8n instance (npm start, npm run screenshot): user folder .cache/demo, a fixed
// encryption key (so imported credentials decrypt on every run) and an owner login from env.
// ---------------------------------------------------------------------------------------------
export const DEMO_OWNER = {
	email: 'demo@example.com',
	password: 'Demo-n8n-2025',
	firstName: 'Demo',
	lastName: 'Owner',
};
const DEMO_ENCRYPTION_KEY = 'ats-webhooks-local-demo-key-not-a-secret';

export async function prepareDemo({ port, brokerPort, build = true, userFolder }) {
	const rt = await import('./runtime.mjs');
	const runtime = await rt.ensureRuntime();
	if (build) await rt.buildPackage();
	const folder = userFolder ?? path.join(rt.CACHE, 'demo');
	fs.mkdirSync(folder, { recursive: true });
	const tarball = await rt.packPackage();
	await rt.installPackageInto(folder, tarball, runtime.node);
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	const instance = rt.makeInstance({
		runtime,
		userFolder: folder,
		port,
		brokerPort,
		encryptionKey: DEMO_ENCRYPTION_KEY,
		extraEnv: {
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: DEMO_OWNER.email,
			N8N_INSTANCE_OWNER_FIRST_NAME: DEMO_OWNER.firstName,
			N8N_INSTANCE_OWNER_LAST_NAME: DEMO_OWNER.lastName,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: await demoPasswordHash(rt, runtime, folder),
		},
	});
	const demos = listDemos();
	await rt.importCredentials(
		instance,
		credentialsFor(
			demos.map((d) => d.workflow),
			demoCredentials(),
		),
	);
	await rt.importWorkflows(
		instance,
		demos.map((d) => d.workflow),
	);
	await rt.publishWorkflows(
		instance,
		demos.map((d) => d.workflow.id),
	);
	return { instance, demos };
}

/** bcrypt is slow-ish and salted: keep one hash per demo folder. */
async function demoPasswordHash(rt, runtime, folder) {
	const file = path.join(folder, '.owner-hash');
	try {
		const [password, hash] = fs.readFileSync(file, 'utf8').split('\n');
		if (password === DEMO_OWNER.password && hash) return hash;
	} catch {
		/* first run */
	}
	const hash = await rt.bcryptHash(runtime, DEMO_OWNER.password);
	fs.writeFileSync(file, `${DEMO_OWNER.password}\n${hash}`);
	return hash;
}

import { mock } from 'jest-mock-extended';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	IPollFunctions,
	Logger,
	Workflow,
} from 'n8n-workflow';
import { AshbyApi } from '../../credentials/AshbyApi.credentials';
import { GreenhouseHarvestApi } from '../../credentials/GreenhouseHarvestApi.credentials';
import { LeverApi } from '../../credentials/LeverApi.credentials';
import { SmartRecruitersApi } from '../../credentials/SmartRecruitersApi.credentials';
import { TeamtailorApi } from '../../credentials/TeamtailorApi.credentials';
import { WorkableApi } from '../../credentials/WorkableApi.credentials';
import { AtsReconcileTrigger } from '../../nodes/AtsReconcile/AtsReconcileTrigger.node';
import { requestWithCredential, sendRequest } from './fakeApi-gaw';
import { FAKE_KEY, GH_CLIENT, type ReconcileVendor } from './fakeApi-reconcile';
import { getParam } from './webhookContext';

/**
 * A workflow's static data as n8n keeps it: one object with `global` and `node:<name>` parts,
 * handed out by getWorkflowStaticData('global' | 'node').
 */
export type WorkflowStaticData = Record<string, Record<string, unknown>>;

export function credentialFor(
	vendor: ReconcileVendor,
	baseUrl: string,
): { name: string; type: ICredentialType; data: ICredentialDataDecryptedObject } {
	switch (vendor) {
		case 'greenhouse':
			return {
				name: 'greenhouseHarvestApi',
				type: new GreenhouseHarvestApi(),
				data: { ...GH_CLIENT, useCustomBaseUrl: true, baseUrl, tokenUrl: `${baseUrl}/token` },
			};
		case 'ashby':
			return {
				name: 'ashbyApi',
				type: new AshbyApi(),
				data: { apiKey: FAKE_KEY, useCustomBaseUrl: true, baseUrl },
			};
		case 'lever':
			return {
				name: 'leverApi',
				type: new LeverApi(),
				data: { apiKey: FAKE_KEY, environment: 'custom', baseUrl },
			};
		case 'workable':
			return {
				name: 'workableAtsApi',
				type: new WorkableApi(),
				data: { subdomain: 'acme', accessToken: FAKE_KEY, useCustomBaseUrl: true, baseUrl },
			};
		case 'smartrecruiters':
			return {
				name: 'smartRecruitersApi',
				type: new SmartRecruitersApi(),
				data: { apiKey: FAKE_KEY, environment: 'custom', baseUrl },
			};
		default:
			return {
				name: 'teamtailorApi',
				type: new TeamtailorApi(),
				data: { apiKey: FAKE_KEY, apiVersion: '20240404', baseUrl },
			};
	}
}

export interface ReconcileNodeOptions {
	vendor: ReconcileVendor;
	baseUrl: string;
	db: WorkflowStaticData;
	workflowId?: string;
	nodeName?: string;
	options?: Record<string, unknown>;
	mode?: 'trigger' | 'manual';
	/** n8n's activation mode of the poll context ('activate' unless said otherwise). */
	activation?: 'init' | 'activate' | 'update' | 'leadershipChange';
	/** Reuse one poll context across polls, as n8n does within one activation. */
	context?: unknown;
}

function contextParts(o: ReconcileNodeOptions) {
	const credential = credentialFor(o.vendor, o.baseUrl);
	const parameters = { vendor: o.vendor, options: o.options ?? {} };
	const nodeName = o.nodeName ?? 'ATS Reconcile Trigger';
	const node = { id: `id-${nodeName}`, name: nodeName, parameters } as unknown as INode;
	const staticData = (type: string) => {
		const key = type === 'global' ? 'global' : `node:${nodeName}`;
		o.db[key] ??= {};
		return o.db[key];
	};
	const helpers = {
		httpRequest: async (request: IHttpRequestOptions) => await sendRequest(request),
		httpRequestWithAuthentication: async (name: string, request: IHttpRequestOptions) => {
			if (name !== credential.name)
				throw new Error(`Node does not have credentials of type ${name}`);
			return await requestWithCredential(credential.type, credential.data, request);
		},
	};
	const logger = {
		debug: () => undefined,
		info: () => undefined,
		warn: () => undefined,
		error: () => undefined,
	} as unknown as Logger;
	return { credential, parameters, node, staticData, helpers, logger };
}

/** n8n's poll(): the node's poll() with a mocked IPollFunctions wired to a fake vendor API. */
export async function poll(o: ReconcileNodeOptions): Promise<INodeExecutionData[][] | null> {
	const context = (o.context as ReturnType<typeof pollContext> | undefined) ?? pollContext(o);
	return await new AtsReconcileTrigger().poll.call(context);
}

/** One poll context (n8n makes one per activation and reuses it for every poll of that activation). */
export function pollContext(o: ReconcileNodeOptions) {
	const p = contextParts(o);
	const context = mock<IPollFunctions>({ logger: p.logger });
	context.getActivationMode.mockReturnValue(o.activation ?? 'activate');
	context.getNode.mockReturnValue(p.node);
	context.getMode.mockReturnValue(o.mode ?? 'trigger');
	context.getWorkflow.mockReturnValue({ id: o.workflowId ?? 'wf-r' } as Workflow);
	context.getWorkflowStaticData.mockImplementation(((type: string) => p.staticData(type)) as never);
	context.getNodeParameter.mockImplementation(((name: string, fallback?: unknown) =>
		getParam(p.parameters, name, fallback)) as never);
	context.getCredentials.mockImplementation((async (type: string) => {
		if (type !== p.credential.name)
			throw new Error(`Node does not have credentials of type ${type}`);
		return p.credential.data;
	}) as never);
	(context as unknown as { helpers: unknown }).helpers = p.helpers;
	return context;
}

/** The first step of the execution a poll started: the node's execute() with the polled items. */
export async function runReconcileExecute(
	o: ReconcileNodeOptions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const p = contextParts(o);
	const context = mock<IExecuteFunctions>({ logger: p.logger });
	context.getInputData.mockReturnValue(items);
	context.getNode.mockReturnValue(p.node);
	context.getMode.mockReturnValue(o.mode ?? 'trigger');
	context.getWorkflow.mockReturnValue({ id: o.workflowId ?? 'wf-r' } as Workflow);
	context.getWorkflowStaticData.mockImplementation(((type: string) => p.staticData(type)) as never);
	context.getNodeParameter.mockImplementation(((
		name: string,
		_i: number | string,
		fallback?: unknown,
	) => getParam(p.parameters, name, typeof _i === 'number' ? fallback : _i)) as never);
	context.getCredentials.mockImplementation((async () => p.credential.data) as never);
	(context as unknown as { helpers: unknown }).helpers = p.helpers;
	return await new AtsReconcileTrigger().execute.call(context);
}

/** What n8n writes to the database for a copy of static data (JSON.stringify reads the live views). */
export function saved(db: WorkflowStaticData): WorkflowStaticData {
	return JSON.parse(JSON.stringify(db)) as WorkflowStaticData;
}

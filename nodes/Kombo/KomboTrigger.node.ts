import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { SIGNING_SECRET_CREDENTIAL } from '../shared/credentialNames';
import { parseEventList, readCommonSettings, readSigningSecrets } from '../shared/readSettings';
import { manualSetupNotice } from '../shared/registration';
import {
	sharedDedupCredentialDisplay,
	TRIGGER_DEFAULT_VERSION,
	TRIGGER_VERSIONS,
	triggerOptions,
	triggerWebhooks,
} from '../shared/triggerDescription';
import { recordDeliveries } from '../shared/recordDeliveries';
import { atsWebhookRedisTest } from '../shared/redisDedup';
import { handleWebhook } from '../shared/webhookAdapter';
import {
	KOMBO_ENDPOINTS,
	KOMBO_RECORD_KINDS,
	endpointsFor,
	fetchChangedRecords,
	type KomboRecordKind,
} from './komboFetch';
import { KOMBO_EVENTS, komboSource } from './komboSource';

export const KOMBO_API_CREDENTIAL = 'komboApi';

/**
 * Node static data field: per integration, `since` (the start time of the last complete fetch, the
 * next `updated_after`) and, while a fetch cut by Max Records is unfinished, `pending`: when it
 * started, the endpoints it finished and the page to resume at.
 */
const CURSORS_FIELD = 'komboFetchCursors';

interface FetchState {
	since?: string;
	pending?: {
		startedAt: string;
		done: KomboRecordKind[];
		resume?: { kind: KomboRecordKind; cursor: string };
	};
}

function readFetchState(value: unknown): FetchState {
	if (typeof value === 'string') return { since: value };
	if (typeof value !== 'object' || value === null) return {};
	const state = value as Record<string, unknown>;
	const since = typeof state.since === 'string' ? state.since : undefined;
	const pending = state.pending as Record<string, unknown> | undefined;
	if (!pending || typeof pending.startedAt !== 'string') return { since };
	const resume = pending.resume as { kind?: unknown; cursor?: unknown } | undefined;
	return {
		since,
		pending: {
			startedAt: pending.startedAt,
			done: (Array.isArray(pending.done) ? pending.done : []).filter((k): k is KomboRecordKind =>
				(KOMBO_RECORD_KINDS as unknown[]).includes(k),
			),
			resume:
				resume &&
				(KOMBO_RECORD_KINDS as unknown[]).includes(resume.kind) &&
				typeof resume.cursor === 'string'
					? { kind: resume.kind as KomboRecordKind, cursor: resume.cursor }
					: undefined,
		},
	};
}

export class KomboTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kombo Trigger',
		name: 'komboTrigger',
		icon: 'file:kombo.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description:
			'Receive Kombo (kombo.dev) webhooks for any ATS Kombo connects, signature-checked and deduplicated; optionally fetch the changed records as canonical events',
		defaults: { name: 'Kombo Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: SIGNING_SECRET_CREDENTIAL, required: true },
			{
				name: KOMBO_API_CREDENTIAL,
				required: true,
				displayOptions: { show: { fetchChangedRecords: [true] } },
			},
			{
				name: 'atsWebhookRedisApi',
				required: true,
				testedBy: 'atsWebhookRedisTest',
				displayOptions: sharedDedupCredentialDisplay,
			},
		],
		webhooks: triggerWebhooks,
		properties: [
			manualSetupNotice(
				'In the Kombo dashboard: Webhooks → add a webhook with the Production URL and pick its types (data-changed at least). Copy the Kombo Webhook Secret into this node\'s credential (Secret). Each event carries the real ATS name as "integration".',
			),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: KOMBO_EVENTS.map((e) => ({
					name: e.name,
					value: e.value,
					description: e.description,
				})),
				default: [],
				description:
					'Kombo webhook types that start the workflow; others get 200 and start nothing. Empty: every type.',
			},
			{
				displayName: 'Fetch Changed Records',
				name: 'fetchChangedRecords',
				type: 'boolean',
				default: false,
				description:
					'Whether to turn each data-changed notification into one event per changed record, read from the Kombo API with updated_after once n8n has stored the execution. Other webhook types pass through as they are.',
			},
			{
				displayName: 'Records',
				name: 'records',
				type: 'multiOptions',
				options: KOMBO_RECORD_KINDS.map((kind) => ({
					name: KOMBO_ENDPOINTS[kind].name,
					value: kind,
					description: `GET ${KOMBO_ENDPOINTS[kind].path} when one of its models changed`,
				})),
				default: ['applications', 'candidates', 'jobs'],
				description:
					'Which Kombo ATS endpoints to read. An endpoint is called only when the notification lists a model it serves.',
				displayOptions: { show: { fetchChangedRecords: [true] } },
			},
			{
				displayName: 'First Fetch Looks Back (Minutes)',
				name: 'initialLookbackMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10080 },
				default: 60,
				description:
					'For an integration this node has not fetched before: how far back updated_after starts. Afterwards each fetch starts where the last complete one started.',
				displayOptions: { show: { fetchChangedRecords: [true] } },
			},
			{
				displayName: 'Max Records per Notification',
				name: 'maxRecords',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100000 },
				default: 1000,
				description:
					'Stop paging after this many records; the next notification continues at the page where this fetch stopped, so nothing is skipped',
				displayOptions: { show: { fetchChangedRecords: [true] } },
			},
			// Kombo signs no timestamp, so there is no Replay Window option.
			triggerOptions([], 200, { signsTimestamp: false }),
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Settings are read inside the adapter's error guard: a missing credential gets a 503 + Retry-After, not a throw.
		return handleWebhook(this, komboSource, async () =>
			readCommonSettings(this, parseEventList(this.getNodeParameter('events', [])), {
				scheme: 'vendor',
				secrets: await readSigningSecrets(this),
				toleranceSeconds: 0,
			}),
		);
	}

	/**
	 * First step of every execution this trigger starts: remember the events for dedup
	 * (docs/durability.md), then, with Fetch Changed Records, read the changed records. This runs
	 * after n8n has answered Kombo and stored the execution, so a slow Kombo API never holds the
	 * webhook answer. A failed fetch keeps the notification (with a warning) and the cursor, so the
	 * next notification fetches the same window again.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const [items] = await recordDeliveries(this);
		if (!(this.getNodeParameter('fetchChangedRecords', 0, false) as boolean)) return [items];
		const kinds = parseEventList(this.getNodeParameter('records', 0, [])).filter(
			(k): k is KomboRecordKind => (KOMBO_RECORD_KINDS as string[]).includes(k),
		);
		const lookback = Number(this.getNodeParameter('initialLookbackMinutes', 0, 60)) || 60;
		const maxRecords = Number(this.getNodeParameter('maxRecords', 0, 1000)) || 1000;
		const options = (this.getNodeParameter('options', 0, {}) ?? {}) as IDataObject;
		let baseUrl: string | undefined;
		try {
			const credentials = await this.getCredentials(KOMBO_API_CREDENTIAL);
			baseUrl = String(credentials.baseUrl || 'https://api.kombo.dev/v1').replace(/\/+$/, '');
		} catch {
			baseUrl = undefined;
		}
		const staticData = this.getWorkflowStaticData('node');
		const cursors = (
			typeof staticData[CURSORS_FIELD] === 'object' && staticData[CURSORS_FIELD] !== null
				? staticData[CURSORS_FIELD]
				: {}
		) as Record<string, unknown>;
		const out: INodeExecutionData[] = [];
		for (const [index, item] of items.entries()) {
			const event = item.json as Record<string, unknown>;
			const integrationId = typeof event.integrationId === 'string' ? event.integrationId : '';
			const warn = (warning: string) =>
				out.push({
					json: {
						...event,
						warnings: [...(Array.isArray(event.warnings) ? event.warnings : []), warning],
					} as IDataObject,
					pairedItem: { item: index },
				});
			if (event.sourceEvent !== 'data-changed') {
				out.push({ ...item, pairedItem: { item: index } });
				continue;
			}
			if (baseUrl === undefined) {
				warn('records_not_fetched: no usable Kombo API credential');
				continue;
			}
			if (!integrationId) {
				warn('records_not_fetched: the notification has no data.integration_id');
				continue;
			}
			const changed = Array.isArray(event.changedModels) ? (event.changedModels as string[]) : [];
			const state = readFetchState(cursors[integrationId]);
			const pending = state.pending;
			// While a cut fetch is unfinished, every selected endpoint it has not finished is read
			// (whatever this notification names), so that nothing of its window is skipped.
			const endpoints = pending ? kinds : endpointsFor(changed, kinds);
			if (endpoints.length === 0) continue; // nothing selected changed: no record events
			// A truncated fetch is finished first, over the same window, from where it stopped.
			const startedAt = pending?.startedAt ?? new Date().toISOString();
			const updatedAfter = state.since ?? new Date(Date.now() - lookback * 60_000).toISOString();
			const result = await fetchChangedRecords(event, {
				kinds: endpoints.filter((kind) => !pending?.done.includes(kind)),
				resume: pending?.resume,
				updatedAfter,
				pageSize: 100,
				maxRecords,
				privacy: options.privacy === true,
				// No redirects: the API key must not follow a redirect to another host.
				getPage: async (path, query) =>
					this.helpers.httpRequestWithAuthentication.call(this, KOMBO_API_CREDENTIAL, {
						url: `${baseUrl}${path}?${new URLSearchParams(query).toString()}`,
						method: 'GET',
						json: true,
						headers: { Accept: 'application/json', 'X-Integration-Id': integrationId },
						timeout: 30_000,
						disableFollowRedirect: true,
					}),
			});
			if (result.failure) {
				// A page cursor Kombo no longer accepts: that endpoint starts again at its first page.
				if (result.failedOnResume && pending)
					cursors[integrationId] = {
						since: updatedAfter,
						pending: { ...pending, resume: undefined },
					};
				warn(`records_not_fetched: ${result.failure}`);
				continue;
			}
			for (const record of result.events) {
				if (result.warnings.length)
					record.warnings = [
						...(Array.isArray(record.warnings) ? (record.warnings as string[]) : []),
						...result.warnings,
					];
				out.push({ json: record as IDataObject, pairedItem: { item: index } });
			}
			cursors[integrationId] = result.stoppedAt
				? {
						since: updatedAfter,
						pending: {
							startedAt,
							done: [...(pending?.done ?? []), ...result.done],
							resume: result.stoppedAt,
						},
					}
				: // Complete: the next window starts when this (possibly multi-notification) fetch started.
					{ since: startedAt };
		}
		staticData[CURSORS_FIELD] = cursors;
		return [out];
	}
}

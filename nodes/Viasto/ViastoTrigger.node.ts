import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeCredentialDescription,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import {
	parseEventList,
	readAuthSettings,
	readCommonSettings,
	toleranceOf,
} from '../shared/readSettings';
import {
	TRIGGER_DEFAULT_VERSION,
	TRIGGER_VERSIONS,
	authCredentials,
	authenticationProperty,
	hmacProperties,
	triggerOptions,
	triggerWebhooks,
} from '../shared/triggerDescription';
import { recordDeliveries } from '../shared/recordDeliveries';
import { atsWebhookRedisTest } from '../shared/redisDedup';
import { handleWebhook } from '../shared/webhookAdapter';
import { fetchResources, withWarning } from './viastoFetch';
import {
	VIASTO_EVENTS,
	viastoEventFilter,
	viastoSource,
	type ViastoSettings,
} from './viastoSource';

export const VIASTO_API_CREDENTIAL = 'viastoApi';

/** The foundation's authentication choices, plus the API credential used by "Fetch Resource". */
const viastoCredentials: INodeCredentialDescription[] = [
	...authCredentials,
	{
		name: VIASTO_API_CREDENTIAL,
		required: true,
		displayOptions: { show: { fetchResource: [true] } },
	},
];

export class ViastoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'viasto Interview Suite Trigger',
		name: 'viastoTrigger',
		icon: 'file:viasto.svg',
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: TRIGGER_DEFAULT_VERSION,
		subtitle:
			'={{($parameter["events"] || []).length ? $parameter["events"].join(", ") : "all events"}}',
		description:
			'Starts the workflow when a project, candidate, answer video, rating or note changes in the viasto interview suite',
		defaults: { name: 'viasto Interview Suite Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: viastoCredentials,
		webhooks: triggerWebhooks,
		properties: [
			{
				displayName:
					'viasto registers webhooks per company through its helpdesk: send them the Production URL and the events you want. Each event arrives as one item; the resource URLs from the event are kept, the main one as subject.url.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			{
				displayName:
					'viasto does not sign webhooks. Without authentication, anyone who learns this URL can start the workflow: keep the Production URL secret, or ask the viasto helpdesk to call it with user:password@ (Basic Auth) or a header token. "Require Viasto User-Agent" filters stray traffic but proves nothing.',
				name: 'unprotectedNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['none'] } },
			},
			...hmacProperties,
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: Object.entries(VIASTO_EVENTS).map(([value, e]) => ({
					name: e.label,
					value,
					description: `${value}: ${e.kind}.created / ${e.kind}.updated`,
				})),
				default: [],
				description:
					'Events that start the workflow. Others get 200 and start nothing. None selected: all events.',
			},
			{
				displayName: 'Actions',
				name: 'actions',
				type: 'multiOptions',
				options: [
					{ name: 'Created', value: 'created' },
					{ name: 'Modified', value: 'modified' },
				],
				default: ['created', 'modified'],
				description: 'Which data.action values start the workflow',
			},
			{
				displayName: 'Require Viasto User-Agent',
				name: 'requireUserAgent',
				type: 'boolean',
				default: false,
				description:
					'Whether to refuse (401) requests whose User-Agent is not "interview suite webhook"',
			},
			{
				displayName: 'Fetch Resource',
				name: 'fetchResource',
				type: 'boolean',
				default: false,
				description:
					'Whether to GET the resource the event points to (its subject URL) with a viasto API credential and put it on the item as "resource". A failed fetch adds a warning; the event is still emitted.',
			},
			triggerOptions(),
		],
	};

	methods = { credentialTest: { atsWebhookRedisTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Settings and credentials are read inside the adapter's guard: a missing credential is a
		// 503 + Retry-After, never a throw.
		return handleWebhook(this, viastoSource, async (): Promise<ViastoSettings> => {
			const clientAuth = await readAuthSettings(this);
			const events = viastoEventFilter(
				parseEventList(this.getNodeParameter('events', [])),
				parseEventList(this.getNodeParameter('actions', [])),
			);
			return {
				...readCommonSettings(this, events, {
					scheme: 'vendor',
					secrets: [],
					toleranceSeconds: toleranceOf(this),
				}),
				clientAuth,
				requireUserAgent: this.getNodeParameter('requireUserAgent', false) as boolean,
			};
		});
	}

	/**
	 * First step of the execution: record the delivered events for dedup, then Fetch Resource. The
	 * fetch used to run inside webhook(); now that the sender's 2xx waits until n8n has stored the
	 * execution, a slow viasto API there would hold the sender past its timeout (and a retry would
	 * follow). Here it runs after the answer, with the execution's own error handling and logs.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const [items] = await recordDeliveries(this);
		if (!(this.getNodeParameter('fetchResource', 0, false) as boolean)) return [items];
		const events = items.map((item) => item.json as Record<string, unknown>);
		let enriched: Array<Record<string, unknown>>;
		let baseUrl: string | undefined;
		try {
			baseUrl = String((await this.getCredentials(VIASTO_API_CREDENTIAL)).baseUrl ?? '');
		} catch {
			baseUrl = undefined;
		}
		if (baseUrl === undefined) {
			enriched = withWarning(events, 'resource_not_fetched: no usable viasto API credential');
		} else {
			const options = (this.getNodeParameter('options', 0, {}) ?? {}) as IDataObject;
			enriched = await fetchResources(events, {
				baseUrl,
				privacy: options.privacy === true,
				// No redirects: the token must not follow a redirect to another host.
				fetch: async (url) =>
					this.helpers.httpRequestWithAuthentication.call(this, VIASTO_API_CREDENTIAL, {
						url,
						method: 'GET',
						json: true,
						timeout: 10_000,
						disableFollowRedirect: true,
					}),
			});
		}
		return [
			enriched.map((json, index) => ({ json: json as IDataObject, pairedItem: { item: index } })),
		];
	}
}

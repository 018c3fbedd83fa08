import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { pollTrigger, recordPolled } from './reconcilePoll';
import { CREDENTIAL_OF } from './transport';

const VENDORS = [
	{ name: 'Ashby', value: 'ashby', description: 'POST /application.list with a sync token' },
	{ name: 'Greenhouse', value: 'greenhouse', description: 'Harvest v3 GET /v3/applications' },
	{ name: 'Lever', value: 'lever', description: 'GET /v1/opportunities' },
	{ name: 'SmartRecruiters', value: 'smartrecruiters', description: 'GET /candidates' },
	{ name: 'Teamtailor', value: 'teamtailor', description: 'GET /v1/candidates' },
	{ name: 'Workable', value: 'workable', description: 'GET /spi/v3/candidates' },
];

/**
 * ATS Reconcile Trigger (docs/nodes/atsReconcileTrigger.md): polls a vendor's "updated since" list
 * and emits, as canonical events with `delivery.scheme: "poll"`, the changes that the webhook
 * triggers of the same workflow did not deliver. A change that arrives both ways runs once.
 */
export class AtsReconcileTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ATS Reconcile Trigger',
		name: 'atsReconcileTrigger',
		icon: 'file:atsReconcile.svg',
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["vendor"]}}',
		description: 'Poll an ATS for changed records and emit the ones its webhooks missed, once each',
		defaults: { name: 'ATS Reconcile Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: Object.entries(CREDENTIAL_OF).map(([vendor, name]) => ({
			name,
			required: true,
			displayOptions: { show: { vendor: [vendor] } },
		})),
		properties: [
			{
				displayName: 'Vendor',
				name: 'vendor',
				type: 'options',
				options: VENDORS,
				default: 'greenhouse',
				description: 'The ATS whose API is polled; put its webhook trigger in the same workflow',
			},
			{
				displayName:
					"Put this node in the same workflow as the vendor's webhook trigger: a change either of them already ran is not emitted again. The first poll sets a baseline and emits nothing (see First Run).",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Backlog Since',
						name: 'backlogSince',
						type: 'dateTime',
						default: '',
						description:
							'With First Run "Emit the backlog": changes since this time (default: the last 24 hours)',
						displayOptions: { show: { firstRun: ['backlog'] } },
					},
					{
						displayName: 'Change Memory',
						name: 'changeMemory',
						type: 'number',
						typeOptions: { minValue: 100, maxValue: 100000 },
						default: 5000,
						description:
							'How many recent changes (from both paths) the workflow remembers, about 19 bytes each in its static data. Keep it above the changes per poll interval.',
					},
					{
						displayName: 'First Run',
						name: 'firstRun',
						type: 'options',
						options: [
							{
								name: 'Baseline (Emit Nothing)',
								value: 'baseline',
								description: 'Only changes after the first poll are emitted',
							},
							{
								name: 'Emit the Backlog',
								value: 'backlog',
								description:
									'The first poll emits the changes since Backlog Since, at most Max Events per Poll',
							},
						],
						default: 'baseline',
					},
					{
						displayName: 'Max Events per Poll',
						name: 'maxEventsPerPoll',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 50000 },
						default: 5000,
						description:
							'More changes than this are emitted by the following polls; bounds the memory a poll uses',
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 1440 },
						default: 5,
						description:
							'Each poll reads again the changes this long before its cursor (clock skew, changes made during a poll); what was already run is not emitted again',
					},
					{
						displayName: 'Page Size',
						name: 'pageSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 500 },
						default: 100,
						description:
							'Records per request, capped at what the vendor allows (Ashby, Lever, Workable, SmartRecruiters 100; Teamtailor 30; Greenhouse 500)',
					},
					{
						displayName: 'Time Budget (Seconds)',
						name: 'timeBudgetSeconds',
						type: 'number',
						typeOptions: { minValue: 5, maxValue: 3600 },
						default: 120,
						description:
							'A poll that cannot finish within this time (rate limits, server errors) fails and moves nothing',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollTrigger(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await recordPolled(this);
	}
}

import { normaliseGeneric, readEventName } from '../core/event/extract';
import { hashKey } from '../core/dedup/hashKey';
import { asText, firstPath, getPath } from '../core/json/path';
import { readHeader } from '../core/signature/headers';
import type {
	InboundRequest,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';

/** Where the generic trigger finds things in a body; empty paths mean "look in the usual places". */
export interface GenericSettings extends SourceSettings {
	eventPath: string;
	eventIdPath: string;
	batchPath: string;
}

/** Headers senders use for a delivery id that stays the same across retries. */
const DELIVERY_ID_HEADERS = [
	'webhook-id',
	'svix-id',
	'idempotency-key',
	'x-idempotency-key',
	'x-delivery-id',
	'x-webhook-id',
	'x-event-id',
	'x-github-delivery',
];
/** Only explicit event-id fields: a bare `id` is often the candidate's id, and using it would drop later updates. */
const EVENT_ID_PATHS = ['event_id', 'eventId', 'webhook_event_id'];

export function genericDeliveryId(request: InboundRequest): string | undefined {
	for (const name of DELIVERY_ID_HEADERS) {
		const value = readHeader(request.headers, name).value?.trim();
		if (value) return value.slice(0, 200);
	}
	return undefined;
}

export const genericSource: SourceDefinition<GenericSettings> = {
	id: 'generic',
	methods: ['POST'],
	ping: {
		// A body that says it is a ping or a test and carries nothing else of note.
		detect: (body) => {
			const name = readEventName(body)?.toLowerCase();
			return name === 'ping' || name === 'test' || name === 'webhook.test';
		},
	},
	deliveryId: genericDeliveryId,
	split(body, request, settings) {
		const warnings: string[] = [];
		let list: unknown[] = [body];
		let batched = false;
		if (settings.batchPath) {
			const found = getPath(body, settings.batchPath);
			if (Array.isArray(found)) {
				list = found;
				batched = true;
			} else {
				warnings.push(
					`batch_path_missing: "${settings.batchPath}" is not an array here; the body was taken as one event`,
				);
			}
		} else if (Array.isArray(body)) {
			list = body;
			batched = true;
		}
		const batchId = genericDeliveryId(request) ?? hashKey(request.rawBody ?? JSON.stringify(body));
		const events: RawEvent[] = list.map((element, index) => {
			const sourceEvent =
				readEventName(element, settings.eventPath || undefined) ??
				readEventName(body, settings.eventPath || undefined);
			const idValue = settings.eventIdPath
				? getPath(element, settings.eventIdPath)
				: firstPath(element, EVENT_ID_PATHS)?.value;
			return {
				sourceEvent: sourceEvent ?? '',
				body: element,
				eventId: asText(idValue),
				batch: batched ? { id: batchId, index, size: list.length } : undefined,
			};
		});
		return { events, warnings };
	},
	normalise(raw) {
		const result = normaliseGeneric(raw.sourceEvent, raw.body);
		if (!raw.sourceEvent) {
			result.warnings = [
				'event_name_missing: no event name found; set "Event Name Path"',
				...(result.warnings ?? []).filter((w) => !w.startsWith('event_unmapped')),
			];
		}
		return result;
	},
};

import { isRecord } from '../json/path';

/**
 * "Send Event": the body shapes of the seed senders, so a workflow can forward events in the
 * form a receiver expects and test receivers (our triggers among them). Facts from
 * docs/nodes/atsWebhook.md and the Standard Webhooks spec (payload structure).
 */
export type EventFormat = 'standardWebhooks' | 'viasto' | 'humanSourcing' | 'talentAts';

export interface OutgoingEvent {
	/** Event name: `candidate.created`, viasto `candidate_changed`, Human Sourcing `creation|update|delete`. */
	event: string;
	/** Human Sourcing only: `job` or `candidate`. */
	objectType?: string;
	data: unknown;
}

export interface RenderContext {
	/** The URL as shown to the receiver (viasto's `endpoint`): no credentials, no query. */
	endpoint: string;
	now: Date;
	/** The request's idempotency key (talentATS `batch_id`). */
	key: string;
}

export const VIASTO_USER_AGENT = 'interview suite webhook';

/** viasto's documented example writes the offset as `+00:00`. */
function viastoTime(now: Date): string {
	return now.toISOString().replace('Z', '+00:00');
}

function candidatesOf(data: unknown): unknown[] {
	if (Array.isArray(data)) return data;
	if (isRecord(data) && Array.isArray(data.candidates)) return data.candidates;
	return [data];
}

/** Body text and the headers the format implies. Several events only for Human Sourcing (one array). */
export function renderEvents(
	format: EventFormat,
	events: readonly OutgoingEvent[],
	ctx: RenderContext,
): { body: string; headers: Record<string, string> } {
	const first = events[0];
	switch (format) {
		case 'viasto':
			return {
				body: JSON.stringify({
					endpoint: ctx.endpoint,
					time: viastoTime(ctx.now),
					event: first.event,
					data: first.data,
				}),
				headers: { 'User-Agent': VIASTO_USER_AGENT },
			};
		case 'humanSourcing':
			return {
				body: JSON.stringify(
					events.map((e) => ({ event: e.event, type: e.objectType ?? 'candidate', data: e.data })),
				),
				headers: {},
			};
		case 'talentAts': {
			const candidates = candidatesOf(first.data);
			return {
				body: JSON.stringify({
					event: first.event || 'candidate.exported',
					batch_id: ctx.key,
					exported_at: ctx.now.toISOString(),
					count: candidates.length,
					candidates,
				}),
				headers: {},
			};
		}
		default:
			return {
				body: JSON.stringify({
					type: first.event,
					timestamp: ctx.now.toISOString(),
					data: first.data,
				}),
				headers: {},
			};
	}
}

import { toIsoDate } from '../core/event/extract';
import { mapEventName } from '../core/event/mapEventName';
import { subjectTypeOf } from '../core/event/taxonomy';
import { asText, firstText, getPath, isRecord } from '../core/json/path';
import type {
	AuthResult,
	InboundRequest,
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { leverEvent } from './leverEvents';
import { readSignedFields, verifyLeverParsed } from './leverSignature';
import type { TokenReplayCache } from './tokenReplayCache';

export interface LeverSettings extends SourceSettings {
	/** Refuses a signed token that comes back with a different body (the signature does not cover data). */
	replayCache?: TokenReplayCache;
}

/**
 * Lever as a source (docs/nodes/leverTrigger.md). Envelope: `{ id?, event, triggeredAt, token, signature, data }`.
 * - authentication reads `signature` from the body (settings.auth = vendor scheme, one secret per
 *   webhook Lever created for us, plus a token the user pasted for UI-made webhooks);
 * - the UI test delivery carries `data: {}` and is answered 200 without an execution;
 * - dedup key: the documented event UID `id`, else the per-request `token` (Lever's own advice).
 */
export const leverSource: SourceDefinition<LeverSettings> = {
	id: 'lever',
	methods: ['POST'],
	authenticate(request: InboundRequest, settings: LeverSettings, body): AuthResult {
		if (settings.auth.scheme !== 'vendor')
			return {
				ok: false,
				reason: 'no_vendor_scheme',
				message: 'Lever deliveries are checked with their signature tokens.',
			};
		const { toleranceSeconds } = settings.auth;
		const parsed = body();
		const result = verifyLeverParsed(parsed, {
			secrets: settings.auth.secrets,
			toleranceSeconds,
			nowSeconds: Math.floor(request.now / 1000),
		});
		if (!result.ok) return result;
		if (settings.replayCache && request.rawBody && parsed.ok) {
			const fields = readSignedFields(parsed.value);
			const maxAgeMs = toleranceSeconds > 0 ? 2 * toleranceSeconds * 1000 : 0;
			if (
				fields.ok &&
				!settings.replayCache.check(fields.fields.token, request.rawBody, request.now, maxAgeMs)
			) {
				return {
					ok: false,
					reason: 'token_replayed',
					message:
						'This signed token was already used with a different body; Lever never does that.',
				};
			}
		}
		return { ok: true, scheme: 'vendor', verified: true };
	},
	ping: {
		// Lever's "test" button sends a signed delivery whose data is empty.
		detect: (body) => isRecord(body) && isRecord(body.data) && Object.keys(body.data).length === 0,
	},
	deliveryId: (_request, body) => (isRecord(body) ? asText(body.token) : undefined),
	split(body) {
		if (!isRecord(body)) throw new Error('a Lever delivery is a JSON object');
		const event: RawEvent = {
			sourceEvent: asText(body.event) ?? '',
			body,
			eventId: asText(body.id),
		};
		return { events: [event] };
	},
	normalise: normaliseLever,
};

/** First path that holds text (an object at an earlier path does not hide a later one). */
const text = firstText;

export function normaliseLever(raw: RawEvent): NormalisedEvent {
	const body = raw.body;
	const data = getPath(body, 'data');
	const warnings: string[] = [];
	const known = leverEvent(raw.sourceEvent);
	const event = known?.canonical ?? mapEventName(raw.sourceEvent);
	if (!raw.sourceEvent) warnings.push('event_name_missing: the body has no "event" field');
	else if (!known)
		warnings.push(
			`event_unknown: "${raw.sourceEvent}" is not a documented Lever event${event === 'unknown' ? '; see sourceEvent' : ''}`,
		);
	if (!isRecord(data)) warnings.push('data_missing: the body has no "data" object');

	// `candidateId` is a deprecated field whose meaning differs from both ids in Lever's own example,
	// so it is only a last resort for the subject.
	const contactId = text(data, ['contactId']);
	const opportunityId = text(data, ['opportunityId']);
	const type = subjectTypeOf(event);
	let subjectId: string | null;
	switch (type) {
		case 'application':
			subjectId = text(data, ['opportunityId', 'applicationId', 'candidateId']);
			break;
		case 'candidate':
			subjectId = contactId ?? text(data, ['candidateId']);
			break;
		case 'interview':
			subjectId = text(data, ['interviewId', 'id']);
			break;
		default:
			subjectId = text(data, ['id', 'opportunityId', 'contactId']);
	}
	if (subjectId === null && isRecord(data))
		warnings.push(`subject_id_missing: no ${type} id found in data`);

	const result: NormalisedEvent = {
		event,
		occurredAt: toIsoDate(getPath(body, 'triggeredAt')),
		subject: { type, id: subjectId },
		warnings,
	};
	// Lever payloads carry ids only; names and emails come from the API, never from the webhook.
	const personId = contactId ?? (type === 'candidate' ? subjectId : null);
	if (personId !== null)
		result.candidate = { id: personId, firstName: null, lastName: null, email: null, phone: null };
	const postingId = text(data, ['postingId', 'posting']);
	if (postingId !== null) result.job = { id: postingId, title: null, status: null };
	if (type === 'application' || opportunityId !== null) {
		result.application = {
			id: opportunityId ?? (type === 'application' ? subjectId : null),
			stage: text(data, ['toStageId', 'toStage.id', 'stageId']),
			previousStage: text(data, ['fromStageId', 'fromStage.id']),
		};
	}
	return result;
}

import {
	bodyHmacAuthenticate,
	signBodyHmac,
	verifyBodyHmac,
	type BodyHmacScheme,
} from '../core/signature/bodyHmac';
import type { VerifyResult } from '../core/signature/errors';
import type { HeaderBag } from '../core/signature/headers';
import { normaliseGeneric, readPerson, toIsoDate } from '../core/event/extract';
import type { CanonicalEventName } from '../core/event/taxonomy';
import { subjectTypeOf } from '../core/event/taxonomy';
import { asText, firstText, isRecord, recordOrUndefined, textOrNull } from '../core/json/path';
import type {
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { answerGet } from '../core/pipeline/reply';

/**
 * Merge (merge.dev) ATS webhooks: one trigger for every ATS Merge normalises (Workday, iCIMS,
 * SuccessFactors, Bullhorn, ...). docs.merge.dev/merge-unified/reading-data/webhooks/merge-webhooks;
 * help.merge.dev/en/articles/5389453 ("Creating Webhooks in Merge").
 *
 * - Envelope `{ hook: { id, event, target }, linked_account: { id, integration, category, ... }, data }`;
 *   a "data changed" webhook sends the Merge common model in `data`.
 * - `X-Merge-Webhook-Signature` = base64url(HMAC-SHA256(the organisation's webhook signature key,
 *   raw body)); implementations differ on the `=` padding, so both forms are accepted.
 * - Created in Merge's dashboard (Webhooks → Add endpoint); no registration API used here.
 * - Retried with exponential backoff on failure (count UNCONFIRMED): dedup matters.
 */
export const MERGE_SIGNATURE: BodyHmacScheme = {
	header: 'X-Merge-Webhook-Signature',
	encodings: ['base64url'],
	algorithmLabel: 'none',
	noSecretMessage:
		'No webhook signature key is configured in the credential (Merge dashboard → Webhooks → Security).',
	mismatchMessage:
		'The signature does not match the body and the webhook signature key in the credential.',
};

export function signMergeAts(secret: string, body: string | Buffer): string {
	return signBodyHmac(MERGE_SIGNATURE, secret, body);
}

export function verifyMergeAtsSignature(
	headers: HeaderBag,
	rawBody: Buffer,
	secrets: ReadonlyArray<string | undefined | null>,
): VerifyResult {
	return verifyBodyHmac(headers, rawBody, secrets, MERGE_SIGNATURE);
}

/** The ATS common models whose `.added` / `.changed` / `.removed` events are mapped. */
export const MERGE_MODELS: Record<
	string,
	{
		kind: 'candidate' | 'application' | 'job' | 'offer' | 'interview' | 'scorecard';
		events: [CanonicalEventName, CanonicalEventName | 'unknown', CanonicalEventName];
	}
> = {
	candidate: {
		kind: 'candidate',
		events: ['candidate.created', 'candidate.updated', 'candidate.deleted'],
	},
	application: {
		kind: 'application',
		events: ['application.created', 'application.updated', 'application.deleted'],
	},
	job: { kind: 'job', events: ['job.created', 'job.updated', 'job.deleted'] },
	offer: { kind: 'offer', events: ['offer.created', 'offer.updated', 'offer.deleted'] },
	interview: {
		kind: 'interview',
		events: ['interview.scheduled', 'interview.updated', 'interview.deleted'],
	},
	scheduledinterview: {
		kind: 'interview',
		events: ['interview.scheduled', 'interview.updated', 'interview.deleted'],
	},
	// The taxonomy has no scorecard update: a changed scorecard stays `unknown` (subject scorecard).
	scorecard: { kind: 'scorecard', events: ['scorecard.submitted', 'unknown', 'scorecard.deleted'] },
};

/** The event names offered in the node (Merge's own spelling). */
export const MERGE_EVENTS = Object.entries({
	Candidate: 'candidate',
	Application: 'application',
	Job: 'job',
	Offer: 'offer',
	Interview: 'interview',
	Scorecard: 'scorecard',
}).flatMap(([model]) => ['added', 'changed', 'removed'].map((action) => `${model}.${action}`));

/** `Candidate.changed` → model `candidate`, action index 1. `.created/.updated/.deleted` are read as synonyms. */
export function parseMergeEvent(name: string): { model: string; action: 0 | 1 | 2 } | undefined {
	const match = /^([A-Za-z_]+)\.([a-z_]+)$/.exec(name.trim());
	if (!match) return undefined;
	const action = (
		{ added: 0, created: 0, changed: 1, updated: 1, removed: 2, deleted: 2 } as const
	)[match[2].toLowerCase() as 'added'];
	if (action === undefined) return undefined;
	return { model: match[1].toLowerCase().replace(/_/g, ''), action };
}

export const mergeAtsSource: SourceDefinition<SourceSettings> = {
	id: 'mergeats',
	methods: ['POST', 'GET'],
	handshake: answerGet('mergeats'),
	authenticate: bodyHmacAuthenticate(MERGE_SIGNATURE),
	split(body) {
		if (!isRecord(body)) throw new Error('a Merge delivery is one JSON object');
		const sourceEvent = asText(recordOrUndefined(body.hook)?.event) ?? '';
		// No delivery id is documented (`hook.id` is the webhook configuration). A record's change is
		// its event, linked account, id and modified_at; without them the pipeline hashes the raw body.
		const data = recordOrUndefined(body.data);
		const account = asText(recordOrUndefined(body.linked_account)?.id);
		const id = asText(data?.id);
		const modified = asText(data?.modified_at) ?? asText(data?.remote_updated_at);
		return {
			events: [
				{
					sourceEvent,
					body,
					eventId:
						sourceEvent && account && id && modified
							? `${sourceEvent}:${account}:${id}:${modified}`
							: undefined,
				},
			],
		};
	},
	normalise: normaliseMergeAts,
};

const text = textOrNull;
const record = recordOrUndefined;

/** A Merge reference is an id, or the expanded object (`expand=`). */
function refId(value: unknown): string | null {
	return isRecord(value) ? text(value.id) : text(value);
}

/** Map one Merge delivery to the canonical event; the real ATS travels as `integration`. Never throws. */
export function normaliseMergeAts(raw: RawEvent): NormalisedEvent {
	const body = record(raw.body) ?? {};
	const name = raw.sourceEvent;
	const account = record(body.linked_account) ?? {};
	const extra = {
		integration: text(account.integration),
		integrationSlug: text(account.integration_slug),
		linkedAccountId: text(account.id),
	};
	const withExtra = (event: NormalisedEvent): NormalisedEvent => ({ ...event, extra });
	if (!name)
		return withExtra({
			event: 'unknown',
			subject: { type: 'unknown', id: null },
			warnings: ['event_name_missing: the body has no "hook.event"'],
		});
	const parsed = parseMergeEvent(name);
	const model = parsed ? MERGE_MODELS[parsed.model] : undefined;
	const data = record(body.data);
	if (!parsed || !model) {
		// LinkedAccount.*, Issue.*, <Model>.synced, other categories: kept, not mapped.
		if (/^(linkedaccount|linked_account|issue)\./i.test(name) || /\.synced$/i.test(name)) {
			return withExtra({ event: 'unknown', subject: { type: 'unknown', id: text(data?.id) } });
		}
		const generic = normaliseGeneric(name, data ?? body);
		return withExtra({
			...generic,
			warnings: [
				`unknown_event: "${name}" is not a mapped Merge ATS event`,
				...(generic.warnings ?? []),
			],
		});
	}
	const event = model.events[parsed.action];
	const result: NormalisedEvent = {
		event,
		occurredAt: toIsoDate(data?.modified_at ?? data?.remote_updated_at ?? null),
		subject: { type: event === 'unknown' ? model.kind : subjectTypeOf(event), id: text(data?.id) },
	};
	if (!data)
		return withExtra({ ...result, warnings: ['data_missing: the body has no "data" object'] });
	switch (model.kind) {
		case 'candidate': {
			const person = readPerson(data);
			result.candidate = {
				...person,
				id: text(data.id),
				email: firstText(data, ['email_addresses.0.value']),
				phone: firstText(data, ['phone_numbers.0.value']),
			};
			break;
		}
		case 'application': {
			const stage = data.current_stage;
			result.application = {
				id: text(data.id),
				stage: isRecord(stage) ? text(stage.name) : null,
				previousStage: null,
			};
			const candidate = data.candidate;
			if (candidate !== undefined && candidate !== null)
				result.candidate = isRecord(candidate)
					? { ...readPerson(candidate), id: text(candidate.id) }
					: { id: refId(candidate) };
			const job = data.job;
			if (job !== undefined && job !== null)
				result.job = { id: refId(job), title: isRecord(job) ? text(job.name) : null };
			if (data.rejected_at) result.extra = { rejectedAt: toIsoDate(data.rejected_at) };
			break;
		}
		case 'job':
			result.job = { id: text(data.id), title: text(data.name), status: text(data.status) };
			break;
		default:
			if (data.application !== undefined && data.application !== null)
				result.application = { id: refId(data.application), stage: null, previousStage: null };
	}
	const out = withExtra(result);
	if (result.extra) out.extra = { ...extra, ...result.extra };
	if (result.subject.id === null) out.warnings = ['field_missing: data.id'];
	return out;
}

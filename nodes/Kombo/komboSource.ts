import {
	bodyHmacAuthenticate,
	signBodyHmac,
	verifyBodyHmac,
	type BodyHmacScheme,
} from '../core/signature/bodyHmac';
import type { VerifyResult } from '../core/signature/errors';
import type { HeaderBag } from '../core/signature/headers';
import { toIsoDate } from '../core/event/extract';
import { asText, isRecord, recordOrUndefined, textOrNull } from '../core/json/path';
import type {
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { answerGet } from '../core/pipeline/reply';

/**
 * Kombo (kombo.dev), a unified ATS/HRIS API: one trigger for every tool Kombo connects (Workday,
 * SuccessFactors, iCIMS, Lever, ...).
 *
 * - Envelope `{ id, type, data }` (https://docs.kombo.dev/webhooks, "Data Schema";
 *   https://docs.kombo.dev/api-reference/data-changed). `id` is "Unique identifier for this webhook
 *   event": the dedup key.
 * - `X-Kombo-Signature`: "Using HMAC-SHA256 to sign the request body with your Kombo Webhook Secret",
 *   "Digest with base64url encoding", without the trailing `=` padding
 *   (https://docs.kombo.dev/webhooks, "Validate the data"). Verified over the raw bytes; the padded
 *   form is accepted too (the shared verifier treats padding as optional).
 * - `data-changed` is a notification: it names the changed models (`changed_models[].name`), not the
 *   records. Kombo's guide: fetch the endpoints that serve those models with `updated_after`
 *   (https://docs.kombo.dev/ats/getting-started/fetching-data). The trigger's "Fetch Changed
 *   Records" does that in execute() (komboFetch.ts), after n8n has answered and stored the execution.
 * - Webhooks are configured in Kombo's dashboard (webhooks tab); no registration API is used.
 */
export const KOMBO_SIGNATURE: BodyHmacScheme = {
	header: 'X-Kombo-Signature',
	encodings: ['base64url'],
	algorithmLabel: 'none',
	noSecretMessage:
		'No Kombo Webhook Secret is configured in the credential (Kombo dashboard → Webhooks).',
	mismatchMessage:
		'The signature does not match the body and the Kombo Webhook Secret in the credential.',
};

export function signKombo(secret: string, body: string | Buffer): string {
	return signBodyHmac(KOMBO_SIGNATURE, secret, body);
}

export function verifyKomboSignature(
	headers: HeaderBag,
	rawBody: Buffer,
	secrets: ReadonlyArray<string | undefined | null>,
): VerifyResult {
	return verifyBodyHmac(headers, rawBody, secrets, KOMBO_SIGNATURE);
}

/**
 * Kombo's webhook types (https://docs.kombo.dev/webhooks and the API reference's webhook pages).
 * None is a record event of the canonical taxonomy: they stay `unknown` unless Fetch Changed Records
 * turns a `data-changed` into one event per changed record.
 */
export const KOMBO_EVENTS: Array<{ value: string; name: string; description: string }> = [
	{
		value: 'data-changed',
		name: 'Data Changed',
		description: 'Records of the listed models changed in Kombo (fetch them with updated_after)',
	},
	{ value: 'sync-finished', name: 'Sync Finished', description: 'A sync of an integration ended' },
	{
		value: 'integration-created',
		name: 'Integration Created',
		description: 'A customer connected a tool',
	},
	{
		value: 'integration-state-changed',
		name: 'Integration State Changed',
		description: 'An integration became active, invalid or inactive',
	},
	{
		value: 'connection-flow-failed',
		name: 'Connection Flow Failed',
		description: 'A customer could not finish connecting a tool',
	},
	{
		value: 'remote-event-received',
		name: 'Remote Event Received (Deprecated)',
		description: 'A raw event from the connected tool (deprecated by Kombo)',
	},
];

export const komboSource: SourceDefinition<SourceSettings> = {
	id: 'kombo',
	methods: ['POST', 'GET'],
	handshake: answerGet('kombo'),
	authenticate: bodyHmacAuthenticate(KOMBO_SIGNATURE),
	split(body) {
		if (!isRecord(body)) throw new Error('a Kombo webhook is one JSON object');
		return {
			events: [{ sourceEvent: asText(body.type) ?? '', body, eventId: asText(body.id) }],
		};
	},
	normalise: normaliseKombo,
};

/** The names of `data.changed_models` (empty when absent). */
export function changedModelsOf(body: unknown): string[] {
	const models = recordOrUndefined(recordOrUndefined(body)?.data)?.changed_models;
	if (!Array.isArray(models)) return [];
	return models
		.map((m) => (isRecord(m) ? asText(m.name) : asText(m)))
		.filter((m): m is string => m !== undefined);
}

/**
 * A Kombo notification as one canonical event: `unknown` (the taxonomy has no "data changed"), the
 * integration as subject, the real tool (`integration_tool`) as `integration`. Never throws.
 */
export function normaliseKombo(raw: RawEvent): NormalisedEvent {
	const body = recordOrUndefined(raw.body) ?? {};
	const data = recordOrUndefined(body.data);
	const warnings: string[] = [];
	if (!raw.sourceEvent) warnings.push('event_name_missing: the body has no "type"');
	if (!asText(body.id))
		warnings.push('field_missing: id (the pipeline deduplicates on the body hash)');
	if (!data) warnings.push('data_missing: the body has no "data" object');
	const extra: Record<string, unknown> = {
		integration: textOrNull(data?.integration_tool),
		integrationId: textOrNull(data?.integration_id),
		integrationCategory: textOrNull(data?.integration_category),
	};
	if (raw.sourceEvent === 'data-changed') {
		extra.changedModels = changedModelsOf(body);
		if (!Array.isArray(data?.changed_models)) warnings.push('field_missing: data.changed_models');
	}
	if (raw.sourceEvent === 'sync-finished') extra.syncState = textOrNull(data?.sync_state);
	const occurred = data?.sync_ended_at ?? data?.occurred_at ?? null;
	return {
		event: 'unknown',
		occurredAt: toIsoDate(occurred),
		subject: { type: 'unknown', id: textOrNull(data?.integration_id) },
		extra,
		...(warnings.length ? { warnings } : {}),
	};
}

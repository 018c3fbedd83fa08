import { z } from 'zod';
import { CANONICAL_EVENTS, SUBJECT_TYPES, UNKNOWN_EVENT } from './taxonomy';

const id = z.union([z.string(), z.number()]).transform(String);
const optionalText = z.string().nullish();

export const signatureSchemes = [
	'none',
	'headerToken',
	'basicAuth',
	'hmac',
	'standardWebhooks',
	'vendor',
	/** ATS Reconcile Trigger: the record was read from the vendor's API (docs/nodes/atsReconcileTrigger.md). */
	'poll',
] as const;

/**
 * One item per event, flat enough for a Sheets row or a Slack message (CONTRIBUTING.md "Canonical event").
 * `payload` always keeps the vendor's own data; `warnings` says what did not match the vendor schema.
 */
export const canonicalEventSchema = z.object({
	id: z.string().min(1),
	source: z.string().min(1),
	event: z.enum([...CANONICAL_EVENTS, UNKNOWN_EVENT]),
	sourceEvent: z.string(),
	occurredAt: z.string().nullable(),
	receivedAt: z.string(),
	subject: z.object({
		type: z.enum(SUBJECT_TYPES),
		id: id.nullable(),
		url: z.string().optional(),
	}),
	candidate: z
		.object({
			id: id.nullable(),
			firstName: optionalText,
			lastName: optionalText,
			email: optionalText,
			phone: optionalText,
		})
		.optional(),
	job: z.object({ id: id.nullable(), title: optionalText, status: optionalText }).optional(),
	application: z
		.object({ id: id.nullable(), stage: optionalText, previousStage: optionalText })
		.optional(),
	batch: z
		.object({ id: z.string(), index: z.number().int().min(0), size: z.number().int().min(1) })
		.optional(),
	delivery: z.object({
		id: z.string().nullable(),
		verified: z.boolean(),
		scheme: z.enum(signatureSchemes),
		attempt: z.number().int().optional(),
		/** Hashed dedup key (16 characters, not reversible); the trigger records it once n8n stored the execution. */
		dedupKey: z.string().optional(),
		/** Hashed change identity (nodes/core/reconcile/changeIdentity.ts), when the workflow reconciles by polling. */
		changeKey: z.string().optional(),
	}),
	payload: z.unknown(),
	warnings: z.array(z.string()).optional(),
});

export type CanonicalEvent = z.infer<typeof canonicalEventSchema>;
export type SignatureSchemeName = (typeof signatureSchemes)[number];

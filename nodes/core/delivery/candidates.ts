import { z } from 'zod';
import { getPath, isRecord } from '../json/path';

/**
 * Candidates before they go out: optional field selection, then a zod check of what the receiver
 * needs. A candidate that fails goes to the Failed output with a reason that names fields, never
 * their values (candidate data stays out of error messages).
 */

/** The field the Failed output adds to an item; removed again when such an item is re-sent. */
export const DELIVERY_ERROR_FIELD = 'deliveryError';

export function withoutDeliveryError(json: Record<string, unknown>): Record<string, unknown> {
	if (!(DELIVERY_ERROR_FIELD in json)) return json;
	const rest = { ...json };
	delete rest[DELIVERY_ERROR_FIELD];
	return rest;
}

function splitPath(path: string): string[] {
	return path
		.replace(/\[(\d+)\]/g, '.$1')
		.split('.')
		.filter((step) => step !== '');
}

/** Keep only the given dot paths (nesting kept: `profile.email` stays under `profile`). */
export function pickFields(
	source: Record<string, unknown>,
	paths: readonly string[],
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const path of paths) {
		const value = getPath(source, path);
		if (value === undefined) continue;
		const steps = splitPath(path);
		if (steps.some((s) => s === '__proto__' || s === 'constructor' || s === 'prototype')) continue;
		let target = out;
		for (let i = 0; i < steps.length - 1; i++) {
			const next = target[steps[i]];
			if (!isRecord(next)) target[steps[i]] = {};
			target = target[steps[i]] as Record<string, unknown>;
		}
		target[steps[steps.length - 1]] = value;
	}
	return out;
}

export interface CandidateRules {
	/** Dot paths that must hold a value (not missing, null or empty text). */
	required: string[];
	/** Dot paths that, when present, must be an email address. */
	emailFields: string[];
}

const present = (value: unknown) =>
	value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
const emailSchema = z.string().trim().email();

/** A zod schema for one candidate under the rules; issues carry the field path as message. */
export function candidateSchema(rules: CandidateRules) {
	return z
		.custom<Record<string, unknown>>((value) => isRecord(value))
		.superRefine((candidate, ctx) => {
			for (const path of rules.required) {
				if (!present(getPath(candidate, path)))
					ctx.addIssue({ code: z.ZodIssueCode.custom, message: `missing:${path}` });
			}
			for (const path of rules.emailFields) {
				const value = getPath(candidate, path);
				if (!present(value)) continue;
				if (!emailSchema.safeParse(value).success)
					ctx.addIssue({ code: z.ZodIssueCode.custom, message: `email:${path}` });
			}
		});
}

export type CandidateCheck =
	| { ok: true }
	| { ok: false; reason: 'missing_fields' | 'invalid_email' | 'not_an_object'; message: string };

export function checkCandidate(
	schema: ReturnType<typeof candidateSchema>,
	candidate: unknown,
): CandidateCheck {
	if (!isRecord(candidate))
		return { ok: false, reason: 'not_an_object', message: 'The candidate is not a JSON object.' };
	const result = schema.safeParse(candidate);
	if (result.success) return { ok: true };
	const missing = result.error.issues
		.filter((i) => i.message.startsWith('missing:'))
		.map((i) => i.message.slice(8));
	const emails = result.error.issues
		.filter((i) => i.message.startsWith('email:'))
		.map((i) => i.message.slice(6));
	if (missing.length) {
		const extra = emails.length ? `; not an email address: ${emails.join(', ')}` : '';
		return {
			ok: false,
			reason: 'missing_fields',
			message: `Missing required field${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}${extra}.`,
		};
	}
	return {
		ok: false,
		reason: 'invalid_email',
		message: `Not an email address: ${emails.join(', ')}.`,
	};
}

/** Comma- or newline-separated list of paths. */
export function parsePathList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
	if (typeof value !== 'string') return [];
	return value
		.split(/[,\n]/)
		.map((v) => v.trim())
		.filter(Boolean);
}

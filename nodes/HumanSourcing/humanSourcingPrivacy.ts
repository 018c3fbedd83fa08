import { minimise } from '../core/json/privacy';
import { isRecord } from '../core/json/path';

/**
 * The Privacy option for Human Sourcing. The core `minimise` decides what is personal (its key list
 * and its email/phone value patterns are used here unchanged), but two things it does are wrong for
 * this vendor, whose ids are numeric strings ("14437912", form "2599363") and whose attachments
 * carry ids: it drops an id that looks like a phone number, and it drops a whole attachment with its
 * id. Here, a value under an id key always stays, and a personal object or list (attachment,
 * consultant) keeps its ids and loses everything else. Attachment text, emails, phones, names and
 * form answers are gone either way.
 */
const ID_KEY = /^(id|ids|uuid)$|_id$|_ids$|^id_|Id$|_uuid$/;

const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** True when the core treats this key as personal (probed with a value that is never personal). */
function personalKey(key: string): boolean {
	const probe = minimise({ [key]: true });
	return isRecord(probe) && !(key in probe);
}

/** True when the core treats this text as personal (an email address or a phone number). */
function personalValue(value: unknown): boolean {
	return typeof value === 'string' && minimise(value) === undefined;
}

/** Only the ids of a personal object or list; undefined when it has none. */
export function idsOnly(value: unknown): unknown {
	if (Array.isArray(value)) {
		const kept = value.map(idsOnly).filter((v) => v !== undefined);
		return kept.length ? kept : undefined;
	}
	if (!isRecord(value)) return undefined;
	const out: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value)) {
		if (ID_KEY.test(key) && isScalar(item)) out[key] = item;
		else if (!isScalar(item)) {
			const nested = idsOnly(item);
			if (nested !== undefined) out[key] = nested;
		}
	}
	return Object.keys(out).length ? out : undefined;
}

export function minimiseHumanSourcing(value: unknown): unknown {
	if (Array.isArray(value)) return value.filter((v) => !personalValue(v)).map(minimiseHumanSourcing);
	if (!isRecord(value)) return personalValue(value) ? undefined : value;
	const out: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value)) {
		if (ID_KEY.test(key) && isScalar(item)) out[key] = item;
		else if (personalKey(key)) {
			const skeleton = idsOnly(item);
			if (skeleton !== undefined) out[key] = skeleton;
		} else if (!personalValue(item)) out[key] = minimiseHumanSourcing(item);
	}
	return out;
}

function privatise(event: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = { ...event, payload: minimiseHumanSourcing(event.payload) };
	if (isRecord(event.candidate)) out.candidate = { id: event.candidate.id ?? null };
	return out;
}

/**
 * Applied to the items after the pipeline (which ran with its own privacy off). Fails closed: if
 * anything goes wrong, the payload is removed rather than emitted unminimised.
 */
export function applyHumanSourcingPrivacy(items: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
	try {
		return items.map((item) =>
			Array.isArray(item.events) ? { ...item, events: (item.events as Array<Record<string, unknown>>).map(privatise) } : privatise(item),
		);
	} catch {
		return items.map((item) => {
			const events = read(item, 'events');
			return Array.isArray(events) ? { ...copyWithout(item, 'events'), events: events.map(strip) } : strip(item);
		});
	}
}

function read(value: unknown, key: string): unknown {
	try {
		return isRecord(value) ? value[key] : undefined;
	} catch {
		return undefined;
	}
}

function copyWithout(value: Record<string, unknown>, ...skip: string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value)) if (!skip.includes(key)) out[key] = read(value, key);
	return out;
}

/** The last resort: everything but the payload and the person, which are removed. Never throws. */
function strip(event: unknown): Record<string, unknown> {
	if (!isRecord(event)) return { payload: null, warnings: ['privacy_fallback: the payload was removed'] };
	const candidate = read(event, 'candidate');
	const warnings = read(event, 'warnings');
	return {
		...copyWithout(event, 'payload', 'candidate', 'warnings', 'resource'),
		payload: null,
		...(isRecord(candidate) ? { candidate: { id: read(candidate, 'id') ?? null } } : {}),
		warnings: [...(Array.isArray(warnings) ? warnings.filter((w) => typeof w === 'string') : []), 'privacy_fallback: the payload was removed'],
	};
}

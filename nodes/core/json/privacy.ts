/**
 * GDPR minimisation for the Privacy option: remove personal fields (names, emails, phones,
 * addresses, attachments, free text) and keep ids and structure. Key names decide first; then any
 * remaining string that looks like an email address or a phone number is dropped too, because
 * vendors put contact data in free-form places (form answers, custom fields).
 */
const PERSONAL_KEYS = new RegExp(
	'^(' +
		[
			'(first|last|middle|full|given|family|display|maiden|nick)_?name',
			'name',
			'names',
			'e_?mail(s|_?address(es)?)?',
			'emails?_?addresses',
			'phone(s|_?numbers?)?',
			'tel(_\\w+)?',
			'telephone',
			'mobile(_?phone)?',
			'fax',
			'address(es)?',
			'street',
			'city',
			'zip(_?code)?',
			'postal_?code',
			'postcode',
			'(date_?of_?)?birth(_?date|day)?',
			'dob',
			'gender',
			'sex',
			'nationality',
			'photo(_?url)?',
			'avatar(_?url)?',
			'picture',
			'linkedin(_?url)?',
			'social(_?profiles?|_?links?)?',
			'resume(_?url|_?text)?',
			'cv',
			'cover_?letter',
			'attachments?',
			'files?',
			'documents?',
			'text',
			'body',
			'content',
			'notes?',
			'comments?',
			'answers?',
			'message',
			'description',
			'summary',
			'ssn',
			'national_?id',
			'ip(_?address)?',
			'consultant',
			'interviewer',
			'recruiter',
			'hiring_?manager',
			'owner',
			'profile',
			'profil',
			'commentaire',
			'emailing',
		].join('|') +
		')$',
	'i',
);

const ID_KEY = /^(id|ids|uuid|key)$|_id$|_ids$|^id_|Id$|Ids$|_uuid$|_key$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMBEDDED_EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[A-Za-z]{2,}/g;
const PHONE = /^\+?[\d\s().-]{7,20}$/;

const isScalar = (value: unknown) =>
	value === null || ['string', 'number', 'boolean'].includes(typeof value);

function personalKey(key: string): boolean {
	return !ID_KEY.test(key) && PERSONAL_KEYS.test(key.replace(/-/g, '_'));
}

function personalValue(value: unknown): boolean {
	if (typeof value !== 'string') return false;
	const text = value.trim();
	return (
		EMAIL.test(text) ||
		(PHONE.test(text) && (text.match(/\d/g)?.length ?? 0) >= 7 && !/^\d{4}-\d{2}-\d{2}/.test(text))
	);
}

/**
 * Only the ids inside a personal object or list (an attachment keeps its id, a consultant their
 * id); undefined when there are none, so the key disappears.
 */
export function idsOnly(value: unknown): unknown {
	if (Array.isArray(value)) {
		const kept = value.map(idsOnly).filter((v) => v !== undefined);
		return kept.length ? kept : undefined;
	}
	if (value === null || typeof value !== 'object') return undefined;
	const out: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
		if (ID_KEY.test(key) && isScalar(item)) out[key] = item;
		else if (!isScalar(item)) {
			const nested = idsOnly(item);
			if (nested !== undefined) out[key] = nested;
		}
	}
	return Object.keys(out).length ? out : undefined;
}

/**
 * A copy of `value` with personal data removed; the input is not changed. A scalar under an id key
 * always stays (vendors use long numeric strings as ids, which look like phone numbers). A personal
 * key keeps only the ids inside its value. Elsewhere, values that are email addresses or phone
 * numbers are dropped, and addresses inside free text are replaced.
 */
export function minimise(value: unknown): unknown {
	if (Array.isArray(value)) return value.filter((item) => !personalValue(item)).map(minimise);
	if (value === null || typeof value !== 'object') {
		if (personalValue(value)) return undefined;
		return typeof value === 'string' && value.includes('@')
			? value.replace(EMBEDDED_EMAIL, '[email removed]')
			: value;
	}
	const out: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
		if (ID_KEY.test(key) && isScalar(item)) out[key] = item;
		else if (personalKey(key)) {
			const skeleton = idsOnly(item);
			if (skeleton !== undefined) out[key] = skeleton;
		} else if (!personalValue(item)) out[key] = minimise(item);
	}
	return out;
}

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

const ID_KEY = /(^id$|_id$|Id$|^ids?$|_ids$|Ids$|^uuid$|_uuid$|^key$|_key$)/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMBEDDED_EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[A-Za-z]{2,}/g;
const PHONE = /^\+?[\d\s().-]{7,20}$/;

function personalKey(key: string): boolean {
	return !ID_KEY.test(key) && PERSONAL_KEYS.test(key.replace(/-/g, '_'));
}

function personalValue(value: unknown): boolean {
	if (typeof value !== 'string') return false;
	const text = value.trim();
	return EMAIL.test(text) || (PHONE.test(text) && (text.match(/\d/g)?.length ?? 0) >= 7 && !/^\d{4}-\d{2}-\d{2}/.test(text));
}

/** A copy of `value` with personal data removed. The input is not changed. */
export function minimise(value: unknown): unknown {
	if (Array.isArray(value)) return value.filter((item) => !personalValue(item)).map(minimise);
	if (value === null || typeof value !== 'object') {
		if (personalValue(value)) return undefined;
		// Free text that mentions an address ("reach me at …") keeps its words but loses the address.
		return typeof value === 'string' && value.includes('@') ? value.replace(EMBEDDED_EMAIL, '[email removed]') : value;
	}
	const out: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
		if (personalKey(key) || personalValue(item)) continue;
		out[key] = minimise(item);
	}
	return out;
}

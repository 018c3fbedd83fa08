import { failed, verified, type VerifyResult } from '../core/signature/errors';
import { readHeader, usableSecrets, type HeaderBag } from '../core/signature/headers';
import { signHmac } from '../core/signature/hmac';
import { safeEqualAny } from '../core/signature/timingSafe';
import { checkTimestamp, parseUnixTimestamp } from '../core/signature/timestamp';
import { toIsoDate } from '../core/event/extract';
import { asText, isRecord, recordOrUndefined, textOrNull } from '../core/json/path';
import type {
	AuthResult,
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';
import { answerGet } from '../core/pipeline/reply';

/**
 * BambooHR webhooks (HR events, not ATS events; https://documentation.bamboohr.com/docs/webhooks,
 * /docs/event-based-webhooks):
 *
 * - "The webhook is secured using SHA-256 HMAC" with the webhook's Private Key (generated on the
 *   webhook's edit page), sent in `X-BambooHR-Signature` with `X-BambooHR-Timestamp`. What is signed
 *   is the raw body followed by the timestamp header's text, no separator, hex digest: the docs'
 *   sentence names the two headers; the order is what public receivers implement (UNCONFIRMED).
 * - The timestamp is checked against the Replay Window both ways (Unix seconds or milliseconds; an
 *   ISO date is tolerated, UNCONFIRMED which one BambooHR sends).
 * - Bodies: the event-based format `{ type: "employee.updated", timestamp, data: { companyId,
 *   employeeId, changedFields } }`, or the older field-based format `{ employees: [ { id, action,
 *   changedFields, fields } ] }`, split into one event per employee.
 * - No delivery id is documented: dedup uses the raw-body hash (per employee in a batch).
 */
export const SIGNATURE_HEADER = 'X-BambooHR-Signature';
export const TIMESTAMP_HEADER = 'X-BambooHR-Timestamp';

/** The hex digest BambooHR sends for these bytes at this timestamp. */
export function signBambooHr(secret: string, body: string | Buffer, timestamp: string): string {
	const bytes = Buffer.concat([
		Buffer.isBuffer(body) ? body : Buffer.from(body),
		Buffer.from(timestamp),
	]);
	return signHmac({ secret, algorithm: 'sha256', encoding: 'hex', message: bytes });
}

/** Both headers, as BambooHR sends them (tests, demo sender, e2e). */
export function bambooHrHeaders(
	secret: string,
	body: string | Buffer,
	timestampSeconds: number,
): Record<string, string> {
	const timestamp = String(timestampSeconds);
	return {
		'x-bamboohr-signature': signBambooHr(secret, body, timestamp),
		'x-bamboohr-timestamp': timestamp,
	};
}

function timestampSeconds(text: string): number | undefined {
	const unix = parseUnixTimestamp(text);
	if (unix !== undefined) return unix;
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export interface BambooHrVerifyOptions {
	secrets: ReadonlyArray<string | undefined | null>;
	/** Replay window in seconds, both ways; 0 turns it off (a missing timestamp is then signed as ""). */
	toleranceSeconds: number;
	nowSeconds?: number;
}

/** Verify a delivery over its raw bytes and timestamp. Never throws; never echoes the key or body. */
export function verifyBambooHr(
	headers: HeaderBag,
	rawBody: Buffer,
	options: BambooHrVerifyOptions,
): VerifyResult {
	const secrets = usableSecrets(options.secrets);
	if (secrets.length === 0)
		return failed(
			'no_secret',
			"No BambooHR Private Key is configured in the credential (the webhook's edit page → Private Key → Generate).",
		);
	const signature = readHeader(headers, SIGNATURE_HEADER);
	if (signature.multiple)
		return failed(
			'ambiguous_signature_header',
			`Header ${SIGNATURE_HEADER} was sent more than once.`,
		);
	const digest = signature.value?.trim();
	if (!digest) return failed('missing_signature', `Header ${SIGNATURE_HEADER} is missing.`);
	if (!/^[0-9a-fA-F]{64}$/.test(digest))
		return failed('bad_signature_format', `Header ${SIGNATURE_HEADER} is not a hex SHA-256 HMAC.`);
	const ts = readHeader(headers, TIMESTAMP_HEADER);
	if (ts.multiple)
		return failed(
			'ambiguous_timestamp_header',
			`Header ${TIMESTAMP_HEADER} was sent more than once.`,
		);
	const timestamp = ts.value?.trim() ?? '';
	if (options.toleranceSeconds > 0) {
		if (!timestamp) return failed('missing_timestamp', `Header ${TIMESTAMP_HEADER} is missing.`);
		const seconds = timestampSeconds(timestamp);
		if (seconds === undefined)
			return failed('bad_timestamp', `Header ${TIMESTAMP_HEADER} is not a time.`);
		const window = checkTimestamp(seconds, options.toleranceSeconds, options.nowSeconds);
		if (!window.ok) return window;
	}
	const expected = secrets.map((secret) => signBambooHr(secret, rawBody, timestamp));
	return safeEqualAny([digest.toLowerCase()], expected)
		? verified
		: failed(
				'signature_mismatch',
				'The signature does not match the body, the timestamp and the Private Key in the credential.',
			);
}

/** The event names offered in the node (event-based format; legacy actions map onto them). */
export const BAMBOOHR_EVENTS: Array<{ value: string; name: string; description: string }> = [
	{ value: 'employee.created', name: 'Employee Created', description: 'A new employee record' },
	{
		value: 'employee.updated',
		name: 'Employee Updated',
		description: 'A monitored field of an employee changed',
	},
	{ value: 'employee.deleted', name: 'Employee Deleted', description: 'An employee was deleted' },
];

/** The legacy format's `action` ("Created", "Updated", "Deleted") as an event name. */
function legacyEventName(employee: Record<string, unknown>): string {
	const action = asText(employee.action)?.toLowerCase();
	return action ? `employee.${action}` : 'employee.updated';
}

export const bambooHrSource: SourceDefinition<SourceSettings> = {
	id: 'bamboohr',
	methods: ['POST', 'GET'],
	handshake: answerGet('bamboohr'),
	authenticate(request, settings): AuthResult {
		const result = verifyBambooHr(request.headers, request.rawBody ?? Buffer.alloc(0), {
			secrets: settings.auth.scheme === 'vendor' ? settings.auth.secrets : [],
			toleranceSeconds: settings.auth.scheme === 'vendor' ? settings.auth.toleranceSeconds : 300,
			nowSeconds: Math.floor(request.now / 1000),
		});
		return result.ok ? { ok: true, scheme: 'vendor', verified: true } : result;
	},
	split(body) {
		if (!isRecord(body)) throw new Error('a BambooHR webhook is one JSON object');
		if (Array.isArray(body.employees)) {
			const employees = body.employees.filter(isRecord);
			const batchId = asText(body.webhookId) ?? 'bamboohr';
			return {
				events: employees.map((employee, index) => ({
					sourceEvent: legacyEventName(employee),
					body: employee,
					...(employees.length > 1
						? { batch: { id: batchId, index, size: employees.length } }
						: {}),
				})),
				...(employees.length === 0
					? { warnings: ['employees_empty: the batch has no employees'] }
					: {}),
			};
		}
		return { events: [{ sourceEvent: asText(body.type)?.toLowerCase() ?? '', body }] };
	},
	normalise: normaliseBambooHr,
};

/** One employee change as a canonical event: `unknown` (no employee events in the taxonomy). Never throws. */
export function normaliseBambooHr(raw: RawEvent): NormalisedEvent {
	const body = recordOrUndefined(raw.body) ?? {};
	const legacy = !('type' in body) && !('data' in body);
	const data = legacy ? body : recordOrUndefined(body.data);
	const warnings: string[] = [];
	if (!raw.sourceEvent) warnings.push('event_name_missing: the body has no "type"');
	else if (!/^employee\.(created|updated|deleted)$/.test(raw.sourceEvent))
		warnings.push(`unknown_event: "${raw.sourceEvent}" is not a documented BambooHR event`);
	const employeeId = textOrNull(data?.employeeId ?? data?.id ?? data?.employee_id);
	if (!employeeId) warnings.push('field_missing: employee id');
	const changed = data?.changedFields;
	return {
		event: 'unknown',
		occurredAt: toIsoDate(legacy ? null : (body.timestamp ?? null)),
		subject: { type: 'unknown', id: employeeId },
		extra: {
			employeeId,
			companyId: textOrNull(data?.companyId),
			changedFields: Array.isArray(changed) ? changed.map(String) : [],
			format: legacy ? 'field-based' : 'event-based',
		},
		...(warnings.length ? { warnings } : {}),
	};
}

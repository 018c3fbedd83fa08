import { hashKey } from '../dedup/hashKey';

/**
 * The change identity both paths compute (docs/nodes/atsReconcileTrigger.md, "Change identity"):
 * source + record type + record id + the record's version, where the version is the record's own
 * update time (whole seconds, UTC) or a version number the vendor keeps. A webhook delivery and a
 * poll that see the same change of the same record compute the same key, so the change runs once.
 *
 * Whole seconds because vendors print the same instant at different precisions in their webhooks
 * and their list APIs (Greenhouse's webhooks print `2015-02-09T16:38:36Z`); two changes of one
 * record within the same second count as one.
 */
export interface ChangeIdentity {
	source: string;
	recordType: 'application' | 'candidate';
	id: string;
	version: string;
}

export function changeIdentityText(change: ChangeIdentity): string {
	return `change:v1:${change.source}:${change.recordType}:${change.id}:${change.version}`;
}

/** The stored form: a 16-character hash, like every dedup key (nodes/core/dedup/hashKey.ts). */
export function changeKeyOf(change: ChangeIdentity): string {
	return hashKey(changeIdentityText(change));
}

/** A time as the version part: seconds since the epoch, or undefined when it is not a time. */
export function timeVersion(value: unknown): string | undefined {
	const ms = toEpochMs(value);
	return ms === undefined ? undefined : String(Math.floor(ms / 1000));
}

/** ISO text, epoch seconds or epoch milliseconds → epoch milliseconds. */
export function toEpochMs(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) {
		// Lever prints milliseconds; anything below 1e11 is read as seconds.
		return value < 1e11 ? value * 1000 : value;
	}
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? ms : undefined;
}

/** A record id as text (vendors use numbers and strings). */
export function idText(value: unknown): string | undefined {
	if (typeof value === 'string' && value.length > 0) return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

import { readPerson, toIsoDate } from '../core/event/extract';
import { hashKey } from '../core/dedup/hashKey';
import { asText, firstPath, getPath, isRecord } from '../core/json/path';
import type {
	InboundRequest,
	NormalisedEvent,
	RawEvent,
	SourceDefinition,
	SourceSettings,
} from '../core/pipeline/types';

/**
 * talentATS "Export to Webhook" (seed 001; docs/nodes/talentAtsTrigger.md): the candidates selected in a vacancy
 * go out as ONE JSON request per export batch. The seed gives no JSON shape, so the batch is found
 * in the likely places (a top-level array, or `candidates`/`data`/`items`/`results`), one item per
 * candidate. Our own ATS Webhook action sends `{event, batch_id, exported_at, count, candidates}`.
 */
export type TalentAtsDedupBy = 'candidate' | 'batch';

export interface TalentAtsSettings extends SourceSettings {
	/** candidate: a re-export of the same candidate (and vacancy) inside the window is a duplicate. batch: only a resent batch is. */
	dedupBy: TalentAtsDedupBy;
}

export const DEFAULT_SOURCE_EVENT = 'export';
const LIST_KEYS = ['candidates', 'data', 'items', 'results'];
const BATCH_ID_PATHS = [
	'batch_id',
	'batchId',
	'export_id',
	'exportId',
	'id',
	'batch.id',
	'export.id',
];
const EXPORTED_AT_PATHS = [
	'exported_at',
	'exportedAt',
	'created_at',
	'createdAt',
	'timestamp',
	'sent_at',
	'time',
];
const COUNT_PATHS = ['count', 'total', 'size', 'candidate_count'];
const EVENT_PATHS = ['event', 'type', 'event_type', 'action'];
const CANDIDATE_ID_PATHS = ['candidate_id', 'candidateId', 'candidate.id', 'id', 'uuid'];
const VACANCY_ID_PATHS = [
	'vacancy_id',
	'vacancyId',
	'vacancy.id',
	'job_id',
	'jobId',
	'job.id',
	'application.vacancy_id',
	'application.job_id',
];
const VACANCY_TITLE_PATHS = [
	'vacancy_title',
	'vacancyTitle',
	'vacancy.title',
	'vacancy.name',
	'vacancy_name',
	'job_title',
	'job.title',
	'job.name',
];
const APPLICATION_ID_PATHS = ['application_id', 'applicationId', 'application.id'];
const STAGE_PATHS = [
	'stage.name',
	'stage',
	'current_stage.name',
	'current_stage',
	'pipeline_stage.name',
	'pipeline_stage',
	'application.stage.name',
	'application.stage',
	'status',
];
const CANDIDATE_HINTS = [
	'candidate_id',
	'candidateId',
	'first_name',
	'firstName',
	'last_name',
	'email',
	'name',
	'full_name',
];

/** What the envelope around the candidates said; kept per request so each candidate can use it. */
export interface ExportEnvelope {
	batchId: string;
	batchIdFromBody: boolean;
	exportedAt: string | null;
	sourceEvent: string;
	vacancyId?: string;
	vacancyTitle?: string;
}

const envelopes = new WeakMap<InboundRequest, ExportEnvelope>();

/** The candidates array and the object around it (undefined for a top-level array). */
export function locateCandidates(body: unknown): {
	list: unknown[];
	envelope?: Record<string, unknown>;
	path: string;
	warnings: string[];
} {
	if (Array.isArray(body)) return { list: body, path: '(top-level array)', warnings: [] };
	if (!isRecord(body))
		return {
			list: [],
			path: '',
			warnings: ['batch_missing: the body is neither an array nor an object'],
		};
	for (const key of LIST_KEYS) {
		if (Array.isArray(body[key]))
			return { list: body[key] as unknown[], envelope: body, path: key, warnings: [] };
	}
	for (const outer of ['data', 'export', 'batch', 'payload']) {
		const inner = body[outer];
		if (!isRecord(inner)) continue;
		for (const key of LIST_KEYS) {
			if (Array.isArray(inner[key]))
				return {
					list: inner[key] as unknown[],
					envelope: { ...body, ...inner },
					path: `${outer}.${key}`,
					warnings: [],
				};
		}
	}
	if (isRecord(body.candidate)) {
		return {
			list: [body.candidate],
			envelope: body,
			path: 'candidate',
			warnings: [
				'batch_missing: no candidates/data/items/results array; "candidate" was taken as the only candidate',
			],
		};
	}
	// Schema drift must not lose the export: the whole body becomes one item, flagged.
	const looksLikeCandidate = CANDIDATE_HINTS.some((k) => k in body);
	return {
		list: [body],
		path: '(body)',
		warnings: [
			looksLikeCandidate
				? 'batch_missing: no candidates/data/items/results array; the body was taken as one candidate'
				: 'batch_missing: no candidates/data/items/results array and nothing that looks like a candidate; the body was emitted as one item',
		],
	};
}

function candidateObject(element: unknown): unknown {
	return isRecord(element) && isRecord(element.candidate) ? element.candidate : element;
}

export function readCandidateId(element: unknown): string | undefined {
	const found = firstPath(element, CANDIDATE_ID_PATHS);
	return found ? asText(found.value) : undefined;
}

function readVacancyId(element: unknown, envelope?: ExportEnvelope): string | undefined {
	return asText(firstPath(element, VACANCY_ID_PATHS)?.value) ?? envelope?.vacancyId;
}

/** Full name split into first and last when the export gives only `name` / `full_name`. */
function splitName(full: string | undefined): {
	firstName: string | null;
	lastName: string | null;
} {
	if (!full) return { firstName: null, lastName: null };
	const parts = full.trim().split(/\s+/);
	if (parts.length === 1) return { firstName: parts[0], lastName: null };
	return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1] };
}

export const talentAtsSource: SourceDefinition<TalentAtsSettings> = {
	id: 'talentats',
	methods: ['POST'],
	split(body, request, settings) {
		const { list, envelope, path, warnings } = locateCandidates(body);
		const bodyBatchId = asText(firstPath(envelope, BATCH_ID_PATHS)?.value);
		const info: ExportEnvelope = {
			batchId: bodyBatchId ?? `sha256:${hashKey(request.rawBody ?? JSON.stringify(body))}`,
			batchIdFromBody: bodyBatchId !== undefined,
			exportedAt: toIsoDate(firstPath(envelope, EXPORTED_AT_PATHS)?.value),
			sourceEvent: asText(firstPath(envelope, EVENT_PATHS)?.value) ?? DEFAULT_SOURCE_EVENT,
			vacancyId: asText(
				firstPath(envelope, ['vacancy_id', 'vacancyId', 'vacancy.id', 'job_id', 'job.id'])?.value,
			),
			vacancyTitle: asText(firstPath(envelope, VACANCY_TITLE_PATHS)?.value),
		};
		envelopes.set(request, info);
		const declared = Number(firstPath(envelope, COUNT_PATHS)?.value);
		if (Number.isFinite(declared) && declared !== list.length) {
			warnings.push(
				`count_mismatch: the export says ${declared} candidates, ${list.length} arrived in "${path}"`,
			);
		}
		const events: RawEvent[] = list.map((element, index) => {
			const person = candidateObject(element);
			const candidateId = readCandidateId(person) ?? readCandidateId(element);
			const vacancyId = readVacancyId(element, info);
			let eventId: string | undefined;
			if (settings.dedupBy === 'batch') eventId = `batch:${info.batchId}#${index}`;
			else {
				// Without a candidate id: the candidate's content, so the key does not depend on the batch around it.
				const who = candidateId
					? `candidate:${candidateId}`
					: `content:${hashKey(JSON.stringify(element) ?? '')}`;
				eventId = vacancyId ? `${who}@vacancy:${vacancyId}` : who;
			}
			return {
				sourceEvent: info.sourceEvent,
				body: element,
				eventId,
				batch: { id: info.batchId, index, size: list.length },
			};
		});
		return { events, warnings };
	},
	normalise(raw, request): NormalisedEvent {
		const info = envelopes.get(request);
		const warnings: string[] = [];
		const element = raw.body;
		const person = candidateObject(element);
		if (!isRecord(person))
			warnings.push('candidate_not_object: this batch element is not a JSON object');
		const read = readPerson(person);
		const id = readCandidateId(person) ?? readCandidateId(element) ?? null;
		if (id === null)
			warnings.push(
				'candidate_id_missing: no id, candidate_id or candidate.id; dedup uses a hash of the candidate data',
			);
		if (!read.firstName && !read.lastName) {
			const split = splitName(
				asText(firstPath(person, ['name', 'full_name', 'fullName', 'display_name'])?.value),
			);
			read.firstName = split.firstName;
			read.lastName = split.lastName;
		}
		const vacancyId = readVacancyId(element, info) ?? null;
		const vacancyTitle =
			asText(firstPath(element, VACANCY_TITLE_PATHS)?.value) ?? info?.vacancyTitle ?? null;
		const applicationId = asText(firstPath(element, APPLICATION_ID_PATHS)?.value) ?? null;
		const stage = asText(firstPath(element, STAGE_PATHS)?.value) ?? null;
		const result: NormalisedEvent = {
			event: 'candidate.exported',
			occurredAt: info?.exportedAt ?? toIsoDate(getPath(element, 'exported_at')),
			subject: { type: 'candidate', id },
			candidate: { ...read, id },
			warnings,
		};
		if (vacancyId !== null || vacancyTitle !== null)
			result.job = { id: vacancyId, title: vacancyTitle, status: null };
		if (applicationId !== null || stage !== null)
			result.application = { id: applicationId, stage, previousStage: null };
		return result;
	},
};

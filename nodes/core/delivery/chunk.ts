/**
 * One export batch as few requests as the limits allow (seed 001: all selected candidates in ONE
 * request; docs/nodes/atsWebhook.md). Every candidate is serialised once; a request body is
 * the envelope text around the candidates joined by commas, so its size in bytes is known
 * exactly before it is built. A candidate that cannot fit in any request on its own is reported,
 * never dropped silently.
 */
export type BodyFormat =
	/** talentATS style, what our talentATS Trigger reads: `{event, batch_id, ..., candidates: [...]}`. */
	| { kind: 'envelope'; event: string }
	/** The candidates as a plain JSON array. */
	| { kind: 'array' }
	/** `{ "<field>": [...] }`. */
	| { kind: 'field'; field: string };

export interface ChunkLimits {
	maxCandidates: number;
	maxBytes: number;
}

/** What a request says about its place in the export. */
export interface ChunkMeta {
	/** Same for every request of one export. */
	exportId: string;
	/** This request's idempotency key (also `batch_id` in the envelope: one request = one batch for the receiver). */
	key: string;
	chunkIndex: number;
	chunkCount: number;
	/** Candidates in the whole export (all requests). */
	totalCount: number;
	/** ISO time, fixed for the export so that a retried request has byte-identical content. */
	exportedAt: string;
}

/**
 * The body text for one request. Field order: the metadata first, the candidates last, so a
 * receiver reading a stream sees what it is getting before the array.
 */
export function renderBody(
	format: BodyFormat,
	meta: ChunkMeta,
	candidateJson: readonly string[],
): string {
	const list = `[${candidateJson.join(',')}]`;
	if (format.kind === 'array') return list;
	if (format.kind === 'field') return `{${JSON.stringify(format.field)}:${list}}`;
	const head = JSON.stringify({
		event: format.event,
		batch_id: meta.key,
		export_id: meta.exportId,
		exported_at: meta.exportedAt,
		chunk_index: meta.chunkIndex,
		chunk_count: meta.chunkCount,
		total_count: meta.totalCount,
		count: candidateJson.length,
	});
	return `${head.slice(0, -1)},"candidates":${list}}`;
}

/**
 * Bytes of a body holding no candidates, with every number at its widest possible value and
 * the longest key, so that `overhead + candidates + commas` bounds every real body from above.
 */
export function maxOverheadBytes(
	format: BodyFormat,
	exportId: string,
	keyFor: (chunkIndex: number) => string,
	totalCount: number,
	exportedAt: string,
): number {
	const widest = Math.max(1, totalCount);
	const meta: ChunkMeta = {
		exportId,
		key: keyFor(widest),
		chunkIndex: widest,
		chunkCount: widest,
		totalCount,
		exportedAt,
	};
	const body = renderBody(format, meta, []);
	// `count` is rendered from the array length: account for its widest value too.
	const countSlack = format.kind === 'envelope' ? String(widest).length - 1 : 0;
	return Buffer.byteLength(body, 'utf8') + countSlack;
}

export interface PlannedChunk {
	/** Positions in the candidate list, in input order. */
	members: number[];
	/** Upper bound of the body size used when planning (the real body is measured again). */
	plannedBytes: number;
}

export interface ChunkPlan {
	chunks: PlannedChunk[];
	/** Candidates larger than a request may be, with the size the smallest request would have. */
	tooLarge: Array<{ position: number; requestBytes: number }>;
}

/** Greedy, order-preserving packing under both caps. `sizes[i]` is candidate i's JSON in bytes. */
export function planChunks(
	sizes: readonly number[],
	limits: ChunkLimits,
	overheadBytes: number,
): ChunkPlan {
	const maxCandidates = Math.max(1, Math.floor(limits.maxCandidates));
	const chunks: PlannedChunk[] = [];
	const tooLarge: ChunkPlan['tooLarge'] = [];
	let current: PlannedChunk | undefined;
	for (let position = 0; position < sizes.length; position++) {
		const size = sizes[position];
		const alone = overheadBytes + size;
		if (alone > limits.maxBytes) {
			tooLarge.push({ position, requestBytes: alone });
			continue;
		}
		const withIt = current ? current.plannedBytes + 1 + size : alone;
		if (!current || current.members.length >= maxCandidates || withIt > limits.maxBytes) {
			current = { members: [position], plannedBytes: alone };
			chunks.push(current);
		} else {
			current.members.push(position);
			current.plannedBytes = withIt;
		}
	}
	return { chunks, tooLarge };
}

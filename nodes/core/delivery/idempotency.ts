import { createHash } from 'node:crypto';

/**
 * Idempotency keys: every request carries one (`Idempotency-Key` and `webhook-id`), and it is the
 * same on every retry of that request, so a receiver that deduplicates by it (our triggers do)
 * counts a request once however often it arrives (seed 004; CONTRIBUTING.md "Outbound delivery").
 *
 * Where the batch id comes from (the user picks):
 * - `execution` (default): n8n instance id + workflow id + execution id + node name + run index
 *   (the instance id keeps two instances with the same imported workflow apart). Retries inside the
 *   node, and n8n's "Retry On Fail", reuse the keys. A new execution (including n8n's "Retry" of
 *   a failed execution, which starts a new execution id) gets new keys.
 * - `content`: a hash of what is sent (workflow, node, body format and the candidates of the
 *   request), without the export time. Sending the same candidates again, from a re-run or from
 *   the Failed output, reuses the key, so the receiver drops what it already has. Deliberate
 *   re-exports of unchanged candidates are then dropped too, while the receiver remembers them.
 * - a custom batch id (an expression, e.g. the export id of your ATS): keys `${batchId}:${index}`.
 *
 * Keys never contain a full stop (Standard Webhooks forbids it in `webhook-id`).
 */
export type KeySource = 'execution' | 'content';

export interface BatchScope {
	/** n8n's instance id; empty when unknown. */
	instanceId?: string;
	workflowId: string;
	executionId: string;
	nodeName: string;
	runIndex: number;
}

function digest(parts: ReadonlyArray<string | number>, length: number): string {
	const hash = createHash('sha256');
	for (const part of parts) hash.update(`${String(part).length}:${String(part)};`);
	return hash.digest('hex').slice(0, length);
}

export function executionBatchId(scope: BatchScope): string {
	return `x${digest(['execution', scope.instanceId ?? '', scope.workflowId, scope.executionId, scope.nodeName, scope.runIndex], 24)}`;
}

/** Content-derived id for a set of serialised records; `kind` keeps different body formats apart. */
export function contentKey(
	scope: Pick<BatchScope, 'workflowId' | 'nodeName'>,
	kind: string,
	records: readonly string[],
): string {
	const hash = createHash('sha256');
	hash.update(`content;${scope.workflowId};${scope.nodeName};${kind};${records.length};`);
	for (const record of records) hash.update(`${record.length}:${record};`);
	return `c${hash.digest('hex').slice(0, 32)}`;
}

/** A user-given batch id made safe for headers and `webhook-id`: no full stops, no control characters, bounded. */
export function sanitiseBatchId(value: string): string {
	const cleaned = value
		.trim()
		.replace(/[^\x21-\x7e]/g, '_')
		.replace(/[.]/g, '_')
		.slice(0, 120);
	return cleaned;
}

export function chunkKey(batchId: string, index: number): string {
	return `${batchId}:${index}`;
}

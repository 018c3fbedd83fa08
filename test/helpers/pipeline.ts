import { runPipeline } from '../../nodes/core/pipeline/runPipeline';
import type { PipelineResult } from '../../nodes/core/pipeline/types';

/**
 * runPipeline, then what n8n does for an accepted delivery: it stores the execution and answers
 * 2xx, at which point the trigger commits the claimed dedup keys (nodes/shared/webhookAdapter.ts).
 * Tests of a source's dedup use this to model "the first copy was stored, then a retry came".
 */
export function runAndStore(...args: Parameters<typeof runPipeline>): PipelineResult {
	const result = runPipeline(...args);
	result.claims?.commit();
	return result;
}

import type { PipelineResult, Reply } from './types';

export function reject(
	outcome: PipelineResult['outcome'],
	status: number,
	reason: string,
	message: string,
	headers?: Record<string, string>,
): PipelineResult {
	const error = outcome === 'unauthorized' ? 'unauthorized' : outcome;
	return { outcome, events: [], reply: { status, body: { error, reason, message }, headers } };
}

export function answered(outcome: PipelineResult['outcome'], reply: Reply): PipelineResult {
	return { outcome, events: [], reply };
}

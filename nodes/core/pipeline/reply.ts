import type { InboundRequest, PipelineResult, Reply } from './types';

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

/**
 * A source's `handshake` for senders without one of their own: a GET (a browser, a vendor's URL
 * check) gets 200 and starts nothing; anything else goes on through the pipeline.
 */
export function answerGet(sourceId: string): (request: InboundRequest) => Reply | undefined {
	return (request) =>
		request.method.toUpperCase() === 'GET'
			? { status: 200, body: { status: 'ok', source: sourceId } }
			: undefined;
}

import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';
import { apiError, asNodeError } from '../../nodes/shared/apiError';

const node: INode = {
	id: 'n1',
	name: 'Lever Trigger',
	type: 'n8n-nodes-ats-webhooks.leverTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('asNodeError (catch blocks that clean up, then pass the failure on)', () => {
	it('keeps a NodeApiError as it is (its message already says what to do)', () => {
		const original = apiError(node, 'Lever', 'creating the webhooks', {
			response: { status: 401 },
		});
		expect(asNodeError(node, 'Lever', 'something else', original)).toBe(original);
	});

	it('keeps a NodeOperationError as it is', () => {
		const original = new NodeOperationError(node, 'Select at least one Lever event');
		expect(asNodeError(node, 'Lever', 'creating the webhooks', original)).toBe(original);
	});

	it('wraps anything else as a NodeApiError for the vendor and action', () => {
		const wrapped = asNodeError(
			node,
			'SmartRecruiters',
			'deleting a webhook subscription',
			new Error('socket hang up'),
		);
		expect(wrapped).toBeInstanceOf(NodeApiError);
		expect(wrapped.message).toBe(
			'Could not reach SmartRecruiters while deleting a webhook subscription. Check the network and the Base URL in the SmartRecruiters API credential.',
		);
	});

	it('reads the status of a raw HTTP error when it wraps one', () => {
		const wrapped = asNodeError(node, 'Lever', 'deleting a webhook', { response: { status: 503 } });
		expect(wrapped.message).toContain('server error (HTTP 503)');
	});
});

import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { INodeExecutionData } from 'n8n-workflow';
import { AtsWebhook } from '../../nodes/AtsWebhook/AtsWebhook.node';
import { AtsWebhookTrigger } from '../../nodes/AtsWebhookTrigger/AtsWebhookTrigger.node';
import { TalentAtsTrigger } from '../../nodes/TalentAts/TalentAtsTrigger.node';
import { executeContext, type ExecuteOptions } from '../helpers/httpRequestExecuteContext';
import { headerOf, startReceiver, type Receiver } from '../helpers/receiver';
import { deliver as deliverToTrigger } from '../helpers/webhookContext';

/**
 * ATS Webhook "Export Candidates" end to end inside one process: the node's execute() with n8n's
 * real request helper (n8n-core) against a receiver on 127.0.0.1, and what it sends fed to our
 * triggers' webhook(). Contract of the receiving side: seed 001 (talentATS "Export to Webhook":
 * all selected candidates in ONE request) and docs/nodes/talentAtsTrigger.md; signing: Standard Webhooks spec.
 */
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const signing = { atsWebhookSigningSecretApi: { secret, previousSecret: '' } };
const node = new AtsWebhook();

function people(n: number, extra: (i: number) => Record<string, unknown> = () => ({})) {
	return Array.from({ length: n }, (_, i) => ({
		id: `c${i}`,
		first_name: 'Ada',
		last_name: `Lovelace${i}`,
		email: `ada${i}@example.com`,
		...extra(i),
	}));
}

async function run(
	options: Omit<ExecuteOptions, 'parameters'> & { parameters: Record<string, unknown> },
) {
	const { context, httpRequest } = executeContext({
		...options,
		parameters: { operation: 'exportCandidates', ...options.parameters },
	});
	const [delivered, failed] = (await node.execute.call(context)) as INodeExecutionData[][];
	return { delivered, failed, httpRequest };
}

const receivers: Receiver[] = [];
afterEach(async () => {
	await Promise.all(receivers.splice(0).map((r) => r.close()));
});
async function receiver(...args: Parameters<typeof startReceiver>) {
	const r = await startReceiver(...args);
	receivers.push(r);
	return r;
}

describe('ATS Webhook: Export Candidates', () => {
	it('10,000 items with a cap of 1,000 give 10 requests; every candidate arrives once, in order', async () => {
		const rx = await receiver();
		const input = people(10_000);
		const started = Date.now();
		const { delivered, failed } = await run({
			items: input,
			parameters: { url: rx.url(), maxCandidates: 1000 },
		});
		const ms = Date.now() - started;
		expect(failed).toEqual([]);
		expect(rx.requests).toHaveLength(10);
		expect(delivered).toHaveLength(10);
		const arrived = rx.requests.flatMap((r) => JSON.parse(r.rawBody.toString('utf8')).candidates);
		expect(arrived).toEqual(input);
		rx.requests.forEach((r, i) => {
			const body = JSON.parse(r.rawBody.toString('utf8'));
			expect(body).toMatchObject({
				event: 'candidate.exported',
				chunk_index: i,
				chunk_count: 10,
				total_count: 10_000,
				count: 1000,
			});
			expect(headerOf(r, 'content-type')).toBe('application/json');
			expect(headerOf(r, 'idempotency-key')).toBe(body.batch_id);
			expect(headerOf(r, 'webhook-id')).toBe(body.batch_id);
			expect(Number(headerOf(r, 'content-length'))).toBe(r.rawBody.length);
		});
		expect(delivered.map((d) => d.json.chunkIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(delivered[0].json).toMatchObject({
			status: 200,
			attempts: 1,
			count: 1000,
			chunkCount: 10,
			url: rx.url(),
			response: { received: true },
		});
		expect(delivered.flatMap((d) => d.json.candidateIds as string[])).toEqual(
			input.map((c) => c.id),
		);
		expect(
			delivered.flatMap((d) => (d.pairedItem as Array<{ item: number }>).map((p) => p.item)),
		).toEqual(input.map((_, i) => i));
		// Measured on this machine; printed for the report, not asserted (timings vary).
		process.stdout.write(
			`\n[measure] export 10,000 candidates in 10 requests over loopback: ${ms} ms, ${rx.requests.reduce((s, r) => s + r.rawBody.length, 0)} bytes\n`,
		);
	});

	it('a byte cap splits a batch of large candidates into requests that each stay under it', async () => {
		const rx = await receiver();
		const input = people(120, (i) => ({
			resume_text: 'Experienced engineer. '.repeat(200 + ((i * 37) % 900)),
		}));
		const { delivered, failed } = await run({
			items: input,
			parameters: { url: rx.url(), maxCandidates: 1000, maxRequestKiB: 256 },
		});
		expect(failed).toEqual([]);
		expect(rx.requests.length).toBeGreaterThan(5);
		for (const r of rx.requests) expect(r.rawBody.length).toBeLessThanOrEqual(256 * 1024);
		expect(delivered.map((d) => d.json.bytes)).toEqual(rx.requests.map((r) => r.rawBody.length));
		expect(rx.requests.flatMap((r) => JSON.parse(r.rawBody.toString('utf8')).candidates)).toEqual(
			input,
		);
	});

	it('a single candidate above the byte cap goes to Failed with a reason; the rest are sent', async () => {
		const rx = await receiver();
		const input = people(4);
		(input[1] as Record<string, unknown>).cv = 'x'.repeat(10_000);
		const { delivered, failed } = await run({
			items: input,
			continueOnFail: true,
			parameters: { url: rx.url(), maxRequestKiB: 4 },
		});
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toMatchObject({
			id: 'c1',
			deliveryError: { reason: 'candidate_too_large', attempts: 0 },
		});
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(delivered.flatMap((d) => d.json.candidateIds as string[])).toEqual(['c0', 'c2', 'c3']);
	});

	it('signed with Standard Webhooks: verifies with the standardwebhooks package and our talentATS Trigger takes the 250 candidates as one delivery', async () => {
		const rx = await receiver();
		const input = people(250);
		const { delivered } = await run({
			items: input,
			credentials: signing,
			parameters: { url: rx.url(), authentication: 'standardWebhooks' },
		});
		expect(delivered).toHaveLength(1);
		expect(rx.requests).toHaveLength(1);
		const [request] = rx.requests;
		const headers = request.headers as Record<string, string>;
		expect(new Webhook(secret).verify(request.rawBody.toString('utf8'), headers)).toMatchObject({
			count: 250,
		});

		const staticData = {};
		const trigger = {
			headers,
			body: request.rawBody,
			parameters: { authentication: 'standardWebhooks' },
			credentials: signing,
			staticData,
			workflowId: 'wf-receive',
		};
		const received = await deliverToTrigger(new TalentAtsTrigger(), trigger);
		expect(received.response.status).toBe(200);
		expect(received.items).toHaveLength(250);
		expect(received.items[0]).toMatchObject({
			source: 'talentats',
			event: 'candidate.exported',
			candidate: { id: 'c0', email: 'ada0@example.com' },
			delivery: { verified: true, scheme: 'standardWebhooks' },
		});
		// The same request again (a retry whose answer the sender never saw) is answered and starts nothing.
		const again = await deliverToTrigger(new TalentAtsTrigger(), trigger);
		expect(again.response.status).toBe(200);
		expect(again.response.body).toMatchObject({ status: 'duplicate' });
		expect(again.items).toHaveLength(0);
	});

	it('signed with an HMAC header: the generic trigger with the same settings verifies it; a wrong secret is refused', async () => {
		const rx = await receiver();
		const hmac = {
			authentication: 'hmac',
			hmacHeader: 'x-hub-signature-256',
			hmacAlgorithm: 'sha256',
			hmacEncoding: 'hex',
			hmacPrefix: 'sha256=',
			hmacSignedContent: 'timestampDotBody',
			hmacTimestampHeader: 'x-timestamp',
		};
		const credentials = {
			atsWebhookSigningSecretApi: { secret: 'plain text secret', previousSecret: '' },
		};
		await run({
			items: people(3),
			credentials,
			parameters: { url: rx.url(), bodyFormat: 'array', ...hmac },
		});
		const [request] = rx.requests;
		expect(headerOf(request, 'x-hub-signature-256')).toMatch(/^sha256=[0-9a-f]{64}$/);
		const accepted = await deliverToTrigger(new AtsWebhookTrigger(), {
			headers: request.headers as Record<string, string>,
			body: request.rawBody,
			parameters: hmac,
			credentials,
		});
		expect(accepted.response.status).toBe(200);
		expect(accepted.items).toHaveLength(3);
		const refused = await deliverToTrigger(new AtsWebhookTrigger(), {
			headers: request.headers as Record<string, string>,
			body: request.rawBody,
			parameters: hmac,
			credentials: { atsWebhookSigningSecretApi: { secret: 'another secret' } },
		});
		expect(refused.response.status).toBe(401);
	});

	it('does not follow a redirect: the target is never called, the items are in Failed', async () => {
		const rx = await receiver((request, res) => {
			if (request.path === '/moved') {
				res.writeHead(302, { location: '/target' });
				res.end();
				return;
			}
			res.writeHead(200);
			res.end('{}');
		});
		const { delivered, failed } = await run({
			items: people(3),
			continueOnFail: true,
			parameters: { url: rx.url('/moved') },
		});
		expect(delivered).toEqual([]);
		expect(rx.requests.map((r) => r.path)).toEqual(['/moved']);
		expect(failed).toHaveLength(3);
		expect(failed[0].json.deliveryError).toMatchObject({
			reason: 'redirect_not_followed',
			status: 302,
			attempts: 1,
		});
	});

	it('refuses 169.254.169.254 before any connection', async () => {
		const { delivered, failed, httpRequest } = await run({
			items: people(2),
			continueOnFail: true,
			parameters: { url: 'http://169.254.169.254/latest/meta-data/' },
		});
		expect(httpRequest).not.toHaveBeenCalled();
		expect(delivered).toEqual([]);
		expect(failed.map((f) => (f.json.deliveryError as { reason: string }).reason)).toEqual([
			'blocked_address',
			'blocked_address',
		]);
		await expect(
			run({ items: people(2), parameters: { url: 'http://[::ffff:169.254.169.254]/' } }),
		).rejects.toThrow(/Refused before connecting/);
	});

	it('refuses loopback only when Block Private Networks is on', async () => {
		const rx = await receiver();
		const blocked = await run({
			items: people(1),
			continueOnFail: true,
			parameters: { url: rx.url(), options: { blockPrivateNetworks: true } },
		});
		expect(blocked.failed[0].json.deliveryError).toMatchObject({ reason: 'blocked_address' });
		expect(rx.requests).toHaveLength(0);
	});

	it('validation: with Continue On Fail the invalid items go to Failed and the rest are sent; without it nothing is sent', async () => {
		const rx = await receiver();
		const input: Array<Record<string, unknown>> = people(5);
		delete input[1].email;
		input[3].email = 'no-at-sign';
		const parameters = { url: rx.url(), requiredFields: 'id, email', emailFields: 'email' };
		const { delivered, failed } = await run({ items: input, continueOnFail: true, parameters });
		expect(delivered.flatMap((d) => d.json.candidateIds as string[])).toEqual(['c0', 'c2', 'c4']);
		expect(
			failed.map((f) => [f.json.id, (f.json.deliveryError as { reason: string }).reason]),
		).toEqual([
			['c1', 'missing_fields'],
			['c3', 'invalid_email'],
		]);
		expect(rx.requests).toHaveLength(1);
		await expect(run({ items: input, parameters })).rejects.toThrow(
			/2 of 5 items cannot be sent: item 1: Missing required field: email/,
		);
		expect(rx.requests).toHaveLength(1);
	});

	it('without Continue On Fail a failed request makes the node error and say what and why', async () => {
		const rx = await receiver((_request, res) => {
			res.writeHead(410);
			res.end();
		});
		const error = await run({ items: people(3), parameters: { url: rx.url() } }).catch(
			(e: Error & { description?: string }) => e,
		);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toMatch(
			/3 of 3 items were not delivered to http:\/\/127\.0\.0\.1:\d+\/hook: 1 of 1 requests failed\. request 1 of 1 \(3 items, key x[0-9a-f]+:0\): HTTP 410 Gone/,
		);
		expect((error as { description?: string }).description).toMatch(/0 requests were delivered/);
		expect(rx.requests).toHaveLength(1);
	});

	it('selected and mapped fields; a Failed item fed back in is sent without its deliveryError', async () => {
		const rx = await receiver();
		const input = people(2, () => ({
			salary: 99_000,
			profile: { phone: '+1 555', city: 'Prague' },
		}));
		await run({
			items: input,
			parameters: {
				url: rx.url(),
				bodyFormat: 'field',
				fieldName: 'rows',
				candidateFields: 'selected',
				fields: 'id, profile.city',
			},
		});
		expect(JSON.parse(rx.requests[0].rawBody.toString())).toEqual({
			rows: [
				{ id: 'c0', profile: { city: 'Prague' } },
				{ id: 'c1', profile: { city: 'Prague' } },
			],
		});

		await run({
			items: input,
			parameters: {
				url: rx.url(),
				bodyFormat: 'array',
				candidateFields: 'mapped',
				mapping: {
					field: (i: number) => [
						{ name: 'candidate_id', value: input[i].id },
						{ name: 'mail', value: input[i].email.toUpperCase() },
					],
				},
			},
		});
		expect(JSON.parse(rx.requests[1].rawBody.toString())).toEqual([
			{ candidate_id: 'c0', mail: 'ADA0@EXAMPLE.COM' },
			{ candidate_id: 'c1', mail: 'ADA1@EXAMPLE.COM' },
		]);

		await run({
			items: [{ id: 'c9', deliveryError: { reason: 'gone' } }],
			parameters: { url: rx.url(), bodyFormat: 'array' },
		});
		expect(JSON.parse(rx.requests[2].rawBody.toString())).toEqual([{ id: 'c9' }]);
	});

	it('keeps secrets and the URL query out of every output and error', async () => {
		const rx = await receiver((_request, res) => {
			res.writeHead(503);
			res.end('down');
		});
		const url = `${rx.url()}?token=QUERY-TOKEN-123`;
		const options = { maxAttempts: 2, initialDelayMs: 1 };
		const { delivered, failed } = await run({
			items: people(2),
			continueOnFail: true,
			credentials: signing,
			parameters: { url, authentication: 'standardWebhooks', options },
		});
		const text = JSON.stringify([delivered, failed]);
		expect(text).not.toContain(secret);
		expect(text).not.toContain(secret.slice(6));
		expect(text).not.toContain('QUERY-TOKEN-123');
		expect(failed[0].json.deliveryError).toMatchObject({
			reason: 'http_503',
			attempts: 2,
			status: 503,
		});
		const error = await run({
			items: people(2),
			credentials: signing,
			parameters: { url, authentication: 'standardWebhooks', options },
		}).catch((e: Error) => e);
		expect(
			`${(error as Error).message} ${(error as { description?: string }).description}`,
		).not.toMatch(/QUERY-TOKEN-123|whsec_/);
	});

	it('a bad Standard Webhooks secret is a setup error: nothing is sent', async () => {
		const rx = await receiver();
		const credentials = { atsWebhookSigningSecretApi: { secret: 'not a base64 secret!' } };
		await expect(
			run({
				items: people(1),
				credentials,
				parameters: { url: rx.url(), authentication: 'standardWebhooks' },
			}),
		).rejects.toThrow(/Authentication is not usable/);
		const soft = await run({
			items: people(1),
			continueOnFail: true,
			credentials,
			parameters: { url: rx.url(), authentication: 'standardWebhooks' },
		});
		expect(soft.failed[0].json.deliveryError).toMatchObject({ reason: 'bad_secret' });
		expect(rx.requests).toHaveLength(0);
	});

	it('no input items: nothing is sent', async () => {
		const rx = await receiver();
		expect(await run({ items: [], parameters: { url: rx.url() } })).toMatchObject({
			delivered: [],
			failed: [],
		});
		expect(rx.requests).toHaveLength(0);
	});
});

import { runAndStore } from '../helpers/pipeline';
import fs from 'node:fs';
import path from 'node:path';
import type { InboundRequest, SourceSettings } from '../../nodes/core/pipeline/types';
import {
	parseSignatureHeader,
	signSmartRecruiters,
	smartRecruitersSignatureHeader,
	verifySmartRecruiters,
} from '../../nodes/SmartRecruiters/smartRecruitersSignature';
import {
	handshakeReply,
	linkUrl,
	normaliseSmartRecruiters,
	smartRecruitersSource,
} from '../../nodes/SmartRecruiters/smartRecruitersSource';
import {
	mapSmartRecruitersEvent,
	SMARTRECRUITERS_EVENTS,
} from '../../nodes/SmartRecruiters/smartRecruitersEvents';
import {
	isSrSettled,
	planSmartRecruiters,
	readRemoteSubscription,
	readSecretKey,
	readSrStore,
	smartRecruitersBaseUrl,
	type RemoteSubscription,
	type StoredSubscription,
} from '../../nodes/SmartRecruiters/smartRecruitersApi';

/**
 * SmartRecruiters (docs/nodes/smartRecruitersTrigger.md; developers.smartrecruiters.com reference
 * subscriptionsgeneratesecretkey-1 for the signature, subscriptionsactivate-1 for the handshake,
 * "Receiving webhook notifications" for 202 and the headers).
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'smartrecruiters');
interface Delivery {
	headers: Record<string, string>;
	body: string;
	secretKey?: string;
}
const fixture = (name: string) =>
	JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Delivery;

const VENDOR = fixture('application.created');
const VENDOR_TS = 1574080897;
const KEY = 'sr-test-secret-key';

const verify = (
	headers: Record<string, string | undefined>,
	body: string,
	secrets = [VENDOR.secretKey!],
	nowSeconds = VENDOR_TS,
	toleranceSeconds = 300,
) => verifySmartRecruiters(headers, Buffer.from(body), { secrets, toleranceSeconds, nowSeconds });

/** A fixture re-signed with KEY at `timestamp`, as SmartRecruiters signs. */
function signed(
	name: string,
	timestamp: number,
	secrets = [KEY],
	headerOverrides: Record<string, string> = {},
): Delivery {
	const d = fixture(name);
	const headers: Record<string, string> = {
		...d.headers,
		'smartrecruiters-timestamp': String(timestamp),
		...headerOverrides,
	};
	const signature = smartRecruitersSignatureHeader(secrets, {
		timestamp: String(timestamp),
		body: d.body,
		eventId: headers['event-id'],
		eventName: headers['event-name'],
		eventVersion: headers['event-version'],
		link: headers.link,
	});
	return { ...d, headers: { ...headers, 'smartrecruiters-signature': signature } };
}

describe('SmartRecruiters signature', () => {
	it("verifies the vendor's own published example (key HeBVky2bccvvkcXPimH8c -> v1=2e9291f1…)", () => {
		expect(
			signSmartRecruiters('HeBVky2bccvvkcXPimH8c', {
				timestamp: '1574080897',
				body: '{"job_id":"jid","candidate_id":"cid"}',
				eventId: '123',
				eventName: 'application.created',
				eventVersion: 'v201910',
				link: '<http://smartrecruiters.com/endpoint>; rel=self',
			}),
		).toBe('2e9291f10d44ca10204a4cd81b05d73b6a316b2b605d4e2e0e0b37b40198ce1f');
		expect(verify(VENDOR.headers, VENDOR.body)).toEqual({ ok: true });
	});

	it('is byte-exact: the rendered page text (a space after the comma, link without <>) does not verify', () => {
		expect(verify(VENDOR.headers, '{"job_id":"jid","candidate_id": "cid"}')).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
		expect(
			verify(
				{ ...VENDOR.headers, link: 'http://smartrecruiters.com/endpoint; rel=self' },
				VENDOR.body,
			),
		).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('refuses a tampered body and a tampered signed header', () => {
		expect(verify(VENDOR.headers, '{"job_id":"jid","candidate_id":"other"}')).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
		for (const name of ['event-id', 'event-name', 'event-version', 'link']) {
			expect(
				verify({ ...VENDOR.headers, [name]: `${VENDOR.headers[name]}x` }, VENDOR.body),
			).toMatchObject({ ok: false, reason: 'signature_mismatch' });
		}
	});

	// Wrong secret, rotation, no secret, missing and repeated header: test/contract/schemes.test.ts.
	it('refuses a header without a v1 signature', () => {
		expect(
			verify({ ...VENDOR.headers, 'smartrecruiters-signature': 'v2=abcdef' }, VENDOR.body),
		).toMatchObject({ ok: false, reason: 'no_supported_signature' });
	});

	it('accepts several ;-separated signatures when one matches (other keys, future schemes)', () => {
		const header = `v2=ffff;v1=${'0'.repeat(64)}; ${VENDOR.headers['smartrecruiters-signature']}`;
		expect(verify({ ...VENDOR.headers, 'smartrecruiters-signature': header }, VENDOR.body)).toEqual(
			{ ok: true },
		);
		expect(parseSignatureHeader('v1=AA;x;v1=;V1=bb; v2=cc')).toEqual(['aa', 'bb']);
	});

	it('refuses stale and future timestamps (seconds) outside the window, both ways; 0 turns it off', () => {
		expect(verify(VENDOR.headers, VENDOR.body, [VENDOR.secretKey!], VENDOR_TS + 301)).toMatchObject(
			{ ok: false, reason: 'timestamp_too_old' },
		);
		expect(verify(VENDOR.headers, VENDOR.body, [VENDOR.secretKey!], VENDOR_TS - 301)).toMatchObject(
			{ ok: false, reason: 'timestamp_in_future' },
		);
		expect(
			verify(VENDOR.headers, VENDOR.body, [VENDOR.secretKey!], VENDOR_TS + 10 ** 8, 0),
		).toEqual({ ok: true });
		const { 'smartrecruiters-timestamp': _t, ...noTs } = VENDOR.headers;
		expect(verify(noTs, VENDOR.body)).toMatchObject({ ok: false, reason: 'missing_timestamp' });
		expect(
			verify({ ...VENDOR.headers, 'smartrecruiters-timestamp': 'now' }, VENDOR.body),
		).toMatchObject({ ok: false, reason: 'bad_timestamp' });
	});

	it('signs a missing signed header as an empty string, as documented', () => {
		const d = signed('job.created', VENDOR_TS, [KEY]);
		const { link: _l, ...noLink } = d.headers;
		const header = smartRecruitersSignatureHeader([KEY], {
			timestamp: String(VENDOR_TS),
			body: d.body,
			eventId: d.headers['event-id'],
			eventName: 'job.created',
			eventVersion: 'v201910',
			link: '',
		});
		expect(verify({ ...noLink, 'smartrecruiters-signature': header }, d.body, [KEY])).toEqual({
			ok: true,
		});
	});
});

describe('SmartRecruiters activation handshake', () => {
	const req = (headers: Record<string, string | string[]>): InboundRequest => ({
		method: 'POST',
		headers,
		rawBody: Buffer.alloc(0),
		query: {},
		now: 0,
	});

	it('echoes X-Hook-Secret with 200 (the documented example value)', () => {
		const h = fixture('handshake');
		expect(handshakeReply(req({ 'x-hook-secret': h.headers['X-Hook-Secret'] }))).toEqual({
			status: 200,
			body: { status: 'ok', reason: 'handshake' },
			headers: { 'X-Hook-Secret': '4jn8fs9011jj8' },
		});
	});

	it('is not a handshake without the header; a value that cannot go back into a header gets 400', () => {
		expect(handshakeReply(req({}))).toBeUndefined();
		expect(handshakeReply(req({ 'x-hook-secret': 'a b' }))?.status).toBe(400);
		expect(handshakeReply(req({ 'x-hook-secret': '' }))?.status).toBe(400);
		expect(handshakeReply(req({ 'x-hook-secret': ['a', 'b'] }))?.status).toBe(400);
	});
});

function settings(overrides: Partial<SourceSettings> = {}): SourceSettings {
	return {
		auth: { scheme: 'vendor', secrets: [KEY], toleranceSeconds: 300 },
		events: [],
		dedup: { enabled: true, window: 100 },
		privacy: false,
		maxBodyBytes: 1024 * 1024,
		responseCode: 0,
		batchAsOneItem: false,
		emitTestEvents: false,
		...overrides,
	};
}

let scope = 0;
function run(
	d: Delivery,
	nowSeconds: number,
	s = settings(),
	state = { scope: `sr-unit-${scope++}`, staticData: {} },
) {
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(d.headers)) headers[k.toLowerCase()] = v;
	return runAndStore(
		smartRecruitersSource,
		{ method: 'POST', headers, rawBody: Buffer.from(d.body), query: {}, now: nowSeconds * 1000 },
		s,
		state,
	);
}

describe('SmartRecruiters through the pipeline', () => {
	it("accepts the vendor's example with 202 and emits application.created", () => {
		const result = run(
			VENDOR,
			VENDOR_TS,
			settings({ auth: { scheme: 'vendor', secrets: [VENDOR.secretKey!], toleranceSeconds: 300 } }),
		);
		expect(result.outcome).toBe('accepted');
		expect(result.reply.status).toBe(202);
		expect(result.events).toEqual([
			expect.objectContaining({
				id: '123',
				source: 'smartrecruiters',
				event: 'application.created',
				sourceEvent: 'application.created',
				occurredAt: new Date(VENDOR_TS * 1000).toISOString(),
				subject: { type: 'application', id: 'jid:cid', url: 'http://smartrecruiters.com/endpoint' },
				candidate: { id: 'cid', firstName: null, lastName: null, email: null, phone: null },
				job: { id: 'jid', title: null, status: null },
				application: { id: 'jid:cid', stage: null, previousStage: null },
				delivery: { id: '123', verified: true, scheme: 'vendor', dedupKey: expect.any(String) },
				payload: { job_id: 'jid', candidate_id: 'cid' },
			}),
		]);
	});

	it('answers the handshake before authentication, without a body or signature', () => {
		const result = run(
			{ headers: { 'X-Hook-Secret': '4jn8fs9011jj8' }, body: '' },
			VENDOR_TS,
			settings({ auth: { scheme: 'vendor', secrets: [], toleranceSeconds: 300 } }),
		);
		expect(result).toMatchObject({
			outcome: 'handshake',
			events: [],
			reply: { status: 200, headers: { 'X-Hook-Secret': '4jn8fs9011jj8' } },
		});
	});

	it('deduplicates on event-id (also when a retry carries a new timestamp and signature)', () => {
		const state = { scope: 'sr-dedup', staticData: {} };
		expect(run(signed('job.created', VENDOR_TS), VENDOR_TS, settings(), state).outcome).toBe(
			'accepted',
		);
		expect(
			run(signed('job.created', VENDOR_TS + 60), VENDOR_TS + 60, settings(), state).outcome,
		).toBe('duplicate');
		const other = signed('job.created', VENDOR_TS + 61, [KEY], { 'event-id': 'another-event' });
		expect(run(other, VENDOR_TS + 61, settings(), state).outcome).toBe('accepted');
	});

	it('refuses a bad signature with 401 and a reason', () => {
		const d = signed('job.created', VENDOR_TS, ['wrong-key']);
		expect(run(d, VENDOR_TS).reply).toMatchObject({
			status: 401,
			body: { error: 'unauthorized', reason: 'signature_mismatch' },
		});
	});
});

describe('SmartRecruiters event mapping', () => {
	it('maps the application status change to application.stage_changed (ids only in the documented body)', () => {
		const d = fixture('application.status.updated');
		const request = {
			method: 'POST',
			headers: Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k.toLowerCase(), v])),
			rawBody: Buffer.from(d.body),
			query: {},
			now: 0,
		};
		const norm = normaliseSmartRecruiters(
			{ sourceEvent: d.headers['event-name'], body: JSON.parse(d.body) },
			request,
		);
		expect(norm).toMatchObject({
			event: 'application.stage_changed',
			application: { id: 'jid:cid', stage: null, previousStage: null },
			warnings: [],
		});
		const withStatus = normaliseSmartRecruiters(
			{
				sourceEvent: 'application.status.updated',
				body: { job_id: 'j', candidate_id: 'c', status: { new: 'INTERVIEW', old: 'IN_REVIEW' } },
			},
			request,
		);
		expect(withStatus.application).toEqual({
			id: 'j:c',
			stage: 'INTERVIEW',
			previousStage: 'IN_REVIEW',
		});
	});

	it('maps the documented thin body {"id"} of a job event', () => {
		const d = fixture('job.created');
		const request = {
			method: 'POST',
			headers: Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k.toLowerCase(), v])),
			rawBody: Buffer.from(d.body),
			query: {},
			now: 0,
		};
		const norm = normaliseSmartRecruiters(
			{ sourceEvent: 'job.created', body: JSON.parse(d.body) },
			request,
		);
		expect(norm).toMatchObject({
			event: 'job.created',
			subject: {
				type: 'job',
				id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
				url: 'https://api.smartrecruiters.com/jobs/3fa85f64-5717-4562-b3fc-2c963f66afa6',
			},
			job: { id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' },
			warnings: [],
		});
	});

	it('maps every listed event, and names outside the list by their first word, with a warning', () => {
		for (const e of SMARTRECRUITERS_EVENTS)
			expect(mapSmartRecruitersEvent(e.value)).toEqual({ event: e.canonical, known: true });
		expect(mapSmartRecruitersEvent('job.approval.created')).toEqual({
			event: 'job.updated',
			known: false,
		});
		expect(mapSmartRecruitersEvent('offer.approval.approved')).toEqual({
			event: 'offer.approved',
			known: false,
		});
		expect(mapSmartRecruitersEvent('candidate.merged')).toEqual({
			event: 'candidate.merged',
			known: false,
		});
		expect(mapSmartRecruitersEvent('report.ready')).toEqual({ event: 'unknown', known: false });
		const request = {
			method: 'POST',
			headers: { 'event-version': 'v1' },
			rawBody: undefined,
			query: {},
			now: 0,
		};
		const norm = normaliseSmartRecruiters(
			{ sourceEvent: 'job.approval.created', body: { id: 'j1' } },
			request,
		);
		expect(norm).toMatchObject({ event: 'job.updated', subject: { type: 'job', id: 'j1' } });
		expect(norm.warnings?.[0]).toMatch(/event_unknown/);
	});

	it('keeps an event whose body lost its ids, with warnings', () => {
		const request = { method: 'POST', headers: {}, rawBody: undefined, query: {}, now: 0 };
		const norm = normaliseSmartRecruiters(
			{ sourceEvent: 'candidate.updated', body: { something: 'else' } },
			request,
		);
		expect(norm.event).toBe('candidate.updated');
		expect(norm.subject.id).toBeNull();
		expect(norm.warnings?.join(' ')).toMatch(/subject_id_missing.*event_version_missing/);
	});

	it('reads the URL from a Link header', () => {
		expect(linkUrl('<https://api.smartrecruiters.com/jobs/1>; rel=self')).toBe(
			'https://api.smartrecruiters.com/jobs/1',
		);
		expect(linkUrl('https://api.smartrecruiters.com/jobs/1; rel=self')).toBe(
			'https://api.smartrecruiters.com/jobs/1',
		);
		expect(linkUrl('; rel=self')).toBeUndefined();
		expect(linkUrl(undefined)).toBeUndefined();
	});
});

describe('SmartRecruiters subscription planning (pure)', () => {
	const URL_A = 'https://n8n.example.com/webhook/s/webhook';
	const stored = (
		id: string,
		events: string[],
		extra: Partial<StoredSubscription> = {},
	): StoredSubscription => ({ id, url: URL_A, events, secretKeys: [`k-${id}`], ...extra });
	const remote = (...subs: RemoteSubscription[]) => new Map(subs.map((s) => [s.id, s]));

	it('is settled when the stored subscription exists, is active and matches', () => {
		const plan = planSmartRecruiters(
			{ url: URL_A, events: ['job.created', 'job.updated'] },
			{ subscriptions: [stored('1', ['job.created', 'job.updated'])] },
			remote({
				id: '1',
				exists: true,
				status: 'active',
				url: URL_A,
				events: ['job.updated', 'job.created'],
			}),
		);
		expect(isSrSettled(plan)).toBe(true);
	});

	it('re-creates one deleted at SmartRecruiters, re-activates an inactive one', () => {
		const gone = planSmartRecruiters(
			{ url: URL_A, events: ['job.created'] },
			{ subscriptions: [stored('1', ['job.created'])] },
			remote({ id: '1', exists: false }),
		);
		expect(gone).toMatchObject({ keep: [], remove: [], create: ['job.created'] });
		const inactive = planSmartRecruiters(
			{ url: URL_A, events: ['job.created'] },
			{ subscriptions: [stored('1', ['job.created'])] },
			remote({ id: '1', exists: true, status: 'inactive' }),
		);
		expect(inactive.reactivate.map((s) => s.id)).toEqual(['1']);
		expect(inactive.create).toEqual([]);
	});

	it('replaces a subscription whose events or URL changed, and removes leftovers at our URL', () => {
		const plan = planSmartRecruiters(
			{ url: URL_A, events: ['job.created'] },
			{ subscriptions: [stored('1', ['job.created', 'job.updated'])] },
			remote({ id: '1', exists: true, status: 'active' }),
			[
				{ id: '7', exists: true, url: URL_A },
				{ id: '8', exists: true, url: 'https://other' },
			],
		);
		expect(plan.remove.map((s) => s.id)).toEqual(['1']);
		expect(plan.orphans.map((s) => s.id)).toEqual(['7']);
		expect(plan.create).toEqual(['job.created']);
	});

	it('reads subscriptions as documented (events as {name, version})', () => {
		const doc = JSON.parse(
			fs.readFileSync(path.join(FIXTURES, 'api_subscription_created.json'), 'utf8'),
		).response;
		expect(readRemoteSubscription(doc)).toEqual({
			id: 'u83it9o93y75j645',
			exists: true,
			status: 'inactive',
			url: 'https://server.com/send/callback/here',
			events: ['job.created'],
		});
	});

	it('reads the generated key under any of the plausible names (the answer shape is UNCONFIRMED)', () => {
		expect(readSecretKey({ secretKey: 'a' })).toBe('a');
		expect(readSecretKey({ secret: 'b' })).toBe('b');
		expect(readSecretKey({ data: { secretKey: 'c' } })).toBe('c');
		expect(readSecretKey('d')).toBe('d');
		expect(readSecretKey({})).toBeUndefined();
	});

	it('builds the webhooks API URL from the credential', () => {
		expect(smartRecruitersBaseUrl({})).toBe('https://api.smartrecruiters.com/webhooks-api/v201907');
		expect(smartRecruitersBaseUrl({ environment: 'custom', baseUrl: 'http://127.0.0.1:9/' })).toBe(
			'http://127.0.0.1:9/webhooks-api/v201907',
		);
		expect(
			readSrStore({
				smartRecruitersSubscriptions: {
					subscriptions: [{ id: 'x', events: ['a', 3], secretKeys: 'no' }],
				},
			}),
		).toEqual({
			subscriptions: [{ id: 'x', url: '', events: ['a', '3'], secretKeys: [] }],
		});
	});
});

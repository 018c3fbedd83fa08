import { fetchFailure, fetchResources, sameOrigin } from '../../nodes/Viasto/viastoFetch';
import {
	idFromResourceUrl,
	resourceUrls,
	viastoEventFilter,
	viastoSource,
	type ViastoSettings,
} from '../../nodes/Viasto/viastoSource';
import { baseSettings, fixture, fixtureText, runSource } from '../helpers/seedFixtures';

/**
 * viasto interview suite, seed 002 (https://viasto.eu/webhooks/index.html): POST JSON with
 * User-Agent "interview suite webhook", body {endpoint, time, event, data}; data.action created|modified,
 * the other data fields are resource URLs.
 */
const UA = { 'user-agent': 'interview suite webhook' };
const settings = (overrides: Partial<ViastoSettings> = {}): ViastoSettings => ({
	...baseSettings({ auth: { scheme: 'vendor', secrets: [], toleranceSeconds: 300 } }),
	clientAuth: { scheme: 'none' },
	requireUserAgent: false,
	...overrides,
});
const B = 'https://interview-suite.com/api/v3/companies/1';

describe('viasto fixtures: one canonical event each', () => {
	it.each([
		[
			'project_changed.seed-example.json',
			'project.updated',
			'project',
			'17',
			`${B}/projects/17/`,
			undefined,
		],
		[
			'project_changed.created.json',
			'project.created',
			'project',
			'17',
			`${B}/projects/17/`,
			undefined,
		],
		[
			'candidate_changed.created.json',
			'candidate.created',
			'candidate',
			'521',
			`${B}/projects/17/candidates/521/`,
			'521',
		],
		[
			'answervideo_changed.modified.json',
			'video.updated',
			'video',
			'88',
			`${B}/projects/17/candidates/521/answervideos/88/`,
			'521',
		],
		[
			'rating_changed.created.json',
			'rating.created',
			'rating',
			'9',
			`${B}/projects/17/candidates/521/ratings/9/`,
			'521',
		],
		[
			'note_changed.modified.json',
			'note.updated',
			'note',
			'12',
			`${B}/projects/17/candidates/521/notes/12/`,
			'521',
		],
	])('%s -> %s', (file, event, type, id, url, candidateId) => {
		const body = fixture<Record<string, any>>('viasto', file);
		const out = runSource(viastoSource, fixtureText('viasto', file), settings(), { headers: UA });
		expect(out.outcome).toBe('accepted');
		expect(out.items).toHaveLength(1);
		const [item] = out.items;
		expect(item).toMatchObject({
			source: 'viasto',
			event,
			sourceEvent: body.event,
			occurredAt: new Date(body.time).toISOString(),
			subject: { type, id, url },
			delivery: { verified: false, scheme: 'none' },
			payload: body,
		});
		if (candidateId)
			expect(item.candidate).toEqual({
				id: candidateId,
				firstName: null,
				lastName: null,
				email: null,
				phone: null,
			});
		else expect(item.candidate).toBeUndefined();
		// Every resource URL of `data` is kept, untouched, in the payload.
		expect(resourceUrls(item.payload.data)).toEqual(
			Object.fromEntries(Object.entries(body.data).filter(([k]) => k !== 'action')),
		);
	});

	it('the seed example has no data.action: taken as modified, and said so', () => {
		const out = runSource(
			viastoSource,
			fixtureText('viasto', 'project_changed.seed-example.json'),
			settings(),
		);
		expect(out.items[0].warnings).toEqual([
			'action_missing: data.action is absent; taken as "modified"',
		]);
	});

	it('the documented examples carry no other warning', () => {
		for (const file of [
			'project_changed.created.json',
			'candidate_changed.created.json',
			'answervideo_changed.modified.json',
			'rating_changed.created.json',
			'note_changed.modified.json',
		]) {
			expect(
				runSource(viastoSource, fixtureText('viasto', file), settings()).items[0].warnings,
			).toBeUndefined();
		}
	});
});

describe('viasto helpers', () => {
	it.each([
		[`${B}/projects/17/`, '17'],
		[`${B}/projects/17`, '17'],
		[`${B}/projects/17/candidates/521/?x=1`, '521'],
		['not a url/abc/', 'abc'],
		[undefined, null],
	])('id of %s is %s', (url, id) => {
		expect(idFromResourceUrl(url)).toBe(id);
	});

	it('event and action selections become canonical filters', () => {
		expect(viastoEventFilter([], [])).toEqual([]);
		expect(viastoEventFilter([], ['created', 'modified'])).toEqual([]);
		expect(viastoEventFilter(['rating_changed'], [])).toEqual(['rating.created', 'rating.updated']);
		expect(viastoEventFilter(['answervideo_changed', 'note_changed'], ['created'])).toEqual([
			'video.created',
			'note.created',
		]);
		expect(viastoEventFilter([], ['modified'])).toEqual([
			'project.updated',
			'candidate.updated',
			'video.updated',
			'rating.updated',
			'note.updated',
		]);
	});
});

describe('viasto filter, User-Agent and auth', () => {
	it('events not selected get 200 and start nothing', () => {
		const out = runSource(
			viastoSource,
			fixtureText('viasto', 'rating_changed.created.json'),
			settings({ events: viastoEventFilter(['candidate_changed'], []) }),
		);
		expect(out.outcome).toBe('filtered');
		expect(out.reply.status).toBe(200);
	});

	it('actions not selected get 200 and start nothing', () => {
		const filter = viastoEventFilter([], ['modified']);
		expect(
			runSource(
				viastoSource,
				fixtureText('viasto', 'candidate_changed.created.json'),
				settings({ events: filter }),
			).outcome,
		).toBe('filtered');
		expect(
			runSource(
				viastoSource,
				fixtureText('viasto', 'note_changed.modified.json'),
				settings({ events: filter }),
			).outcome,
		).toBe('accepted');
	});

	it('with "Require User-Agent", another agent gets 401 and no execution', () => {
		const body = fixtureText('viasto', 'project_changed.created.json');
		const bad = runSource(viastoSource, body, settings({ requireUserAgent: true }), {
			headers: { 'user-agent': 'curl/8.0' },
		});
		expect(bad.outcome).toBe('unauthorized');
		expect(bad.reply).toMatchObject({ status: 401, body: { reason: 'user_agent_mismatch' } });
		expect(runSource(viastoSource, body, settings({ requireUserAgent: true })).reply.status).toBe(
			401,
		);
		expect(
			runSource(viastoSource, body, settings({ requireUserAgent: true }), {
				headers: { 'User-Agent': 'Interview Suite Webhook' },
			}).outcome,
		).toBe('accepted');
	});

	it('without it, any agent is accepted', () => {
		expect(
			runSource(viastoSource, fixtureText('viasto', 'project_changed.created.json'), settings(), {
				headers: { 'user-agent': 'curl/8.0' },
			}).outcome,
		).toBe('accepted');
	});

	it("the user's authentication choice still applies (header token)", () => {
		const s = settings({
			clientAuth: { scheme: 'headerToken', headerName: 'x-token', tokens: ['t0k3n'] },
		});
		const body = fixtureText('viasto', 'project_changed.created.json');
		expect(runSource(viastoSource, body, s, { headers: UA }).reply.status).toBe(401);
		const ok = runSource(viastoSource, body, s, { headers: { ...UA, 'x-token': 't0k3n' } });
		expect(ok.items[0].delivery).toEqual({
			id: null,
			verified: true,
			scheme: 'headerToken',
			dedupKey: expect.any(String),
		});
	});

	it('the same delivery twice starts one execution', () => {
		const staticData = {};
		const body = fixtureText('viasto', 'rating_changed.created.json');
		expect(
			runSource(viastoSource, body, settings(), { scope: 'viasto-dup', staticData }).outcome,
		).toBe('accepted');
		expect(
			runSource(viastoSource, body, settings(), { scope: 'viasto-dup', staticData }).outcome,
		).toBe('duplicate');
	});
});

describe('viasto schema drift: warnings, never a lost event', () => {
	it('an unknown action is taken as modified', () => {
		const out = runSource(
			viastoSource,
			JSON.stringify({
				endpoint: 'x',
				time: '2015-03-16T15:32:34Z',
				event: 'rating_changed',
				data: { action: 'deleted', rating: `${B}/r/1/` },
			}),
			settings(),
		);
		expect(out.items[0].event).toBe('rating.updated');
		expect(out.items[0].warnings).toEqual([
			'action_unrecognised: "deleted" is not created|modified; taken as "modified"',
		]);
	});

	it('an undocumented event still maps when its name says what it is', () => {
		const out = runSource(
			viastoSource,
			JSON.stringify({
				endpoint: 'x',
				time: '2015-03-16T15:32:34Z',
				event: 'interview_changed',
				data: { action: 'created', interview: `${B}/interviews/3/` },
			}),
			settings(),
		);
		expect(out.items[0]).toMatchObject({
			event: 'interview.updated',
			subject: { type: 'interview', id: '3', url: `${B}/interviews/3/` },
		});
		expect(out.items[0].warnings).toEqual([
			expect.stringMatching(/^event_unrecognised: "interview_changed"/),
		]);
	});

	it('an event nobody knows is emitted as unknown with its payload', () => {
		const body = {
			endpoint: 'x',
			time: 'yesterday',
			event: 'weather_changed',
			data: { action: 'created' },
		};
		const out = runSource(viastoSource, JSON.stringify(body), settings());
		expect(out.items[0]).toMatchObject({
			event: 'unknown',
			sourceEvent: 'weather_changed',
			payload: body,
		});
		expect(out.items[0].occurredAt).toBe('yesterday');
	});

	it('missing data, missing URL and undocumented fields are all flagged', () => {
		const noData = runSource(
			viastoSource,
			JSON.stringify({ event: 'project_changed' }),
			settings(),
		);
		expect(noData.items[0].warnings).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^data_missing/),
				'envelope_field_missing: "endpoint"',
				'envelope_field_missing: "time"',
				expect.stringMatching(/^resource_url_missing: data.project/),
			]),
		);
		const extra = runSource(
			viastoSource,
			JSON.stringify({
				endpoint: 'x',
				time: 't',
				event: 'candidate_changed',
				data: {
					action: 'modified',
					candidate: '/relative/5/',
					project: `${B}/projects/1/`,
					video: `${B}/v/2/`,
				},
			}),
			settings(),
		);
		expect(extra.items[0].warnings).toEqual(
			expect.arrayContaining([
				'data_fields_undocumented: video',
				'resource_url_invalid: data.candidate is not an absolute URL',
				expect.stringMatching(/^resource_url_missing: data.candidate/),
			]),
		);
	});

	it('a form-encoded or XML body is refused with 415', () => {
		expect(
			runSource(viastoSource, 'a=b', settings(), {
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
			}).reply.status,
		).toBe(415);
	});
});

describe('viasto Fetch Resource (pure part; the HTTP part is in test/node/seed-viasto.test.ts)', () => {
	const event = (url?: string, type = 'candidate') => ({
		event: `${type}.created`,
		subject: { type, id: '521', url },
		candidate: { id: '521' },
	});

	it("only the credential's own origin gets the token", () => {
		expect(sameOrigin(`${B}/projects/1/`, 'https://interview-suite.com')).toBe(true);
		expect(sameOrigin(`${B}/projects/1/`, 'https://interview-suite.com/api/v3/')).toBe(true);
		expect(sameOrigin(`${B}/projects/1/`, 'https://acme.interview-suite.com')).toBe(false);
		expect(sameOrigin('http://interview-suite.com/x', 'https://interview-suite.com')).toBe(false);
		expect(
			sameOrigin('https://interview-suite.com.evil.test/x', 'https://interview-suite.com'),
		).toBe(false);
		expect(sameOrigin('not a url', 'https://interview-suite.com')).toBe(false);
	});

	it('a URL on another host is not fetched', async () => {
		const fetch = jest.fn();
		const [out] = await fetchResources([event('https://evil.test/api/v3/x/')], {
			baseUrl: 'https://interview-suite.com',
			privacy: false,
			fetch,
		});
		expect(fetch).not.toHaveBeenCalled();
		expect(out.warnings).toEqual([
			expect.stringMatching(/^resource_not_fetched: .*token was not sent/),
		]);
		expect(out.resource).toBeUndefined();
	});

	it('a fetched candidate fills the canonical candidate, or only ids with Privacy', async () => {
		const resource = {
			resource_uri: `${B}/projects/17/candidates/521/`,
			first_name: 'Francisco',
			last_name: 'Assis',
			email: 'francisco.assis@example.com',
			phone: '+49 30 1234567',
			status: 'interviewed',
		};
		const fetch = jest.fn().mockResolvedValue(resource);
		const [plain] = await fetchResources([event(`${B}/projects/17/candidates/521/`)], {
			baseUrl: 'https://interview-suite.com',
			privacy: false,
			fetch,
		});
		expect(plain.resource).toEqual(resource);
		expect(plain.candidate).toEqual({
			id: '521',
			firstName: 'Francisco',
			lastName: 'Assis',
			email: 'francisco.assis@example.com',
			phone: '+49 30 1234567',
		});
		const [priv] = await fetchResources([event(`${B}/projects/17/candidates/521/`)], {
			baseUrl: 'https://interview-suite.com',
			privacy: true,
			fetch,
		});
		expect(JSON.stringify(priv)).not.toMatch(/Assis|francisco|1234567/);
		expect(priv.resource).toMatchObject({
			resource_uri: `${B}/projects/17/candidates/521/`,
			status: 'interviewed',
		});
		expect(priv.candidate).toEqual({ id: '521' });
	});

	it('failures become warnings with a status or code, never the message', () => {
		expect(fetchFailure({ httpCode: '404', message: 'secret token abc' })).toBe('HTTP 404');
		expect(fetchFailure({ response: { status: 503 } })).toBe('HTTP 503');
		expect(fetchFailure({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1' })).toBe(
			'ECONNREFUSED',
		);
		expect(fetchFailure({ cause: { code: 'ETIMEDOUT' } })).toBe('ETIMEDOUT');
		expect(fetchFailure(new Error('Authorization: Token abc'))).toBe('request failed');
	});
});

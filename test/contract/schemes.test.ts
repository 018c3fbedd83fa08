import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signGenericHmac, verifyGenericHmac } from '../../nodes/core/signature/hmac';
import {
	standardWebhookHeaders,
	verifyStandardWebhook,
} from '../../nodes/core/signature/standardWebhooks';
import {
	signGreenhouse,
	verifyGreenhouseSignature,
} from '../../nodes/Greenhouse/greenhouseSignature';
import { signAshby, verifyAshbySignature } from '../../nodes/Ashby/ashbySignature';
import { signWorkable, verifyWorkableSignature } from '../../nodes/Workable/workableSignature';
import {
	smartRecruitersSignatureHeader,
	verifySmartRecruiters,
} from '../../nodes/SmartRecruiters/smartRecruitersSignature';
import {
	signTeamtailorV1,
	signTeamtailorV2,
	verifyTeamtailor,
} from '../../nodes/Teamtailor/teamtailorSignature';
import { signRecruitee, verifyRecruiteeSignature } from '../../nodes/Recruitee/recruiteeSignature';
import { signJazzHr, verifyJazzHrSignature } from '../../nodes/JazzHr/jazzHrSource';
import { signMergeAts, verifyMergeAtsSignature } from '../../nodes/MergeAts/mergeAtsSource';
import { signApideck, verifyApideckSignature } from '../../nodes/ApideckAts/apideckAtsSource';
import { signBreezyHr, verifyBreezyHrSignature } from '../../nodes/BreezyHr/breezyHrSource';
import { signKombo, verifyKomboSignature } from '../../nodes/Kombo/komboSource';
import { bambooHrHeaders, verifyBambooHr } from '../../nodes/BambooHr/bambooHrSource';
import { signatureContract, type ContractScheme } from './signatureContract';

/**
 * Every header signature scheme in the package runs the same contract (signatureContract.ts).
 * Vectors: vendor-published where the vendor publishes one (SmartRecruiters, Standard Webhooks),
 * otherwise computed with Python's hmac module from the scheme as the vendor documents it (an
 * implementation independent of ours; the values are written here, nothing is read at test time).
 * Lever is not here: it signs fields of the JSON body, not a header (test/unit/lever.test.ts).
 */
const T17 = 1700000000;

const SR = JSON.parse(
	readFileSync(
		join(__dirname, '..', 'fixtures', 'smartrecruiters', 'application.created.json'),
		'utf8',
	),
) as {
	headers: Record<string, string>;
	body: string;
	secretKey: string;
};
const SR_EVENT = {
	eventId: SR.headers['event-id'],
	eventName: SR.headers['event-name'],
	eventVersion: SR.headers['event-version'],
	link: SR.headers.link,
};
const SR_EVENT_HEADERS = {
	'event-id': SR_EVENT.eventId,
	'event-name': SR_EVENT.eventName,
	'event-version': SR_EVENT.eventVersion,
	link: SR_EVENT.link,
};

const GENERIC = {
	algorithm: 'sha256',
	encoding: 'hex',
	headerName: 'x-signature',
	prefix: 'sha256=',
	signedContent: 'timestampDotBody',
	timestampHeader: 'x-timestamp',
} as const;

export const schemes: ContractScheme[] = [
	{
		name: 'Greenhouse',
		source: 'developers.greenhouse.io/webhooks.html#authentication',
		header: 'signature',
		vector: {
			secret: 'test_secret',
			body: '{"action":"ping","payload":{}}',
			headers: {
				signature: 'sha256 9850ec72d87ebcebcd4c90ffcf1664dfc85d7285d423b6370d8d3a8731f9fe92',
			},
			nowSeconds: T17,
		},
		sign: (secret, body) => ({ signature: signGreenhouse(secret, body) }),
		verify: (headers, body, secrets) => verifyGreenhouseSignature(headers, body, secrets),
	},
	{
		name: 'Ashby',
		source: 'developers.ashbyhq.com/docs/authenticating-webhooks',
		header: 'ashby-signature',
		vector: {
			secret: 'test_secret',
			body: '{"action":"candidateStageChange","data":{}}',
			headers: {
				'ashby-signature':
					'sha256=3dfee0912535df6cd38195e50270fe773151ce1668a7ac00e4533315025c6373',
			},
			nowSeconds: T17,
		},
		sign: (secret, body) => ({ 'ashby-signature': signAshby(secret, body) }),
		verify: (headers, body, secrets) => verifyAshbySignature(headers, body, secrets),
	},
	{
		name: 'Workable',
		source: 'workable.readme.io/reference/webhooks',
		header: 'x-workable-signature',
		vector: {
			secret: 'test_secret',
			body: '{"data":{"id":"3fc9a80f"}}',
			headers: {
				'x-workable-signature': 'd7ac823ab4d818b0f9c5ea2a131dd71b7a31f6beb068806d8c777bec824bee30',
			},
			nowSeconds: T17,
		},
		sign: (secret, body) => ({ 'x-workable-signature': signWorkable(secret, body) }),
		verify: (headers, body, secrets) => verifyWorkableSignature(headers, body, secrets),
	},
	{
		name: 'SmartRecruiters',
		source:
			'developers.smartrecruiters.com/reference/subscriptionsgeneratesecretkey-1 (vendor vector)',
		header: 'smartrecruiters-signature',
		vector: {
			secret: SR.secretKey,
			body: SR.body,
			headers: SR.headers,
			nowSeconds: Number(SR.headers['smartrecruiters-timestamp']),
		},
		sign: (secret, body, now) => ({
			...SR_EVENT_HEADERS,
			'smartrecruiters-timestamp': String(now),
			'smartrecruiters-signature': smartRecruitersSignatureHeader([secret], {
				timestamp: String(now),
				body,
				...SR_EVENT,
			}),
		}),
		verify: (headers, body, secrets, nowSeconds) =>
			verifySmartRecruiters(headers, body, { secrets, toleranceSeconds: 300, nowSeconds }),
		toleranceSeconds: 300,
	},
	{
		name: 'Standard Webhooks',
		source: 'standardwebhooks.com spec v1.0.0 (reference-library vector)',
		header: 'webhook-signature',
		vector: {
			secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
			body: '{"test": 2432232314}',
			headers: {
				'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
				'webhook-timestamp': '1614265330',
				'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
			},
			nowSeconds: 1614265330,
		},
		// Rotation and wrong-secret cases need valid whsec_ keys: derive one from any text.
		sign: (secret, body, now) =>
			standardWebhookHeaders([asWhsec(secret)], 'msg_p5jXN8AQM9LWM0D4loKWxJek', now, body),
		verify: (headers, body, secrets, nowSeconds) =>
			verifyStandardWebhook(headers, body, {
				secrets: secrets.map(asWhsec),
				toleranceSeconds: 300,
				nowSeconds,
			}),
		toleranceSeconds: 300,
	},
	{
		name: 'generic HMAC (ATS Webhook Trigger, "sha256=" + hex over timestamp.body)',
		source: 'nodes/core/signature/hmac.ts',
		header: 'x-signature',
		vector: {
			secret: 'test_secret',
			body: '{"id":"x","type":"data-changed","data":{}}',
			headers: {
				'x-timestamp': String(T17),
				'x-signature': 'sha256=3ba80d1a6094bd5cc53040f9a16a5eafee27a69c8beb59da3a5f5efe3ae1e10a',
			},
			nowSeconds: T17,
		},
		sign: (secret, body, now) => ({
			'x-timestamp': String(now),
			'x-signature': signGenericHmac({ ...GENERIC, secret, body, timestamp: String(now) }),
		}),
		verify: (headers, body, secrets, nowSeconds) =>
			verifyGenericHmac(headers, body, { ...GENERIC, secrets, toleranceSeconds: 300, nowSeconds }),
		toleranceSeconds: 300,
	},
	{
		name: 'generic HMAC (ATS Webhook Trigger, SHA-512 base64 over the body)',
		source: 'nodes/core/signature/hmac.ts',
		header: 'x-signature',
		vector: {
			secret: 'test_secret',
			body: '{"id":"x","type":"data-changed","data":{}}',
			headers: {
				'x-signature':
					'yLtftEuGdrj7DRlSpD92m31BmtmPCHkIZNVo8yRkJuXwBVEk3E3iyZMf/YD/b2+2hwWHrExH4HDdudjUWUXTdg==',
			},
			nowSeconds: T17,
		},
		sign: (secret, body) => ({
			'x-signature': signGenericHmac({ algorithm: 'sha512', encoding: 'base64', secret, body }),
		}),
		verify: (headers, body, secrets) =>
			verifyGenericHmac(headers, body, {
				algorithm: 'sha512',
				encoding: 'base64',
				headerName: 'x-signature',
				secrets,
			}),
	},
	{
		name: 'Teamtailor v2',
		source: 'partner.teamtailor.com/company_webhooks (Webhook Signatures, v2)',
		header: 'tt-signature',
		vector: {
			secret: 'test_secret',
			body: '{"payload":{"event_name":"job.update","data":{"id":"2"}}}',
			headers: {
				'tt-signature':
					'dD0xNzAxMjM0NTY3LHYyPWNjNTQ2YThlODFkMzZhZjEzNjdjYWYyNGQ0YmJjMGVlNzc2OGVkMzg2ZmQyZmY1MDU1NWM2N2MwYmNhMDMyNGE=',
			},
			nowSeconds: 1701234567,
		},
		sign: (secret, body, now) => ({ 'tt-signature': signTeamtailorV2(secret, body, now) }),
		verify: (headers, body, secrets, nowSeconds) =>
			verifyTeamtailor(headers, body, {
				secrets,
				version: 'v2',
				toleranceSeconds: 300,
				nowSeconds,
			}),
		toleranceSeconds: 300,
	},
	{
		// v1 signs payload.data.id only, so "one tampered byte" has to be in the id: a change anywhere
		// else verifies (test/unit/teamtailor.test.ts shows it; that is why v1 is opt-in with a warning).
		name: 'Teamtailor v1 (deprecated, opt-in)',
		source: 'partner.teamtailor.com/company_webhooks (Webhook Signatures, v1)',
		header: 'tt-signature',
		vector: {
			secret: 'test_secret',
			body: '{"payload":{"event_name":"job.update","data":{"id":"2"}}}',
			headers: {
				'tt-signature':
					'N2RjMTM1M2RjYzI4ZjI2NTY3MTUxNTQ5MjZjYWE2NjRhMWRjN2VmOTEwZWJiMTNkMzA1NDE4NGY2MjUzNTg3Yw==',
			},
			nowSeconds: 1701234567,
		},
		sign: (secret, body) => ({
			'tt-signature': signTeamtailorV1(secret, String(JSON.parse(body).payload.data.id)),
		}),
		verify: (headers, body, secrets) =>
			verifyTeamtailor(headers, body, {
				secrets,
				version: 'v1',
				toleranceSeconds: 300,
				body: JSON.parse(body.toString('latin1')),
			}),
		tamper: (body) => body.replace('"id":"2"', '"id":"3"'),
	},
	{
		name: 'Recruitee',
		source:
			'docs.recruitee.com/docs/webhooks (scheme as public receivers check it; UNCONFIRMED wording)',
		header: 'x-recruitee-signature',
		vector: {
			secret: 'test_secret',
			body: '{"id":"x","type":"data-changed","data":{}}',
			headers: {
				'x-recruitee-signature': '32ac1caa4995115418d9e33c493c4fb37dbcbb1d9db768625aa1489feb05544a',
			},
			nowSeconds: T17,
		},
		sign: (secret, body) => ({ 'x-recruitee-signature': signRecruitee(secret, body) }),
		verify: (headers, body, secrets) => verifyRecruiteeSignature(headers, body, secrets),
	},
	{
		name: 'JazzHR',
		source: 'github.com/JazzHR/api-doc source/includes/webhook/_event_candidate_export.md',
		header: 'x-jazzhr-signature',
		vector: {
			secret: 'test_secret',
			body: '{"id":"x","type":"data-changed","data":{}}',
			headers: {
				'x-jazzhr-signature': '32ac1caa4995115418d9e33c493c4fb37dbcbb1d9db768625aa1489feb05544a',
			},
			nowSeconds: T17,
		},
		sign: (secret, body) => ({ 'x-jazzhr-signature': signJazzHr(secret, body) }),
		verify: (headers, body, secrets) => verifyJazzHrSignature(headers, body, secrets),
	},
	{
		name: 'Merge',
		source:
			'docs.merge.dev (webhooks: X-Merge-Webhook-Signature, base64url HMAC-SHA256 of the raw body)',
		header: 'x-merge-webhook-signature',
		vector: {
			secret: 'test_secret',
			body: '{"id":"x","type":"data-changed","data":{}}',
			headers: { 'x-merge-webhook-signature': 'MqwcqkmVEVQY2eM8STxPs328ux2dt2hiWqFIn-sFVEo' },
			nowSeconds: T17,
		},
		sign: (secret, body) => ({ 'x-merge-webhook-signature': signMergeAts(secret, body) }),
		verify: (headers, body, secrets) => verifyMergeAtsSignature(headers, body, secrets),
	},
	{
		name: 'Kombo',
		source:
			'https://docs.kombo.dev/webhooks ("Validate the data": HMAC-SHA256 of the request body, base64url without "=" padding)',
		header: 'x-kombo-signature',
		vector: {
			secret: 'test_secret',
			body: '{"id":"x","type":"data-changed","data":{}}',
			headers: { 'x-kombo-signature': 'MqwcqkmVEVQY2eM8STxPs328ux2dt2hiWqFIn-sFVEo' },
			nowSeconds: T17,
		},
		sign: (secret, body) => ({ 'x-kombo-signature': signKombo(secret, body) }),
		verify: (headers, body, secrets) => verifyKomboSignature(headers, body, secrets),
	},
	{
		// Signs the raw body followed by the X-BambooHR-Timestamp text (no separator); vector computed
		// with Python's hmac.
		name: 'BambooHR (body + timestamp)',
		source:
			'https://documentation.bamboohr.com/docs/webhooks (Security: SHA-256 HMAC, Private Key)',
		header: 'x-bamboohr-signature',
		vector: {
			secret: 'test_secret',
			body: '{"type":"employee.updated","data":{"employeeId":"67890"}}',
			headers: {
				'x-bamboohr-signature': 'aefc8ffe2a6c01f80ebf1e4c1817930f137a0a970efa8113f60bded31b0daa4b',
				'x-bamboohr-timestamp': '1700000000',
			},
			nowSeconds: T17,
		},
		sign: (secret, body, now) => bambooHrHeaders(secret, body, now),
		verify: (headers, body, secrets, nowSeconds) =>
			verifyBambooHr(headers, body, { secrets, toleranceSeconds: 300, nowSeconds }),
		toleranceSeconds: 300,
	},
	{
		// Apideck signs the body with its keys sorted recursively (a re-serialisation): the vector's raw
		// bytes are NOT sorted, so it passes only through the node's sorted-keys path. Vector computed
		// with Python: json.dumps(sort_keys=True, separators=(',', ':')) and hmac.
		name: 'Apideck (keys sorted, keyed with the API key)',
		source: 'developers.apideck.com/guides/webhook-signature-verification',
		header: 'x-apideck-signature',
		vector: {
			secret: 'test_api_key',
			body: '{"payload":{"event_type":"ats.job.updated","entity_id":"JOB-1","service_id":"lever"}}',
			headers: {
				'x-apideck-signature': '775aa144c9e09517e0c6a714798a2e0f07124aecc0f2af06b6b1876935b45344',
			},
			nowSeconds: T17,
		},
		sign: (secret, body) => ({ 'x-apideck-signature': signApideck(secret, body) }),
		verify: (headers, body, secrets) => {
			const result = verifyApideckSignature(headers, body, secrets);
			return result.ok ? { ok: true } : result;
		},
	},
	{
		// Breezy's examples sign the compact JSON; the vector body is compact, so it verifies as raw bytes.
		name: 'Breezy HR (whsec_ text as the key, raw bytes or compact JSON)',
		source: 'developer.breezy.hr/reference/webhook-security',
		header: 'x-hook-signature',
		vector: {
			secret: 'whsec_test',
			body: '{"type":"candidateAdded","object":{}}',
			headers: {
				'x-hook-signature': '7a5a29959fd36e8ab13b5ebe48fd1701efbc07a6782fbef6153052d1a4fc6b4e',
			},
			nowSeconds: T17,
		},
		sign: (secret, body) => ({ 'x-hook-signature': signBreezyHr(secret, body) }),
		verify: (headers, body, secrets) => {
			const result = verifyBreezyHrSignature(headers, body, secrets);
			return result.ok ? { ok: true } : result;
		},
	},
];

/** A valid whsec_ key for any text (the vector's own key is kept as it is). */
function asWhsec(secret: string): string {
	return secret === '' || secret.startsWith('whsec_')
		? secret
		: `whsec_${Buffer.from(secret.padEnd(24, '.')).toString('base64')}`;
}

schemes.forEach(signatureContract);

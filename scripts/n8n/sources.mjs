// What `npm run send -- <source>` sends: one row per demo workflow in demo-workflows/<source>.json.
//
//   sample({ id, now }) -> the JSON body (object, array or string) of a typical event of that sender
//   sign({ body, trigger, credential, core, id, now }) -> extra headers (optional). Without it the
//       headers come from the trigger's own `authentication` setting and its credential
//       (lib/signing.mjs), which covers every trigger that offers the shared choice
//       none | headerToken | basicAuth | hmac | standardWebhooks.
//   headers -> fixed extra headers (a vendor's User-Agent, say), optional.
//
// To add a source: drop demo-workflows/<source>.json and add a row here.

export const sources = {
	generic: {
		description: 'ATS Webhook Trigger: a candidate.created event in a plain JSON shape',
		sample: ({ id, now }) => ({
			event_id: id,
			type: 'candidate.created',
			occurred_at: new Date(now).toISOString(),
			data: {
				candidate: {
					id: 'cand_1001',
					first_name: 'Ada',
					last_name: 'Lovelace',
					email: 'ada@example.com',
				},
				job: { id: 'job_42', title: 'Backend Engineer' },
			},
		}),
	},
	greenhouse: {
		description:
			'Greenhouse Trigger: candidate_stage_change as in the Greenhouse docs, "Signature: sha256 <hex>" with the demo secret key, the id as Greenhouse-Event-ID',
		headers: { 'user-agent': 'Greenhouse' },
		sample: ({ now }) => ({
			action: 'candidate_stage_change',
			payload: {
				application: {
					id: 265277,
					status: 'active',
					prospect: false,
					last_activity_at: new Date(now).toISOString(),
					current_stage: { id: 71416, name: 'Assessment', interviews: [] },
					candidate: {
						id: 265772,
						first_name: 'Giuseppe',
						last_name: 'Hurley',
						email_addresses: [{ value: 'giuseppe.hurley@example.com', type: 'personal' }],
					},
					jobs: [{ id: 3485, name: 'Designer', status: 'open' }],
				},
			},
		}),
		sign: ({ body, credential, core, id }) => ({
			signature: `sha256 ${core.signHmac({ secret: credential.secret, message: body })}`,
			'greenhouse-event-id': id,
		}),
	},
	ashby: {
		description:
			'Ashby Trigger (manual registration): candidateStageChange, "Ashby-Signature: sha256=<hex>" with the demo secret token, the id as webhookActionId',
		sample: ({ id, now }) => ({
			webhookActionId: id,
			action: 'candidateStageChange',
			data: {
				application: {
					id: 'b8f9c3e2-1d4a-4e6b-9c7f-2a3b4c5d6e7f',
					status: 'Active',
					updatedAt: new Date(now).toISOString(),
					candidate: {
						id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
						name: 'James Holden',
						primaryEmailAddress: { value: 'test@ashbyhq.com', type: 'Work', isPrimary: true },
					},
					currentInterviewStage: {
						id: 'c5a5b7a0-9f5e-4b57-a0d4-6f3c7e0c1a01',
						title: 'Technical Interview',
						type: 'Active',
					},
					job: { id: '4071538b-3cac-4fbf-ac76-f78ed250ffdd', title: 'First Designer' },
				},
			},
		}),
		sign: ({ body, credential, core }) => ({
			'ashby-signature': `sha256=${core.signHmac({ secret: credential.secret, message: body })}`,
		}),
	},
	workable: {
		description:
			'Workable Trigger (manual registration): candidate_moved, X-Workable-Signature = hex HMAC with the demo access token (--secret: another key)',
		sample: ({ now }) => ({
			event_type: 'candidate_moved',
			resource_type: 'candidate',
			id: '3fc9a80f',
			fired_at: new Date(now).toISOString(),
			data: {
				id: '3fc9a80f',
				firstname: 'Lakita',
				lastname: 'Marrero',
				email: 'lakita.marrero@example.com',
				job: { shortcode: 'GROOV005', title: 'Sales Intern' },
				stage: 'Interview',
				disqualified: false,
				updated_at: new Date(now).toISOString(),
			},
		}),
		sign: ({ body, credential, core }) => ({
			'x-workable-signature': core.signHmac({
				secret: credential.secret ?? (credential.signingSecret || credential.accessToken),
				message: body,
			}),
		}),
	},
	recruitis: {
		description:
			'Recruitis Trigger: a position published on a channel (assumed shape: the Recruitis JSON is not public; see README)',
		// Recruitis sends no event id, so the body hash identifies a delivery: the id keeps sends apart.
		sample: ({ id, now }) => ({
			event: 'job_published',
			job_id: 48213,
			title: 'Backend Developer (PHP)',
			status: 'open',
			channel: { id: 7, name: 'Jobs.cz' },
			date: new Date(now).toISOString(),
			delivery_ref: id,
		}),
	},
	talentats: {
		description:
			'talentATS Trigger: one "Export to Webhook" batch of 3 candidates → one execution with 3 items',
		sample: ({ id, now }) => ({
			event: 'candidate.exported',
			batch_id: id,
			exported_at: new Date(now).toISOString(),
			count: 3,
			candidates: ['Amelia Hughes', 'Tomasz Nowak', 'Priya Raman'].map((name, i) => {
				const [first, last] = name.split(' ');
				return {
					id: `cand_${id.slice(-6)}_${i}`,
					first_name: first,
					last_name: last,
					email: `${first.toLowerCase()}@example.com`,
					vacancy_id: 'vac_301',
					stage: 'Interview',
				};
			}),
		}),
	},
	viasto: {
		description:
			'viasto Interview Suite Trigger: candidate_changed (created), as seed 002 documents it',
		headers: { 'user-agent': 'interview suite webhook' },
		sample: ({ id, now }) => ({
			endpoint: 'https://abc.com/candidate',
			time: new Date(now).toISOString(),
			event: 'candidate_changed',
			data: {
				action: 'created',
				project: 'https://interview-suite.com/api/v3/companies/1/projects/17/',
				candidate: `https://interview-suite.com/api/v3/companies/1/projects/17/candidates/${parseInt(id.replace(/\D/g, '').slice(-6) || '521', 10)}/`,
			},
		}),
	},
	humansourcing: {
		description:
			'Human Sourcing Trigger: an array of a job update and a candidate creation → one execution with 2 items',
		sample: ({ id, now }) => [
			{
				event: 'update',
				type: 'job',
				data: {
					job_id: 126751,
					job_reference: 'REF',
					job_title: 'Candidature Spontanée',
					job_updated_at: new Date(now).toISOString(),
				},
			},
			{
				event: 'creation',
				type: 'candidate',
				data: {
					id: parseInt(id.replace(/\D/g, '').slice(-9) || '1234567876', 10),
					first_name: 'Jeanne',
					last_name: 'Martin',
					email: 'jeanne.martin@example.com',
					tel_mobile: null,
					tags: [],
					action: [],
				},
			},
		],
	},
	atswebhook: {
		description:
			'ATS Webhook action: 5 candidates in → the ATS Webhook node exports them as ONE signed request → the talentATS Trigger of the same workflow runs once with 5 items',
		sample: ({ id }) =>
			['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra'].map(
				(name, i) => {
					const [first, last] = name.split(' ');
					return {
						id: `cand_${id.slice(-6)}_${i}`,
						first_name: first,
						last_name: last,
						email: `${first.toLowerCase()}@example.com`,
						vacancy_id: 'vac_demo',
					};
				},
			),
	},
	lever: {
		description:
			'Lever Trigger: candidateStageChange as in the Lever docs, signed IN THE BODY (hex HMAC of token + triggeredAt) with the demo credential; --secret does not apply (the body is built before signing hooks run)',
		headers: { 'user-agent': 'Lever-Webhooks' },
		sample: ({ id, now }) => {
			const { createHmac, randomBytes } = process.getBuiltinModule('node:crypto');
			const fs = process.getBuiltinModule('node:fs');
			const demo = JSON.parse(
				fs.readFileSync(new URL('./demo-credentials.json', import.meta.url), 'utf8'),
			).find((c) => c.id === 'atsDemoSigning01');
			const body = {
				id,
				triggeredAt: now,
				event: 'candidateStageChange',
				data: {
					opportunityId: '3410c8b9-5c31-4bab-b7e9-9f710206d647',
					candidateId: 'daeaa038-cddb-4d69-9b8c-74b6c23be3f3',
					contactId: '05c248f9-ccb1-435f-bab5-0ec608aec263',
					toStageId: '7c2690d8-6308-4ed9-ae2a-cbfe7db26593',
					fromStageId: '992f01a9-ee19-41d2-ae79-1040701b195c',
				},
				token: randomBytes(24).toString('hex'),
			};
			body.signature = createHmac('sha256', demo.data.secret)
				.update(`${body.token}${body.triggeredAt}`)
				.digest('hex');
			return body;
		},
		sign: () => ({}),
	},
	smartrecruiters: {
		description:
			'SmartRecruiters Trigger: application.created (ids in the body, the event in headers), v1-signed with the demo credential → 202',
		sample: ({ id }) => ({
			job_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
			candidate_id: `cand_${id.slice(-8)}`,
		}),
		sign: ({ body, credential, core, id, now }) => {
			const headers = {
				'event-id': id,
				'event-name': 'application.created',
				'event-version': 'v201910',
				link: '<https://api.smartrecruiters.com/jobs/3fa85f64-5717-4562-b3fc-2c963f66afa6>; rel=self',
				'smartrecruiters-timestamp': String(Math.floor(now / 1000)),
			};
			const signed = [
				headers['smartrecruiters-timestamp'],
				body,
				headers['event-id'],
				headers['event-name'],
				headers['event-version'],
				headers.link,
			].join('.');
			headers['smartrecruiters-signature'] =
				`v1=${core.signHmac({ secret: credential.secret, message: signed })}`;
			return headers;
		},
	},
	teamtailor: {
		description:
			'Teamtailor Trigger: job_application.update (a stage move) as in the Teamtailor docs, TT-Signature v2 = base64("t=<now>,v2=<hex>") with the demo signing secret',
		sample: ({ now }) => ({
			payload: {
				event_name: 'job_application.update',
				data: {
					id: '555001',
					type: 'job-applications',
					attributes: {
						job_id: '4711',
						job_title: 'Backend Developer',
						stage_name: 'Interview',
						rejected_at: null,
						updated_at: new Date(now).toISOString(),
					},
				},
			},
		}),
		sign: ({ body, credential, core, now }) => {
			const t = Math.floor(now / 1000);
			const hex = core.signHmac({ secret: credential.secret, message: [`${t}.`, body] });
			return { 'tt-signature': Buffer.from(`t=${t},v2=${hex}`).toString('base64') };
		},
	},
	recruitee: {
		description:
			'Recruitee Trigger: candidate_moved / stage_changed (the envelope public Recruitee receivers read), X-Recruitee-Signature = hex HMAC with the demo signing secret',
		headers: { 'user-agent': 'Recruitee-Webhooks' },
		sample: ({ id, now }) => ({
			event_type: 'candidate_moved',
			event_subtype: 'stage_changed',
			payload: {
				candidate: {
					id: 3310021,
					name: 'Jan de Vries',
					emails: ['jan.devries@example.com'],
					updated_at: new Date(now).toISOString(),
					demo_delivery: id,
				},
				offer: { id: 880412, title: 'Customer Success Manager', kind: 'job' },
				details: {
					from_stage: { id: 51, name: 'Applied', category: 'apply' },
					to_stage: { id: 53, name: 'Phone screen', category: 'phone_screen' },
				},
			},
		}),
		sign: ({ body, credential, core }) => ({
			'x-recruitee-signature': core.signHmac({ secret: credential.secret, message: body }),
		}),
	},
	jazzhr: {
		description:
			'JazzHR Trigger: a CANDIDATE-EXPORT (HR Open Standards candidate, one application) as in the JazzHR docs, X-JazzHR-Signature = hex HMAC with the demo signing secret, the id as X-JazzHR-UUID',
		headers: { 'user-agent': 'JazzHR', 'x-jazzhr-event': 'CANDIDATE-EXPORT' },
		sample: () => ({
			candidate: {
				person: {
					id: { value: 71002233, schemeId: 'JazzHR Candidate', schemeAgencyId: 'JazzHR' },
					name: { formattedName: 'Maria Gonzalez', given: 'Maria', family: 'Gonzalez' },
					communication: {
						email: [{ useCode: 'private', preference: 1, address: 'maria.gonzalez@example.com' }],
					},
				},
				profiles: [
					{
						profileId: {
							value: 90001,
							schemeId: 'JazzHR Job Application',
							schemeAgencyId: 'JazzHR',
						},
						associatedPositionOpenings: [
							{
								positionOpeningId: {
									value: 5501,
									schemeId: 'JazzHR Job',
									schemeAgencyId: 'JazzHR',
								},
								positionTitle: 'Warehouse Supervisor',
							},
						],
					},
				],
			},
			additionalProfileInformation: {
				90001: { workflowStatus: 'Phone Screen', workflowStatusCategory: 'In Progress' },
			},
		}),
		sign: ({ body, credential, core, id }) => ({
			'x-jazzhr-signature': core.signHmac({ secret: credential.secret, message: body }),
			'x-jazzhr-uuid': id,
		}),
	},
	mergeats: {
		description:
			'Merge ATS Trigger: Application.changed (a stage move read from Workday through Merge), X-Merge-Webhook-Signature = base64url HMAC with the demo signing secret',
		headers: { 'user-agent': 'Merge/Webhooks' },
		sample: ({ now }) => ({
			hook: {
				id: '7f0c9a2e-3b1d-4c5e-8f6a-1b2c3d4e5f60',
				event: 'Application.changed',
				target: 'https://n8n.example.com/webhook/merge',
			},
			linked_account: {
				id: '2d9f1c3a-5b7e-4a61-9c0d-8e7f6a5b4c3d',
				integration: 'Workday',
				integration_slug: 'workday',
				category: 'ats',
			},
			data: {
				id: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
				candidate: '5c1e7d2a-9b3f-4e60-8a1d-2f3e4d5c6b7a',
				job: '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7',
				current_stage: { id: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f', name: 'Onsite Interview' },
				modified_at: new Date(now).toISOString(),
			},
		}),
		sign: ({ body, credential, core }) => ({
			'x-merge-webhook-signature': core.signHmac({
				secret: credential.secret,
				message: body,
				encoding: 'base64url',
			}),
		}),
	},
	apideckats: {
		description:
			'Apideck ATS Trigger: ats.application.updated (Workable through Apideck), x-apideck-signature = hex HMAC of the keys-sorted JSON with the demo signing secret as API key, the id as x-apideck-idempotency-key',
		sample: ({ id, now }) => ({
			payload: {
				event_type: 'ats.application.updated',
				unified_api: 'ats',
				service_id: 'workable',
				consumer_id: 'customer-8841',
				event_id: id,
				entity_id: 'APP-20931',
				entity_url: 'https://unify.apideck.com/ats/applications/APP-20931',
				entity_type: 'application',
				occurred_at: new Date(now).toISOString(),
			},
		}),
		sign: ({ body, credential, core, id }) => {
			const sortKeys = (v) =>
				Array.isArray(v)
					? v.map(sortKeys)
					: v && typeof v === 'object'
						? Object.fromEntries(
								Object.keys(v)
									.sort()
									.map((k) => [k, sortKeys(v[k])]),
							)
						: v;
			const sorted = JSON.stringify(sortKeys(JSON.parse(body.toString())));
			return {
				'x-apideck-signature': core.signHmac({ secret: credential.secret, message: sorted }),
				'x-apideck-idempotency-key': id,
				'x-apideck-event-type': 'ats.application.updated',
			};
		},
	},
	breezyhr: {
		description:
			'Breezy HR Trigger (manual registration): candidateStatusUpdated, X-Hook-Signature = hex HMAC of the compact JSON with the demo signing secret as the whsec_ text, the id as the body _id',
		headers: { 'x-breezy-webhook-version': '2' },
		sample: ({ id, now }) => ({
			_id: id,
			type: 'candidateStatusUpdated',
			object: {
				company: { _id: 'c0ffee12ab34', name: 'Example Bikes Inc.' },
				position: { _id: 'p9a8b7c6d5e4', name: 'Bike Mechanic', state: 'published' },
				candidate: {
					_id: 'a1b2c3d4e5f6',
					name: 'Sam Okafor',
					email_address: 'sam.okafor@example.com',
				},
				stage: { id: 's-phone', name: 'Phone Screen' },
			},
			creation_date: new Date(now).toISOString(),
		}),
		sign: ({ body, credential, core }) => ({
			'x-hook-signature': core.signHmac({
				secret: credential.secret,
				message: JSON.stringify(JSON.parse(body.toString())),
			}),
		}),
	},
	kombo: {
		description:
			'Kombo Trigger: data-changed (applications and candidates changed in Workday, read through Kombo), X-Kombo-Signature = base64url HMAC with the demo signing secret, the id as the body id',
		sample: ({ id }) => ({
			id,
			type: 'data-changed',
			data: {
				integration_id: 'workday:Tz4Gk8PqR2mVn6Xb1Lc9Ws5J',
				integration_tool: 'workday',
				integration_category: 'ATS',
				changed_models: [{ name: 'ats_applications' }, { name: 'ats_candidates' }],
			},
		}),
		sign: ({ body, credential, core }) => ({
			'x-kombo-signature': core.signHmac({
				secret: credential.secret,
				message: body,
				encoding: 'base64url',
			}),
		}),
	},
	personio: {
		description:
			'Personio Trigger (manual registration): employment.created for a new hire, the demo signing secret as the static Authorization token Personio sends',
		sample: ({ now }) => ({
			company_id: '74519',
			event_name: 'employment.created',
			occurred_at: new Date(now).toISOString(),
			payload: { id: '5561207', person: { id: '8823410' } },
			meta: {},
		}),
		sign: ({ credential }) => ({ authorization: credential.secret }),
	},
	bamboohr: {
		description:
			'BambooHR Trigger: employee.updated (event-based format), X-BambooHR-Signature = hex HMAC of the body followed by X-BambooHR-Timestamp, with the demo signing secret as Private Key',
		headers: { 'user-agent': 'BambooHR-WebHooks/1.0 (+https://www.bamboohr.com)' },
		sample: ({ now }) => ({
			type: 'employee.updated',
			timestamp: new Date(now).toISOString(),
			data: { companyId: '48120', employeeId: '1187', changedFields: ['jobTitle'] },
		}),
		sign: ({ body, credential, core, now }) => {
			const timestamp = String(Math.floor(now / 1000));
			return {
				'x-bamboohr-signature': core.signHmac({
					secret: credential.secret,
					message: Buffer.concat([Buffer.from(body), Buffer.from(timestamp)]),
				}),
				'x-bamboohr-timestamp': timestamp,
			};
		},
	},
};

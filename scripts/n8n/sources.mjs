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
				candidate: { id: 'cand_1001', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' },
				job: { id: 'job_42', title: 'Backend Engineer' },
			},
		}),
	},
	recruitis: {
		description: 'Recruitis Trigger: a position published on a channel (assumed shape: the Recruitis JSON is not public; see README)',
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
		description: 'talentATS Trigger: one "Export to Webhook" batch of 3 candidates → one execution with 3 items',
		sample: ({ id, now }) => ({
			event: 'candidate.exported',
			batch_id: id,
			exported_at: new Date(now).toISOString(),
			count: 3,
			candidates: ['Amelia Hughes', 'Tomasz Nowak', 'Priya Raman'].map((name, i) => {
				const [first, last] = name.split(' ');
				return { id: `cand_${id.slice(-6)}_${i}`, first_name: first, last_name: last, email: `${first.toLowerCase()}@example.com`, vacancy_id: 'vac_301', stage: 'Interview' };
			}),
		}),
	},
	viasto: {
		description: 'viasto Interview Suite Trigger: candidate_changed (created), as seed 002 documents it',
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
		description: 'Human Sourcing Trigger: an array of a job update and a candidate creation → one execution with 2 items',
		sample: ({ id, now }) => [
			{ event: 'update', type: 'job', data: { job_id: 126751, job_reference: 'REF', job_title: 'Candidature Spontanée', job_updated_at: new Date(now).toISOString() } },
			{
				event: 'creation',
				type: 'candidate',
				data: { id: parseInt(id.replace(/\D/g, '').slice(-9) || '1234567876', 10), first_name: 'Jeanne', last_name: 'Martin', email: 'jeanne.martin@example.com', tel_mobile: null, tags: [], action: [] },
			},
		],
	},
	atswebhook: {
		description:
			'ATS Webhook action: 5 candidates in → the ATS Webhook node exports them as ONE signed request → the talentATS Trigger of the same workflow runs once with 5 items',
		sample: ({ id }) =>
			['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra'].map((name, i) => {
				const [first, last] = name.split(' ');
				return { id: `cand_${id.slice(-6)}_${i}`, first_name: first, last_name: last, email: `${first.toLowerCase()}@example.com`, vacancy_id: 'vac_demo' };
			}),
	},
};

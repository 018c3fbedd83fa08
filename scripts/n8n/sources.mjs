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
};

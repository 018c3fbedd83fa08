// A realistic ATS delivery: a Standard Webhooks candidate event whose candidate carries
// applications, attachments and form answers, grown to the requested size with more applications.
export function candidatePayload(targetBytes, seed = 0) {
	const application = (i) => ({
		id: `app_${seed}_${i}`,
		job: { id: 1000 + i, title: 'Senior Backend Engineer', status: 'open', office: 'Prague' },
		stage: { id: 77, name: 'Technical interview' },
		previous_stage: { id: 76, name: 'Phone screen' },
		source: { id: 3, public_name: 'LinkedIn' },
		attachments: [
			{ filename: 'cv.pdf', url: 'https://files.example.com/cv/abc.pdf', type: 'resume' },
		],
		answers: [
			{ question: 'Notice period', answer: 'Three months' },
			{ question: 'Salary expectation', answer: '90,000 EUR' },
		],
		applied_at: '2026-11-01T10:00:00.000Z',
	});
	const body = {
		type: 'application.stage_changed',
		timestamp: '2026-11-21T09:30:00.000Z',
		data: {
			id: `cand_${seed}`,
			first_name: 'Ada',
			last_name: 'Lovelace',
			email: 'ada.lovelace@example.com',
			phone: '+44 20 7946 0958',
			tags: ['backend', 'referral'],
			applications: [],
		},
	};
	// Grow with whole applications until the next one would pass the target, then pad the last tag.
	let i = 0;
	let size = JSON.stringify(body).length;
	const perApplication = JSON.stringify(application(0)).length + 1;
	while (size + perApplication <= targetBytes) {
		body.data.applications.push(application(i++));
		size += perApplication;
	}
	const text = JSON.stringify(body);
	body.data.tags.push('x'.repeat(Math.max(0, targetBytes - text.length - 4)));
	return Buffer.from(JSON.stringify(body));
}

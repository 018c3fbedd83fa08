import { AshbyTrigger } from '../../nodes/Ashby/AshbyTrigger.node';
import { LeverTrigger } from '../../nodes/Lever/LeverTrigger.node';
import { SmartRecruitersTrigger } from '../../nodes/SmartRecruiters/SmartRecruitersTrigger.node';
import { WorkableTrigger } from '../../nodes/Workable/WorkableTrigger.node';
import { isManualRegistration, webhookRegistration } from '../../nodes/shared/registration';
import { sharedDedupCredential } from '../../nodes/shared/triggerDescription';

/** The one "Webhook Registration: automatic | manual" factory (nodes/shared/registration.ts). */
describe('webhookRegistration', () => {
	const spec = {
		apiCredential: 'vendorApi',
		api: { name: 'Automatic', description: 'a', notice: 'API key needs X' },
		manual: { name: 'Manual', description: 'm' },
	};

	it('shows the API credential with automatic and the signing secret with manual registration', () => {
		const { credentials, properties } = webhookRegistration(spec);
		expect(credentials).toEqual([
			{ name: 'vendorApi', required: true, displayOptions: { show: { registration: ['api'] } } },
			{
				name: 'atsWebhookSigningSecretApi',
				required: true,
				displayOptions: { show: { registration: ['manual'] } },
			},
			sharedDedupCredential,
		]);
		expect(properties.map((p) => p.name)).toEqual(['registration', 'apiNotice']);
		expect(properties[0]).toMatchObject({
			type: 'options',
			default: 'api',
			options: [{ value: 'api' }, { value: 'manual' }],
		});
		expect(properties[1]).toMatchObject({
			type: 'notice',
			displayName: 'API key needs X',
			displayOptions: { show: { registration: ['api'] } },
		});
	});

	it('one credential, always shown, when the vendor signs with the API credential', () => {
		expect(webhookRegistration({ ...spec, manualCredential: 'vendorApi' }).credentials).toEqual([
			{ name: 'vendorApi', required: true },
			sharedDedupCredential,
		]);
	});

	it('reads the choice; a node saved before the parameter existed is automatic', () => {
		expect(isManualRegistration({ getNodeParameter: () => 'manual' })).toBe(true);
		expect(isManualRegistration({ getNodeParameter: (_name, fallback) => fallback })).toBe(false);
	});

	it('every trigger with a registration API uses it: same parameter, same values', () => {
		for (const node of [
			new AshbyTrigger(),
			new LeverTrigger(),
			new SmartRecruitersTrigger(),
			new WorkableTrigger(),
		]) {
			const registration = node.description.properties.find((p) => p.name === 'registration');
			expect(registration).toMatchObject({
				default: 'api',
				options: [{ value: 'api' }, { value: 'manual' }],
			});
		}
	});
});

import {
	checkTarget,
	classifyAddress,
	classifyHostname,
	displayUrl,
	parseIPv6,
	type Resolver,
} from '../../nodes/core/delivery/address';

/**
 * Outbound address policy (CONTRIBUTING.md "Outbound delivery", after Convoy's `blockMetadataEndpoints`
 * and Svix's `is_allowed_test`): metadata and link-local always refused, in every IPv6 encoding;
 * private ranges only with the option.
 */
const kind = (address: string) => classifyAddress(address)?.kind;

describe('classifyAddress', () => {
	it.each([
		['169.254.169.254', 'blocked'],
		['169.254.170.2', 'blocked'],
		['169.254.0.1', 'blocked'],
		['100.100.100.200', 'blocked'],
		['168.63.129.16', 'blocked'],
		['224.0.0.1', 'blocked'],
		['239.255.255.250', 'blocked'],
		['255.255.255.255', 'blocked'],
		['127.0.0.1', 'private'],
		['127.8.9.10', 'private'],
		['0.0.0.0', 'private'],
		['10.1.2.3', 'private'],
		['172.16.0.1', 'private'],
		['172.31.255.255', 'private'],
		['192.168.1.10', 'private'],
		['100.64.0.1', 'private'],
		['198.18.0.1', 'private'],
		['192.0.2.5', 'private'],
		['240.0.0.1', 'private'],
		['172.32.0.1', 'public'],
		['100.128.0.1', 'public'],
		['169.253.255.255', 'public'],
		['8.8.8.8', 'public'],
		['93.184.216.34', 'public'],
	])('IPv4 %s is %s', (address, expected) => {
		expect(kind(address)).toBe(expected);
	});

	it.each([
		['fe80::1', 'blocked'],
		['fe80::1%eth0', 'blocked'],
		['febf:ffff::1', 'blocked'],
		['fd00:ec2::254', 'blocked'],
		['ff02::1', 'blocked'],
		['::ffff:169.254.169.254', 'blocked'],
		['::ffff:a9fe:a9fe', 'blocked'],
		['[::ffff:a9fe:a9fe]', 'blocked'],
		['::169.254.169.254', 'blocked'],
		['64:ff9b::a9fe:a9fe', 'blocked'],
		['64:ff9b:1::a9fe:a9fe', 'blocked'],
		['2002:a9fe:a9fe::1', 'blocked'],
		// Teredo carries the client IPv4 inverted: 169.254.169.254 ^ 255 = 86.1.86.1.
		['2001:0:4136:e378:8000:63bf:5601:5601', 'blocked'],
		['::1', 'private'],
		['::', 'private'],
		['fd12:3456::1', 'private'],
		['fc00::1', 'private'],
		['fec0::1', 'private'],
		['::ffff:127.0.0.1', 'private'],
		['::ffff:10.0.0.1', 'private'],
		['2002:0a00:0001::1', 'private'],
		['2001:db8::1', 'private'],
		['fd00:ec2::253', 'private'],
		['2606:4700:4700::1111', 'public'],
		['::ffff:8.8.8.8', 'public'],
		['2002:0808:0808::1', 'public'],
	])('IPv6 %s is %s', (address, expected) => {
		expect(kind(address)).toBe(expected);
	});

	it('is undefined for names', () => {
		expect(classifyAddress('example.com')).toBeUndefined();
	});

	it('parses IPv6 with an IPv4 tail and zero compression', () => {
		expect(parseIPv6('::ffff:1.2.3.4')).toEqual([
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4,
		]);
		expect(parseIPv6('1::2')).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
		expect(parseIPv6('not:an:address')).toBeUndefined();
	});

	it('knows metadata host names and localhost', () => {
		expect(classifyHostname('metadata.google.internal.')?.kind).toBe('blocked');
		expect(classifyHostname('METADATA')?.kind).toBe('blocked');
		expect(classifyHostname('api.localhost')?.kind).toBe('private');
		expect(classifyHostname('example.com')).toBeUndefined();
	});
});

describe('checkTarget', () => {
	const open = { blockPrivateNetworks: false, requireHttps: false };
	const strict = { blockPrivateNetworks: true, requireHttps: false };
	const noDns: Resolver = async () => {
		throw new Error('the resolver must not be asked for IP literals');
	};
	const table =
		(answers: Record<string, string[]>): Resolver =>
		async (host) => {
			if (!(host in answers)) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
			return answers[host];
		};

	it.each([
		'http://169.254.169.254/latest/meta-data/',
		'http://2852039166/',
		'http://0xA9FEA9FE/',
		'http://0251.0376.0251.0376/',
		'http://[::ffff:169.254.169.254]/',
		'http://[fd00:ec2::254]/',
		'http://[fe80::1]/hook',
		'http://metadata.google.internal/computeMetadata/v1/',
	])('refuses %s without resolving or connecting', async (url) => {
		const result = await checkTarget(url, open, noDns);
		expect(result).toMatchObject({ ok: false, reason: 'blocked_address' });
	});

	it('allows loopback and private targets by default, refuses them with the option', async () => {
		expect(await checkTarget('http://127.0.0.1:5678/webhook/x/webhook', open, noDns)).toMatchObject(
			{ ok: true, addresses: ['127.0.0.1'] },
		);
		expect(await checkTarget('http://10.0.0.8/hr', open, noDns)).toMatchObject({ ok: true });
		expect(await checkTarget('http://127.0.0.1:5678/', strict, noDns)).toMatchObject({
			ok: false,
			reason: 'blocked_address',
		});
		expect(await checkTarget('http://localhost/', strict, noDns)).toMatchObject({
			ok: false,
			reason: 'blocked_address',
		});
	});

	it('checks every resolved address: one metadata record is enough to refuse', async () => {
		const resolve = table({
			'rebind.example': ['93.184.216.34', '169.254.169.254'],
			'hr.example': ['93.184.216.34', '2606:4700::1'],
		});
		const refused = await checkTarget('https://rebind.example/hook', open, resolve);
		expect(refused).toMatchObject({ ok: false, reason: 'blocked_address' });
		if (!refused.ok)
			expect(refused.message).toContain('rebind.example resolves to 169.254.169.254');
		expect(await checkTarget('https://hr.example/hook', strict, resolve)).toMatchObject({
			ok: true,
			resolved: true,
		});
	});

	it('refuses a name resolving to a private address only with the option', async () => {
		const resolve = table({ 'intranet.example': ['10.2.3.4'] });
		expect(await checkTarget('http://intranet.example/', open, resolve)).toMatchObject({
			ok: true,
		});
		expect(await checkTarget('http://intranet.example/', strict, resolve)).toMatchObject({
			ok: false,
			reason: 'blocked_address',
		});
	});

	it('leaves a name that does not resolve here to n8n (and its proxy)', async () => {
		expect(
			await checkTarget('https://only-the-proxy-knows.example/', open, table({})),
		).toMatchObject({ ok: true, resolved: false, addresses: [] });
	});

	it('refuses other schemes, bad URLs, and http when HTTPS is required', async () => {
		expect(await checkTarget('ftp://example.com/', open, noDns)).toMatchObject({
			ok: false,
			reason: 'unsupported_protocol',
		});
		expect(await checkTarget('file:///etc/passwd', open, noDns)).toMatchObject({
			ok: false,
			reason: 'unsupported_protocol',
		});
		expect(await checkTarget('not a url', open, noDns)).toMatchObject({
			ok: false,
			reason: 'invalid_url',
		});
		expect(
			await checkTarget(
				'http://93.184.216.34/',
				{ blockPrivateNetworks: false, requireHttps: true },
				noDns,
			),
		).toMatchObject({
			ok: false,
			reason: 'https_required',
		});
	});

	it('shows URLs without credentials or query', () => {
		expect(displayUrl('https://user:pa55@hr.example:8443/in/hook?token=abc#x')).toBe(
			'https://hr.example:8443/in/hook',
		);
	});
});

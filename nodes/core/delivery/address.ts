import { lookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Where an outbound request may go (CONTRIBUTING.md "Outbound delivery"). This is a pre-check on
 * top of n8n's own SSRF guard (N8N_SSRF_PROTECTION_ENABLED, off by default), which is the only
 * layer that also checks at connect time and so closes the DNS-rebinding window.
 *
 * - `blocked`: never a webhook target. Cloud metadata, link-local (IPv4 169.254/16, IPv6
 *   fe80::/10), AWS IMDS over IPv6 (fd00:ec2::254), multicast, broadcast, in any encoding that
 *   carries an IPv4 address inside IPv6 (mapped, compatible, NAT64, 6to4, Teredo).
 * - `private`: loopback, RFC 1918, CGNAT, unique-local IPv6, reserved and documentation ranges.
 *   Refused only when the user asks (self-hosted users export to internal HR systems).
 * - `public`: everything else.
 */
export type AddressClass = { kind: 'public' } | { kind: 'private' | 'blocked'; range: string };

interface Range4 {
	base: number;
	bits: number;
	kind: 'private' | 'blocked';
	range: string;
}

const v4 = (text: string): number =>
	text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
const r4 = (cidr: string, kind: 'private' | 'blocked', range: string): Range4 => {
	const [base, bits] = cidr.split('/');
	return { base: v4(base), bits: Number(bits), kind, range };
};

/** Most specific first: the metadata hosts sit inside wider ranges. */
const IPV4_RANGES: Range4[] = [
	r4('169.254.169.254/32', 'blocked', 'cloud metadata (AWS, GCP, Azure, OCI, DigitalOcean)'),
	r4('169.254.170.2/32', 'blocked', 'cloud metadata (AWS ECS task credentials)'),
	r4('100.100.100.200/32', 'blocked', 'cloud metadata (Alibaba Cloud)'),
	r4('168.63.129.16/32', 'blocked', 'cloud platform endpoint (Azure WireServer)'),
	r4('169.254.0.0/16', 'blocked', 'link-local'),
	r4('224.0.0.0/4', 'blocked', 'multicast'),
	r4('255.255.255.255/32', 'blocked', 'broadcast'),
	r4('0.0.0.0/8', 'private', 'this host ("0.0.0.0" reaches the local machine)'),
	r4('127.0.0.0/8', 'private', 'loopback'),
	r4('10.0.0.0/8', 'private', 'private network (RFC 1918)'),
	r4('172.16.0.0/12', 'private', 'private network (RFC 1918)'),
	r4('192.168.0.0/16', 'private', 'private network (RFC 1918)'),
	r4('100.64.0.0/10', 'private', 'carrier-grade NAT (RFC 6598)'),
	r4('192.0.0.0/24', 'private', 'IETF protocol assignments'),
	r4('192.0.2.0/24', 'private', 'documentation (TEST-NET-1)'),
	r4('198.51.100.0/24', 'private', 'documentation (TEST-NET-2)'),
	r4('203.0.113.0/24', 'private', 'documentation (TEST-NET-3)'),
	r4('198.18.0.0/15', 'private', 'benchmarking (RFC 2544)'),
	r4('240.0.0.0/4', 'private', 'reserved (class E)'),
];

function inRange4(address: number, range: Range4): boolean {
	if (range.bits === 0) return true;
	const size = 2 ** (32 - range.bits);
	return Math.floor(address / size) === Math.floor(range.base / size);
}

export function classifyIPv4(text: string): AddressClass {
	const value = v4(text);
	for (const range of IPV4_RANGES) {
		if (inRange4(value, range)) return { kind: range.kind, range: range.range };
	}
	return { kind: 'public' };
}

/** 16 bytes of an IPv6 address (zone id dropped, dotted IPv4 tail accepted); undefined if invalid. */
export function parseIPv6(text: string): number[] | undefined {
	let s = text.trim();
	if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
	const zone = s.indexOf('%');
	if (zone >= 0) s = s.slice(0, zone);
	if (!isIPv6(s)) return undefined;
	const tailStart = s.lastIndexOf(':') + 1;
	const tail = s.slice(tailStart);
	if (tail.includes('.')) {
		const value = v4(tail);
		s = `${s.slice(0, tailStart)}${Math.floor(value / 65536).toString(16)}:${(value % 65536).toString(16)}`;
	}
	const [head, rest] = s.includes('::') ? s.split('::') : [s, undefined];
	const headGroups = head ? head.split(':') : [];
	const restGroups = rest ? rest.split(':') : [];
	const missing = 8 - headGroups.length - restGroups.length;
	const groups =
		rest === undefined
			? headGroups
			: [...headGroups, ...Array<string>(missing).fill('0'), ...restGroups];
	if (groups.length !== 8) return undefined;
	const bytes: number[] = [];
	for (const group of groups) {
		const n = parseInt(group, 16);
		bytes.push(n >> 8, n & 0xff);
	}
	return bytes;
}

const dotted = (b: number[]): string => b.join('.');
const allZero = (b: number[]): boolean => b.every((x) => x === 0);

export function classifyIPv6(text: string): AddressClass {
	const b = parseIPv6(text);
	if (!b) return { kind: 'blocked', range: 'unparsable IPv6 address' };
	const first10 = b.slice(0, 10);

	// IPv4 carried inside IPv6: the IPv4 address decides.
	if (allZero(first10) && b[10] === 0xff && b[11] === 0xff)
		return embedded(dotted(b.slice(12)), 'IPv4-mapped');
	if (allZero(b.slice(0, 15)) && b[15] === 1) return { kind: 'private', range: 'loopback' };
	if (allZero(b)) return { kind: 'private', range: 'unspecified address (::)' };
	if (allZero(b.slice(0, 12))) return embedded(dotted(b.slice(12)), 'IPv4-compatible');
	if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && allZero(b.slice(4, 12))) {
		return embedded(dotted(b.slice(12)), 'NAT64');
	}
	if (
		b[0] === 0x00 &&
		b[1] === 0x64 &&
		b[2] === 0xff &&
		b[3] === 0x9b &&
		b[4] === 0x00 &&
		b[5] === 0x01
	) {
		return embedded(dotted(b.slice(12)), 'local NAT64');
	}
	if (b[0] === 0x20 && b[1] === 0x02) return embedded(dotted(b.slice(2, 6)), '6to4');
	if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00) {
		return embedded(dotted(b.slice(12).map((x) => x ^ 0xff)), 'Teredo');
	}

	// AWS IMDS over IPv6 sits inside the unique-local range: check it first.
	const imds = parseIPv6('fd00:ec2::254') as number[];
	if (b.every((x, i) => x === imds[i]))
		return { kind: 'blocked', range: 'cloud metadata (AWS IMDS, IPv6)' };
	if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80)
		return { kind: 'blocked', range: 'link-local (fe80::/10)' };
	if (b[0] === 0xff) return { kind: 'blocked', range: 'multicast (ff00::/8)' };
	if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0)
		return { kind: 'private', range: 'site-local (fec0::/10)' };
	if ((b[0] & 0xfe) === 0xfc) return { kind: 'private', range: 'unique-local (fc00::/7)' };
	if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8)
		return { kind: 'private', range: 'documentation (2001:db8::/32)' };
	if (b[0] === 0x01 && allZero(b.slice(1, 8)))
		return { kind: 'private', range: 'discard-only (100::/64)' };
	return { kind: 'public' };
}

function embedded(ipv4: string, encoding: string): AddressClass {
	const inner = classifyIPv4(ipv4);
	return inner.kind === 'public'
		? inner
		: { kind: inner.kind, range: `${inner.range}, as ${encoding} IPv6` };
}

/** Any IP literal; undefined when the text is not an IP address. */
export function classifyAddress(text: string): AddressClass | undefined {
	const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
	if (isIPv4(bare)) return classifyIPv4(bare);
	const zoneless = bare.includes('%') ? bare.slice(0, bare.indexOf('%')) : bare;
	if (isIPv6(zoneless)) return classifyIPv6(zoneless);
	return undefined;
}

/** Names that reach metadata services without going through DNS we can see. */
const BLOCKED_NAMES = new Set([
	'metadata',
	'metadata.google.internal',
	'metadata.goog',
	'instance-data',
	'instance-data.ec2.internal',
]);

export function classifyHostname(hostname: string): AddressClass | undefined {
	const name = hostname.toLowerCase().replace(/\.$/, '');
	if (BLOCKED_NAMES.has(name)) return { kind: 'blocked', range: 'cloud metadata host name' };
	if (name === 'localhost' || name.endsWith('.localhost'))
		return { kind: 'private', range: 'loopback (localhost)' };
	return undefined;
}

export interface TargetPolicy {
	/** Refuse private, loopback and reserved ranges too (metadata and link-local are always refused). */
	blockPrivateNetworks: boolean;
	/** Refuse plain http:// URLs. */
	requireHttps: boolean;
}

export type Resolver = (hostname: string) => Promise<string[]>;

/** Every address the system resolver returns for a name (A and AAAA), as the request would use. */
export const systemResolver: Resolver = async (hostname) =>
	(await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export type TargetCheck =
	| { ok: true; url: URL; addresses: string[]; resolved: boolean }
	| {
			ok: false;
			reason: 'invalid_url' | 'unsupported_protocol' | 'https_required' | 'blocked_address';
			message: string;
	  };

type RefusedClass = Exclude<AddressClass, { kind: 'public' }>;

/** The class when the policy refuses it, else undefined. */
export function refusal(
	cls: AddressClass,
	policy: Pick<TargetPolicy, 'blockPrivateNetworks'>,
): RefusedClass | undefined {
	if (cls.kind === 'public') return undefined;
	if (cls.kind === 'private' && !policy.blockPrivateNetworks) return undefined;
	return cls;
}

function refuse(address: string, cls: RefusedClass, via: string): TargetCheck {
	const why =
		cls.kind === 'blocked'
			? 'this range is never allowed'
			: 'the "Block Private Networks" option is on';
	return {
		ok: false,
		reason: 'blocked_address',
		message: `Refused before connecting: ${via}${address} is ${cls.range}; ${why}.`,
	};
}

/**
 * Check a URL before any connection: scheme, then the literal address or every address the name
 * resolves to (one bad record is enough to refuse). When the name does not resolve here (e.g. only
 * an outbound proxy can resolve it) the request is left to n8n and the proxy: `resolved: false`.
 */
export async function checkTarget(
	rawUrl: string,
	policy: TargetPolicy,
	resolve: Resolver,
): Promise<TargetCheck> {
	let url: URL;
	try {
		url = new URL(rawUrl.trim());
	} catch {
		return {
			ok: false,
			reason: 'invalid_url',
			message: 'The URL is not valid; use a full address such as https://example.com/webhook.',
		};
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return {
			ok: false,
			reason: 'unsupported_protocol',
			message: `Only http and https URLs are allowed, not ${url.protocol}`,
		};
	}
	if (policy.requireHttps && url.protocol !== 'https:') {
		return {
			ok: false,
			reason: 'https_required',
			message: 'The URL uses plain http but "Require HTTPS" is on.',
		};
	}
	// The WHATWG parser has already turned decimal, hex and octal IPv4 forms into dotted quads.
	const host = url.hostname;
	const literal = classifyAddress(host);
	if (literal) {
		const refused = refusal(literal, policy);
		return refused
			? refuse(host, refused, '')
			: { ok: true, url, addresses: [host], resolved: true };
	}

	const named = classifyHostname(host);
	const namedRefusal = named && refusal(named, policy);
	if (namedRefusal) return refuse(host, namedRefusal, '');

	let addresses: string[];
	try {
		addresses = await resolve(host);
	} catch {
		return { ok: true, url, addresses: [], resolved: false };
	}
	for (const address of addresses) {
		const refused = refusal(
			classifyAddress(address) ?? { kind: 'blocked', range: 'not an IP address' },
			policy,
		);
		if (refused) return refuse(address, refused, `${host} resolves to `);
	}
	return { ok: true, url, addresses, resolved: true };
}

/** The URL as it may appear in outputs and errors: no user info, no query (tokens live there). */
export function displayUrl(url: URL | string): string {
	try {
		const u = typeof url === 'string' ? new URL(url) : url;
		return `${u.protocol}//${u.host}${u.pathname}`;
	} catch {
		return '(invalid URL)';
	}
}

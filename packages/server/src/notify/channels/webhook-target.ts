import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Address ranges a webhook may not reach unless the operator lists them (a keyword or a CIDR). */
type Range = 'loopback' | 'link-local' | 'private' | 'non-routable';

const RANGES: Array<[Range, string, number, 'ipv4' | 'ipv6']> = [
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  // Includes 169.254.169.254, the cloud metadata service.
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', '100.64.0.0', 10, 'ipv4'],
  ['private', 'fc00::', 7, 'ipv6'],
  // 0.0.0.0 reaches this host on Linux; multicast, reserved and broadcast are no web servers.
  ['non-routable', '0.0.0.0', 8, 'ipv4'],
  ['non-routable', '::', 128, 'ipv6'],
  ['non-routable', '224.0.0.0', 4, 'ipv4'],
  ['non-routable', '240.0.0.0', 4, 'ipv4'],
  ['non-routable', 'ff00::', 8, 'ipv6'],
];

const KEYWORDS = new Set(['private', 'loopback', 'link-local', 'none']);

export class WebhookTargetRefused extends Error {}

/**
 * Which addresses webhooks may reach: public ones always; loopback, link-local and private ones
 * only when `allowed` lists their keyword (or a CIDR covering them); non-routable ones only by CIDR.
 */
export class WebhookTargetPolicy {
  private readonly allowedRanges: ReadonlySet<string>;
  private readonly allowedCidrs = new BlockList();
  private readonly ranges = new Map<Range, BlockList>();

  constructor(allowed: readonly string[]) {
    this.allowedRanges = new Set(allowed.filter((entry) => KEYWORDS.has(entry)));
    for (const entry of allowed.filter((e) => !KEYWORDS.has(e))) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address ?? '');
      const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
      if (family === 0 || !(bits <= (family === 4 ? 32 : 128))) throw new Error(`invalid setting "notify.webhookAllowedNetworks": ${JSON.stringify(entry)} is neither private, loopback, link-local, none nor an address or CIDR`);
      this.allowedCidrs.addSubnet(address!, bits, family === 4 ? 'ipv4' : 'ipv6');
    }
    for (const [range, network, prefix, type] of RANGES) {
      if (!this.ranges.has(range)) this.ranges.set(range, new BlockList());
      this.ranges.get(range)!.addSubnet(network, prefix, type);
    }
  }

  /** Why `address` is refused, or null when a webhook may reach it. */
  refusal(address: string): string | null {
    if (this.allowedCidrs.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6')) return null;
    const target = embeddedIpv4(address) ?? address;
    const type = isIP(target) === 4 ? 'ipv4' : 'ipv6';
    if (target !== address && this.allowedCidrs.check(target, type)) return null;
    for (const [range, list] of this.ranges) {
      if (!list.check(target, type)) continue;
      if (range !== 'non-routable' && this.allowedRanges.has(range)) return null;
      return range === 'non-routable' ? 'a non-routable address' : `a ${range} address`;
    }
    return null;
  }

  /**
   * Resolves the host (DNS, not just the text of the URL) and returns the address to connect to,
   * so the check and the connection use the same answer (no DNS rebinding in between).
   */
  async resolve(hostname: string): Promise<{ address: string; family: 4 | 6 }> {
    const host = hostname.replace(/^\[(.*)\]$/, '$1');
    const answers = isIP(host) ? [{ address: host, family: isIP(host) as 4 | 6 }] : ((await lookup(host, { all: true })) as Array<{ address: string; family: 4 | 6 }>);
    const allowed = answers.find((a) => this.refusal(a.address) === null);
    if (allowed) return allowed;
    const reason = answers.length > 0 ? this.refusal(answers[0]!.address) : 'no address';
    throw new WebhookTargetRefused(
      `webhook ${hostname} refused: it resolves to ${reason}, which webhooks may not reach; use a public address, or the operator can allow it with HEADWAY_NOTIFY_WEBHOOK_ALLOWED_NETWORKS`,
    );
  }
}

/**
 * The IPv4 address an IPv6 one carries and leads to: in its last 32 bits for IPv4-mapped
 * (::ffff:0:0/96, in any spelling, ::ffff:7f00:1 as well as ::ffff:127.0.0.1), IPv4-translated
 * (::ffff:0:0:0/96) and NAT64, well-known (64:ff9b::/96) or local-use (64:ff9b:1::/48, RFC 8215),
 * where 64:ff9b::7f00:1 reaches 127.0.0.1 through the translator; in bits 16-47 for 6to4
 * (2002::/16), where 2002:7f00:1:: reaches 127.0.0.1 through a relay; in the last 32 bits with
 * every bit inverted for Teredo (2001::/32, RFC 4380), where 2001:0:…:80ff:fffe reaches the client
 * 127.0.0.1. Null for any other address.
 * Parsed by ipaddr.js (what Fastify uses); only the position of the IPv4 address is ours.
 */
function embeddedIpv4(address: string): string | null {
  if (isIP(address) !== 6) return null;
  const parsed = ipaddr.IPv6.parse(address);
  const bytes = parsed.toByteArray();
  switch (parsed.range()) {
    // A local-use translator may use a prefix shorter than /96 (RFC 6052 puts the IPv4 address
    // around bits 64-71 then); /96 is what DNS64 synthesises, and the only length we can assume.
    case 'ipv4Mapped':
    case 'rfc6145':
    case 'rfc6052':
      return ipaddr.fromByteArray(bytes.slice(12)).toString();
    case '6to4':
      return ipaddr.fromByteArray(bytes.slice(2, 6)).toString();
    case 'teredo':
      return ipaddr.fromByteArray(bytes.slice(12).map((byte) => byte ^ 0xff)).toString();
    default:
      return null;
  }
}

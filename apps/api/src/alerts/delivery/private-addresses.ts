import { type LookupAddress, lookup as dnsLookup } from 'node:dns';
import { BlockList, type LookupFunction, isIP } from 'node:net';

/** Loopback, private, link-local, unique-local, shared, unspecified and mapped ones. */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
// Multicast and the broadcast address: no webhook is there either.
PRIVATE.addSubnet('224.0.0.0', 4, 'ipv4');
PRIVATE.addAddress('255.255.255.255', 'ipv4');
PRIVATE.addAddress('::', 'ipv6');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('fe80::', 10, 'ipv6');
PRIVATE.addSubnet('ff00::', 8, 'ipv6');
// IPv6 forms that carry an IPv4 address, which a gateway may reach: IPv4-compatible (::/96),
// NAT64 (64:ff9b::/96 and the local 64:ff9b:1::/48) and 6to4 (2002::/16). Blocked whole:
// a public IPv4 address is reached as itself.
PRIVATE.addSubnet('::', 96, 'ipv6');
PRIVATE.addSubnet('64:ff9b::', 96, 'ipv6');
PRIVATE.addSubnet('64:ff9b:1::', 48, 'ipv6');
PRIVATE.addSubnet('2002::', 16, 'ipv6');

/** Whether an IP address is one a public webhook has no business resolving to. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  const family = isIP(address);
  return family !== 0 && PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** A webhook's host is, or resolves to, a private address (ALERT_WEBHOOK_DENY_PRIVATE). */
export class PrivateAddressRefused extends Error {
  constructor(host: string, address: string) {
    super(`Refused: ${host} is a private address (${address}); ALERT_WEBHOOK_DENY_PRIVATE is set`);
    this.name = 'PrivateAddressRefused';
  }
}

/** Resolves a host name to every address it has now (dns.lookup, as connections do). */
export type Resolve = (
  hostname: string,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolve: Resolve = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

/**
 * A `lookup` for the connection itself (net.connect's option) that refuses a name resolving to
 * a private address: checked on the answer the connection then uses, so a name that changes
 * its answer between a check and the connection (DNS rebinding) gains nothing. A host written
 * as an address is not looked up: `privateLiteral` covers it.
 */
export function publicOnlyLookup(resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (error, found) => {
      if (error) return callback(error, '');
      const addresses = options.family
        ? found.filter(({ family }) => family === options.family)
        : found;
      const denied = addresses.find(({ address }) => isPrivateAddress(address));
      if (denied) return callback(new PrivateAddressRefused(hostname, denied.address), '');
      if (addresses.length === 0) {
        return callback(
          Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }),
          '',
        );
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** The refusal of a URL whose host is written as a private address, or undefined. */
export function privateLiteral(url: string): PrivateAddressRefused | undefined {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) !== 0 && isPrivateAddress(host)
    ? new PrivateAddressRefused(host, host)
    : undefined;
}

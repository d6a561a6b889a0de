import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { OutboundFetchError } from './outbound-fetch.error';
import { isLoopbackAddress, isPublicAddress } from './special-purpose-addresses';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (getaddrinfo, so /etc/hosts applies as it would to a connection). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const resolveAll: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/**
 * The address to connect to, once every address of the host has been vetted (CIMD draft §8.6). All, not one:
 * a name with one public and one private address would otherwise reach the private one on a retry. The caller
 * connects to exactly this address, so a second DNS answer (rebinding) never comes into play.
 */
export async function vetHost(
  hostname: string,
  allowLoopback: boolean,
  resolve: HostResolver = resolveAll,
): Promise<ResolvedAddress> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  if (isIP(bare) !== 0) {
    addresses = [{ address: bare, family: isIP(bare) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(bare);
    } catch {
      throw new OutboundFetchError(`${bare} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new OutboundFetchError(`${bare} does not resolve`);
  const refused = addresses.find(
    ({ address }) => !isPublicAddress(address) && !(allowLoopback && isLoopbackAddress(address)),
  );
  if (refused) throw new OutboundFetchError(`${bare} resolves to a non-public address (${refused.address})`);
  return addresses[0];
}

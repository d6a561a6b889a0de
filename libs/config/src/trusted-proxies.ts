import proxyAddr from 'proxy-addr';
import { splitList } from './validate-config';

/** Whether a directly connected peer (an IP address as the socket reports it) is a trusted proxy. */
export type TrustedProxyCheck = (address: string, hop: number) => boolean;

/**
 * A trusted-proxy variable read the way Express reads `trust proxy` (proxy-addr is its parser): comma-separated
 * `loopback`, `linklocal`, `uniquelocal`, IP addresses and CIDR ranges (or address/netmask). Checked entry by
 * entry at boot so a typo is a config error naming the variable and the entry; empty means trust nobody.
 */
export function parseTrustedProxies(variable: string, value: string): string[] {
  const entries = splitList(value);
  for (const entry of entries) {
    try {
      proxyAddr.compile(entry);
    } catch {
      throw new Error(
        `${variable}: ${JSON.stringify(entry)} is not an IP address, a CIDR range, loopback, linklocal or uniquelocal`,
      );
    }
  }
  return entries;
}

/** The check for a list parseTrustedProxies accepted; also what Express's `trust proxy` setting takes. */
export function trustedProxyCheck(entries: readonly string[]): TrustedProxyCheck {
  return proxyAddr.compile([...entries]);
}

import { fail, pass, type DoctorCheck } from '../doctor-context';

/** Loopback names and addresses, where plain http is acceptable (RFC 8252 §8.3; OAuth 2.1 §1.5). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** OAuth over plain http is refused by clients, except towards this computer. */
export const transportSecurityCheck: DoctorCheck = {
  id: 'tls',
  title: 'HTTPS (or loopback)',
  async run({ mcpUrl }) {
    if (mcpUrl.protocol === 'https:') return pass('https');
    if (isLoopbackHost(mcpUrl.hostname))
      return pass('plain http on a loopback host, which local clients accept');
    return fail(
      `${mcpUrl.origin} is plain http on a host other clients reach over the network`,
      'Put a TLS-terminating proxy in front of the gateway, then set PUBLIC_URL to the https URL and ' +
        'GATEWAY_TRUSTED_PROXIES to that proxy: clients refuse OAuth over plain http except on loopback.',
    );
  },
};

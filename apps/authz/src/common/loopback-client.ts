import type { Request } from 'express';
import { trustedProxyCheck } from '@app/config';

const isLoopbackAddress = trustedProxyCheck(['loopback']);

/**
 * Whether the client (as the gateway saw it: `req.ip` follows X-Forwarded-For only from AUTHZ_TRUST_PROXY peers)
 * is on this machine. Development conveniences that hand out identities without a password (dev tokens,
 * auto-login) answer only such clients, so a stack exposed on a network by mistake gives nothing away.
 */
export function isLoopbackClient(req: Request): boolean {
  const ip = req.ip;
  return ip !== undefined && isLoopbackAddress(ip, 0);
}

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { trustedProxyCheck, type TrustedProxyCheck } from '@app/config';

/** Headers a client could use to lie about where it came from; only a trusted proxy may set them. */
const SPOOFABLE = ['forwarded', 'x-forwarded-port', 'x-forwarded-prefix', 'x-real-ip'] as const;

function plainAddress(address: string): string {
  // A dual-stack listener reports IPv4 peers as IPv4-mapped IPv6 ("::ffff:127.0.0.1").
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * Sets X-Forwarded-For/-Proto/-Host from the connection the gateway sees. A client's own values are
 * replaced, unless its immediate peer is a configured trusted proxy: then they are kept and the peer is
 * appended to X-Forwarded-For. authz and mcp build the issuer and resource URLs from these headers, which
 * clients compare byte for byte (RFC 8414 §3.3, RFC 9728 §3.3), so only the gateway's view may count.
 */
export class ForwardedHeaders {
  private readonly trusted: TrustedProxyCheck;

  /** `trustedProxies` as parseTrustedProxies accepted them (GATEWAY_TRUSTED_PROXIES). */
  constructor(trustedProxies: readonly string[]) {
    this.trusted = trustedProxyCheck(trustedProxies);
  }

  /** Whether the directly connected peer may speak for the client; `hop` 0, as Express asks of its peer. */
  isTrusted(peer: string): boolean {
    return peer !== '' && this.trusted(peer, 0);
  }

  apply(req: IncomingMessage): void {
    const headers = req.headers;
    const peer = plainAddress(req.socket.remoteAddress ?? '');
    const proto = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
    if (this.isTrusted(peer)) {
      const prior = headers['x-forwarded-for'];
      headers['x-forwarded-for'] = prior ? `${prior}, ${peer}` : peer;
      headers['x-forwarded-proto'] ??= proto;
      if (headers['x-forwarded-host'] === undefined && headers.host !== undefined) {
        headers['x-forwarded-host'] = headers.host;
      }
      return;
    }
    headers['x-forwarded-for'] = peer;
    headers['x-forwarded-proto'] = proto;
    if (headers.host !== undefined) headers['x-forwarded-host'] = headers.host;
    else delete headers['x-forwarded-host'];
    for (const name of SPOOFABLE) {
      if (headers[name] !== undefined) delete headers[name];
    }
  }
}

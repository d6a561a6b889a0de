import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { ALL_MCP_SCOPES } from '@app/scopes';

export interface SigningKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  publicJwk: JWK;
  publicPem: string;
}

export interface TokenOptions {
  base: string;
  sub?: string;
  clientId?: string;
  scope?: string;
  jti?: string;
  expiresIn?: number;
  iss?: string;
  aud?: string | string[];
  typ?: string;
  key?: SigningKey;
  kid?: string;
}

/**
 * Plays authz for the mcp app: serves a JWKS that can be rotated and `/internal/token-status` backed by a
 * revocation set, and signs RFC 9068 access tokens like authz does.
 */
export class FakeAuthz {
  readonly keys: SigningKey[] = [];
  readonly revoked = new Set<string>();
  /** When true, token-status answers 500 (authz "down" for revocation checks). */
  statusBroken = false;
  /** When set, the JWKS endpoint answers with this status and a body that is not a key set. */
  jwksBrokenStatus?: number;
  jwksFetches = 0;
  private server!: Server;
  url = '';
  private counter = 0;

  static async start(): Promise<FakeAuthz> {
    const authz = new FakeAuthz();
    await authz.addKey();
    authz.server = createServer((req, res) => authz.handle(req.url ?? '', res));
    await new Promise<void>((resolve) => authz.server.listen(0, '127.0.0.1', resolve));
    authz.url = `http://127.0.0.1:${(authz.server.address() as AddressInfo).port}`;
    return authz;
  }

  /** Publishes a new key next to the existing ones (authz key rotation). */
  async addKey(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = `test-key-${this.keys.length + 1}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    const key = { kid, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
    this.keys.push(key);
    return key;
  }

  async token(options: TokenOptions): Promise<string> {
    const key = options.key ?? this.keys[0];
    const jti = options.jti ?? `jti-${++this.counter}`;
    return new SignJWT({
      client_id: options.clientId ?? 'test-client',
      scope: options.scope ?? ALL_MCP_SCOPES.join(' '),
    })
      .setProtectedHeader({ alg: 'RS256', typ: options.typ ?? 'at+jwt', kid: options.kid ?? key.kid })
      .setIssuer(options.iss ?? options.base)
      .setAudience(options.aud ?? `${options.base}/mcp`)
      .setSubject(options.sub ?? 'alice')
      .setJti(jti)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresIn ?? 300))
      .sign(key.privateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(url: string, res: import('node:http').ServerResponse): void {
    const parsed = new URL(url, 'http://authz');
    res.setHeader('Content-Type', 'application/json');
    if (parsed.pathname === '/.well-known/jwks.json' && this.jwksBrokenStatus !== undefined) {
      res.statusCode = this.jwksBrokenStatus;
      res.end('{"not":"a key set"}');
    } else if (parsed.pathname === '/.well-known/jwks.json') {
      this.jwksFetches++;
      res.end(JSON.stringify({ keys: this.keys.map((key) => key.publicJwk) }));
    } else if (parsed.pathname === '/internal/token-status' && !this.statusBroken) {
      res.end(JSON.stringify({ revoked: this.revoked.has(parsed.searchParams.get('jti') ?? '') }));
    } else {
      res.statusCode = this.statusBroken ? 500 : 404;
      res.end(JSON.stringify({ error: 'not_found' }));
    }
  }
}

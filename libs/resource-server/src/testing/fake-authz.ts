import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT, type JWK } from 'jose';
import { ALL_MCP_SCOPES } from '@app/scopes';
import {
  GRANT_STATUS_PATH_PREFIX,
  REVOCATION_STREAM_PATH,
  type GrantState,
  type RevocationEvent,
} from '../revocation-event';

export interface FakeSigningKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  publicJwk: JWK;
  publicPem: string;
}

export interface FakeTokenOptions {
  /** The issuer; the audience defaults to `${base}/mcp`. */
  base: string;
  sub?: string;
  clientId?: string;
  scope?: string;
  jti?: string;
  /** Registered as active unless the test set it otherwise; default `grant-default`. */
  grantId?: string;
  expiresIn?: number;
  iss?: string;
  aud?: string | string[];
  typ?: string;
  alg?: string;
  key?: FakeSigningKey;
  kid?: string;
  /** Extra or replaced claims (undefined removes one). */
  claims?: Record<string, unknown>;
}

/**
 * Plays authz for a resource server on an ephemeral port, speaking the real wire format: a rotatable JWKS,
 * `GET /internal/grants/{id}` and the revocation stream. Switches break each part on purpose.
 */
export class FakeAuthz {
  readonly keys: FakeSigningKey[] = [];
  readonly grants = new Map<string, GrantState>();
  readonly streams = new Set<ServerResponse>();
  epoch: string = randomUUID();
  url = '';
  /** Sent in the stream's hello; a stream without a line for 3 of them is dropped by the resource server. */
  heartbeatMs = 5_000;
  /** No heartbeats: the streams stay open but silent (a half-open connection). */
  silent = false;
  /** New streams are refused with 503 (existing ones: cutStreams). */
  streamRefused = false;
  grantStatusBroken = false;
  /** Grant status answers are computed on arrival and sent this much later (an answer in flight). */
  grantStatusDelayMs = 0;
  /** When set, the JWKS endpoint answers with this status and a body that is not a key set. */
  jwksBrokenStatus?: number;
  jwksFetches = 0;
  grantStatusCalls = 0;
  private server!: Server;
  private heartbeat!: NodeJS.Timeout;
  private counter = 0;
  private keyCounter = 0;

  static async start(): Promise<FakeAuthz> {
    const authz = new FakeAuthz();
    await authz.addKey();
    authz.server = createServer((req, res) => authz.handle(req, res));
    await new Promise<void>((resolve) => authz.server.listen(0, '127.0.0.1', resolve));
    authz.url = `http://127.0.0.1:${(authz.server.address() as AddressInfo).port}`;
    authz.heartbeat = setInterval(() => authz.beat(), 50);
    return authz;
  }

  /** Publishes a new key next to the existing ones (authz key rotation). */
  async addKey(): Promise<FakeSigningKey> {
    const key = await this.generateKey();
    this.keys.push(key);
    return key;
  }

  /** A key not published yet (push it onto `keys` to rotate it in). */
  async generateKey(): Promise<FakeSigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = `test-key-${++this.keyCounter}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return { kid, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
  }

  async token(options: FakeTokenOptions): Promise<string> {
    const key = options.key ?? this.keys[0];
    const grantId = options.grantId ?? 'grant-default';
    if (!this.grants.has(grantId)) this.grants.set(grantId, 'active');
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: options.iss ?? options.base,
      aud: options.aud ?? `${options.base}/mcp`,
      sub: options.sub ?? 'alice',
      client_id: options.clientId ?? 'test-client',
      scope: options.scope ?? ALL_MCP_SCOPES.join(' '),
      jti: options.jti ?? `jti-${++this.counter}`,
      grant_id: grantId,
      iat: now,
      exp: now + (options.expiresIn ?? 300),
      ...options.claims,
    };
    for (const name of Object.keys(claims)) if (claims[name] === undefined) delete claims[name];
    const alg = options.alg ?? 'RS256';
    // Another RSA algorithm with the very same key (PS256, RS512): what an algorithm allow-list must refuse.
    const signingKey =
      alg === 'RS256' ? key.privateKey : await importPKCS8(await exportPKCS8(key.privateKey), alg);
    return new SignJWT(claims)
      .setProtectedHeader({ alg, typ: options.typ ?? 'at+jwt', kid: options.kid ?? key.kid })
      .sign(signingKey);
  }

  /** Revokes a grant and pushes the event to every open stream, as authz does. */
  revoke(grantId: string): void {
    this.grants.set(grantId, 'revoked');
    this.push({ type: 'grant-revoked', grant_id: grantId });
  }

  push(event: RevocationEvent): void {
    for (const res of this.streams) res.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  /** Ends every open stream (the resource servers reconnect). */
  cutStreams(): void {
    for (const res of this.streams) res.destroy();
    this.streams.clear();
  }

  /** An authz restart with a lost store: a new epoch, no grants, every stream cut. */
  restartWithLostStore(): void {
    this.epoch = randomUUID();
    this.grants.clear();
    this.cutStreams();
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.cutStreams();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private lastBeat = 0;
  private beat(): void {
    if (this.silent || Date.now() - this.lastBeat < this.heartbeatMs) return;
    this.lastBeat = Date.now();
    for (const res of this.streams) res.write(': keepalive\n\n');
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (path === REVOCATION_STREAM_PATH) return this.stream(res);
    res.setHeader('Content-Type', 'application/json');
    if (path === '/.well-known/jwks.json') {
      if (this.jwksBrokenStatus !== undefined) {
        res.statusCode = this.jwksBrokenStatus;
        return void res.end('{"not":"a key set"}');
      }
      this.jwksFetches++;
      return void res.end(JSON.stringify({ keys: this.keys.map((key) => key.publicJwk) }));
    }
    if (path.startsWith(GRANT_STATUS_PATH_PREFIX)) {
      this.grantStatusCalls++;
      if (this.grantStatusBroken) {
        res.statusCode = 500;
        return void res.end('{"error":"server_error"}');
      }
      const status = this.grants.get(path.slice(GRANT_STATUS_PATH_PREFIX.length)) ?? 'unknown';
      const answer = () => res.end(JSON.stringify({ status }));
      return void (this.grantStatusDelayMs > 0 ? setTimeout(answer, this.grantStatusDelayMs) : answer());
    }
    res.statusCode = 404;
    res.end('{"error":"not_found"}');
  }

  private stream(res: ServerResponse): void {
    if (this.streamRefused) {
      res.statusCode = 503;
      return void res.end();
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    const hello: RevocationEvent = { type: 'hello', epoch: this.epoch, heartbeat_ms: this.heartbeatMs };
    res.write(`data: ${JSON.stringify(hello)}\n\n`);
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
  }
}

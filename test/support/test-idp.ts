import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type JWK,
} from 'jose';
import Provider from 'oidc-provider';

export interface TestIdpUser {
  /** What the user types into the provider's login form; also their `sub`. */
  login: string;
  email: string;
  emailVerified?: boolean;
  name: string;
  groups?: string[];
}

export type IdTokenTampering = 'expired' | 'unknown-key';

export interface TestIdp {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The next token response carries an ID token re-signed that way. */
  tamperNextIdToken(mode: IdTokenTampering): void;
  /** While down, every connection is dropped unanswered (a crashed or unreachable provider). */
  setDown(down: boolean): void;
  /** Token requests the provider answered, by grant_type. */
  readonly tokenRequests: string[];
  /** The last refresh token the provider handed out. */
  readonly lastRefreshToken: string | undefined;
  /** Revokes a refresh token at the provider (RFC 7009), as an administrator disabling a session would. */
  revoke(token: string): Promise<void>;
  stop(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const readBody = (stream: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

/**
 * A real OpenID Provider (panva's oidc-provider) on an ephemeral loopback port, with one confidential client
 * (the gateway), the given users, and its own development login and consent forms. It is reached through a
 * small pass-through front so a test can alter the ID token the token endpoint returns (re-signed expired, or
 * signed by a key the provider never published) or make the provider vanish.
 */
export async function startTestIdp(options: {
  redirectUris: string[];
  users: TestIdpUser[];
}): Promise<TestIdp> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-idp-key', alg: 'RS256', use: 'sig' };
  const users = new Map(options.users.map((user) => [user.login, user]));

  const front = createServer();
  const frontPort = await listen(front);
  const issuer = `http://127.0.0.1:${frontPort}`;
  const clientId = 'mcp-gateway';
  const clientSecret = 'test-idp-client-secret-0123456789abcdef';

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingJwk] },
    cookies: { keys: ['test-idp-cookie-signing-key'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 600,
      RefreshToken: 86_400,
      IdToken: 600,
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    findAccount: async (_ctx, id) => {
      const user = users.get(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: user.email,
          email_verified: user.emailVerified ?? true,
          name: user.name,
          groups: user.groups ?? [],
        }),
      };
    },
  });
  const callback = provider.callback();
  const inner = createServer((req, res) => void callback(req, res));
  const innerPort = await listen(inner);

  let tampering: IdTokenTampering | undefined;
  let down = false;
  const tokenRequests: string[] = [];
  let lastRefreshToken: string | undefined;

  async function tamper(idToken: string, mode: IdTokenTampering): Promise<string> {
    const header = decodeProtectedHeader(idToken);
    const claims = decodeJwt(idToken);
    const now = Math.floor(Date.now() / 1000);
    const key =
      mode === 'expired' ? await importJWK(signingJwk, 'RS256') : (await generateKeyPair('RS256')).privateKey;
    const payload = mode === 'expired' ? { ...claims, iat: now - 7200, exp: now - 3600 } : claims;
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: header.kid }).sign(key);
  }

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (down) {
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    const isToken = req.method === 'POST' && req.url === '/token';
    if (isToken) tokenRequests.push(new URLSearchParams(body.toString()).get('grant_type') ?? '');
    const upstream = httpRequest(
      { host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => void reply(answer),
    );
    async function reply(answer: IncomingMessage): Promise<void> {
      let payload = await readBody(answer);
      if (isToken && answer.statusCode === 200) {
        const json = JSON.parse(payload.toString()) as Record<string, string>;
        if (json.refresh_token) lastRefreshToken = json.refresh_token;
        if (tampering && json.id_token) {
          json.id_token = await tamper(json.id_token, tampering);
          tampering = undefined;
        }
        payload = Buffer.from(JSON.stringify(json));
      }
      const headers = { ...answer.headers, 'content-length': String(payload.length) };
      delete headers['transfer-encoding'];
      res.writeHead(answer.statusCode ?? 502, headers).end(payload);
    }
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  }
  front.on('request', (req: IncomingMessage, res: ServerResponse) => void forward(req, res));

  return {
    issuer,
    clientId,
    clientSecret,
    tamperNextIdToken: (mode) => {
      tampering = mode;
    },
    setDown: (value) => {
      down = value;
    },
    tokenRequests,
    get lastRefreshToken() {
      return lastRefreshToken;
    },
    async revoke(token) {
      const response = await fetch(`${issuer}/token/revocation`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token, token_type_hint: 'refresh_token' }),
      });
      if (response.status !== 200) throw new Error(`revocation answered ${response.status}`);
    },
    async stop() {
      await close(front);
      await close(inner);
    },
  };
}

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGithubUser {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
  orgs: string[];
}

export interface FakeGithub {
  /** Web origin (the `issuer` of a `github` provider). */
  readonly url: string;
  /** REST API base (`apiUrl`). */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Requests that reached the fake, as `METHOD path`. */
  readonly requests: string[];
  stop(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
  });

/**
 * GitHub's OAuth app flow and the three REST calls the gateway makes, as documented by GitHub (the real one is
 * not reachable from tests): /login/oauth/authorize signs the one user in at once and redirects back with
 * `code` and `state`; /login/oauth/access_token checks the client secret, the redirect URI and PKCE (S256);
 * /user, /user/emails and /user/orgs need the issued token.
 */
export async function startFakeGithub(user: FakeGithubUser): Promise<FakeGithub> {
  const clientId = 'Iv1.fakegithubapp';
  const clientSecret = randomBytes(20).toString('hex');
  const codes = new Map<string, { redirectUri: string; challenge: string }>();
  const tokens = new Set<string>();
  const requests: string[] = [];
  const json = (res: ServerResponse, status: number, body: unknown): void =>
    void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${req.method} ${url.pathname}`);
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const params = url.searchParams;
      if (params.get('client_id') !== clientId || params.get('code_challenge_method') !== 'S256') {
        res.writeHead(400).end('bad authorization request');
        return;
      }
      const code = randomBytes(10).toString('hex');
      codes.set(code, { redirectUri: params.get('redirect_uri')!, challenge: params.get('code_challenge')! });
      const back = new URL(params.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', params.get('state')!);
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const form = new URLSearchParams(await readBody(req));
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      // GitHub answers token errors with 200 and an `error` member.
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret)
        return json(res, 200, { error: 'incorrect_client_credentials' });
      if (!code || code.redirectUri !== form.get('redirect_uri') || code.challenge !== challenge)
        return json(res, 200, { error: 'bad_verification_code' });
      const token = `gho_${randomBytes(16).toString('hex')}`;
      tokens.add(token);
      return json(res, 200, {
        access_token: token,
        token_type: 'bearer',
        scope: 'read:user,user:email,read:org',
      });
    }
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !tokens.has(token)) return json(res, 401, { message: 'Bad credentials' });
    if (url.pathname === '/api/v3/user')
      return json(res, 200, { id: user.id, login: user.login, name: user.name });
    if (url.pathname === '/api/v3/user/emails') return json(res, 200, user.emails);
    if (url.pathname === '/api/v3/user/orgs')
      return json(
        res,
        200,
        user.orgs.map((login) => ({ login })),
      );
    return json(res, 404, { message: 'Not Found' });
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    apiUrl: `${base}/api/v3`,
    clientId,
    clientSecret,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

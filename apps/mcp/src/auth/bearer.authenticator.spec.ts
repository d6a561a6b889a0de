import type { ConfigType } from '@nestjs/config';
import type { ResourceServerAuthenticator, TokenRefusal, VerifiedAccessToken } from '@app/resource-server';
import { loadMcpConfig, type mcpConfig } from '../config/mcp.config';
import type { McpRequest } from '../transport/mcp-request';
import { AuthUnavailableException, BearerChallengeException } from './auth.exceptions';
import { BearerAuthenticator } from './bearer.authenticator';

const VERIFIED: VerifiedAccessToken = Object.freeze({
  kind: 'valid',
  subject: 'alice',
  clientId: 'client-1',
  scopes: Object.freeze(['mcp:tools:read']),
  jti: 'jti-1',
  grantId: 'grant-1',
  issuer: 'http://localhost:3002',
  audience: ['http://localhost:3002/mcp'],
  issuedAt: 1,
  expiresAt: 2_000_000_000,
  claims: {},
});

describe('BearerAuthenticator (the /mcp bearer step)', () => {
  const config = loadMcpConfig({}) as ConfigType<typeof mcpConfig>;
  let answer: VerifiedAccessToken | TokenRefusal;
  const calls: Array<{ token: string; issuer: string; audience: string }> = [];
  const tokens = {
    authenticate: async (token: string, expected: { issuer: string; audience: string }) => {
      calls.push({ token, ...expected });
      return answer;
    },
  } as unknown as ResourceServerAuthenticator;
  const bearer = new BearerAuthenticator(config, tokens);

  const request = (headers: Record<string, string>) =>
    ({ url: '/mcp', headers: { host: 'localhost:3002', ...headers } }) as unknown as McpRequest;

  beforeEach(() => {
    answer = VERIFIED;
    calls.length = 0;
  });

  it("asks for a token of the request's alias, for exactly this resource, and leaves it at req.auth", async () => {
    const req = request({ authorization: 'Bearer abc', 'x-forwarded-host': '127.0.0.1:3002' });
    await bearer.authenticate(req);
    expect(calls).toEqual([
      { token: 'abc', issuer: 'http://127.0.0.1:3002', audience: 'http://127.0.0.1:3002/mcp' },
    ]);
    expect(req.auth).toEqual({
      token: 'abc',
      clientId: 'client-1',
      scopes: ['mcp:tools:read'],
      expiresAt: 2_000_000_000,
      resource: new URL('http://127.0.0.1:3002/mcp'),
      extra: { sub: 'alice', jti: 'jti-1' },
    });
  });

  it('refuses with a Bearer challenge what the header rules refuse, before any verification', async () => {
    await expect(bearer.authenticate(request({}))).rejects.toMatchObject({
      constructor: BearerChallengeException,
      errorCode: undefined,
    });
    await expect(bearer.authenticate(request({ authorization: 'Basic YTpi' }))).rejects.toMatchObject({
      errorCode: 'invalid_request',
    });
    expect(calls).toEqual([]);
  });

  it('turns an invalid token into a 401 invalid_token challenge with its description', async () => {
    answer = {
      kind: 'unauthorized',
      error: 'invalid_token',
      description: 'the access token has been revoked',
    };
    const refused = bearer.authenticate(request({ authorization: 'Bearer abc' }));
    await expect(refused).rejects.toBeInstanceOf(BearerChallengeException);
    await expect(refused).rejects.toMatchObject({
      errorCode: 'invalid_token',
      message: 'Unauthorized: the access token has been revoked',
    });
  });

  it('turns an unreachable authz into a 503 with the Retry-After the library asks for', async () => {
    answer = {
      kind: 'unavailable',
      description: 'The authorization server could not confirm',
      retryAfterSeconds: 7,
    };
    const refused = bearer.authenticate(request({ authorization: 'Bearer abc' }));
    await expect(refused).rejects.toBeInstanceOf(AuthUnavailableException);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 7 });
  });
});

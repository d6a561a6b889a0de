import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { ALL_MCP_SCOPES } from '@app/scopes';
import { authorizeAndApprove, exchangeCode, pkce, useAuthz } from './support/authz-harness';
import { basic, registerConfidentialClient, refresh } from './support/token-client';

const REDIRECT = 'https://app.example/cb';
const dir = mkdtempSync(join(tmpdir(), 'authz-resources-'));
const file = join(dir, 'resources.yaml');
writeFileSync(
  file,
  [
    'resources:',
    '  - path: /mcp',
    '  - path: /echo/mcp',
    '    upstream: http://127.0.0.1:1/mcp',
    '    name: Echo',
    '    scopes: [echo:admin]',
    '',
  ].join('\n'),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** authz reading the gateway's resources file: each path is a resource with its own scopes (RFC 8707). */
describe('authz with GATEWAY_RESOURCES_FILE', () => {
  const authz = useAuthz({ GATEWAY_RESOURCES_FILE: file });

  it("advertises every resource's scopes and answers the path-inserted metadata of each resource", async () => {
    const metadata = await authz.http().get('/.well-known/oauth-authorization-server').expect(200);
    expect(metadata.body.scopes_supported).toEqual([...ALL_MCP_SCOPES, 'echo:admin', 'offline_access']);
    await authz.http().get('/.well-known/oauth-authorization-server/echo/mcp').expect(200);
    await authz.http().get('/.well-known/oauth-authorization-server/echo').expect(404);
  });

  it('issues a token for exactly the resource asked, with its own scope, and keeps the grant on it', async () => {
    const client = await registerConfidentialClient(authz);
    const { verifier, challenge } = pkce();
    const echo = `${authz.issuer}/echo/mcp`;
    const redirect = await authorizeAndApprove(authz, {
      clientId: client.clientId,
      redirectUri: REDIRECT,
      challenge,
      resource: echo,
      scope: 'mcp:tools:execute echo:admin offline_access',
    });
    const code = redirect.searchParams.get('code')!;
    const form = { code, redirect_uri: REDIRECT, code_verifier: verifier };
    // RFC 8707 §2.2: the resource at the token endpoint must be the one authorized.
    const other = await exchangeCode(
      authz,
      { ...form, resource: `${authz.issuer}/mcp` },
      { Authorization: basic(client) },
    ).expect(400);
    expect(other.body.error).toBe('invalid_target');

    const { verifier: v2, challenge: c2 } = pkce();
    const again = await authorizeAndApprove(authz, {
      clientId: client.clientId,
      redirectUri: REDIRECT,
      challenge: c2,
      resource: echo,
      scope: 'mcp:tools:execute echo:admin offline_access',
    });
    const tokens = await exchangeCode(
      authz,
      { code: again.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: v2, resource: echo },
      { Authorization: basic(client) },
    ).expect(200);
    const claims = decodeJwt(tokens.body.access_token as string);
    expect(claims.aud).toBe(echo);
    expect(claims.iss).toBe(authz.issuer);
    expect(String(claims.scope).split(' ')).toEqual(['mcp:tools:execute', 'echo:admin', 'offline_access']);

    // Refreshed, the token stays bound to /echo/mcp on the issuer it was authorized at.
    const refreshed = await refresh(authz, client, tokens.body.refresh_token as string).expect(200);
    expect(decodeJwt(refreshed.body.access_token as string).aud).toBe(echo);
  });

  it('mints development tokens for any resource, with its scopes, and refuses an unknown one', async () => {
    const minted = await authz
      .http()
      .post('/auth/token')
      .send({ resource: `${authz.issuer}/echo/mcp` })
      .expect(200);
    expect(minted.body.scope.split(' ')).toEqual([...ALL_MCP_SCOPES, 'echo:admin']);
    expect(decodeJwt(minted.body.access_token as string).aud).toBe(`${authz.issuer}/echo/mcp`);
    const unknown = await authz
      .http()
      .post('/auth/token')
      .send({ resource: `${authz.issuer}/nope` })
      .expect(400);
    expect(unknown.body.error).toBe('invalid_target');
    const foreignScope = await authz.http().post('/auth/token').send({ scope: 'echo:admin' }).expect(400);
    expect(foreignScope.body.error).toBe('invalid_scope');
  });

  it('keeps a registered client’s resource scopes', async () => {
    const registered = await authz
      .http()
      .post('/register')
      .send({ redirect_uris: [REDIRECT], scope: 'mcp:tools:read echo:admin nonsense' })
      .expect(201);
    expect(registered.body.scope).toBe('mcp:tools:read echo:admin');
  });
});

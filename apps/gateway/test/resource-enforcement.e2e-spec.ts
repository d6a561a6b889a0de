import { request } from 'node:http';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { ALL_MCP_SCOPES } from '@app/scopes';
import { bearer, rpc, startEnforcingGateway, type EnforcingGateway } from './support/enforcing-gateway';
import { startMcpUpstream } from './support/mcp-upstream';
import type { TestUpstream } from './support/test-upstream';

const MCP = ALL_MCP_SCOPES.join(' ');
const call = (name: string, id = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {} },
});

function challengeOf(response: Response): Record<string, string> {
  const header = response.headers.get('www-authenticate') ?? '';
  expect(header).toMatch(/^Bearer /);
  return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map(([, name, value]) => [name, value]));
}

describe('gateway enforcement for a protected resource (GATEWAY_RESOURCES_FILE)', () => {
  let gw: EnforcingGateway;
  let echo: TestUpstream;
  let plain: TestUpstream;
  let own: TestUpstream;

  beforeAll(async () => {
    echo = await startMcpUpstream('echo');
    plain = await startMcpUpstream('plain');
    own = await startMcpUpstream('own');
    gw = await startEnforcingGateway(
      [
        {
          path: '/echo/mcp',
          upstream: `${echo.url}/rpc`,
          name: 'Echo',
          scopes: ['echo:admin'],
          tools: { delete_everything: ['echo:admin'] },
          denyTools: ['debug'],
        },
        { path: '/plain/mcp', upstream: `${plain.url}/mcp`, forward: 'none' },
        { path: '/own/mcp', upstream: own.url, forward: 'token' },
      ],
      { GATEWAY_IDENTITY_TTL_SECONDS: '10', GATEWAY_JWKS_COOLDOWN_MS: '0' },
    );
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([echo, plain, own].map((upstream) => upstream?.stop()));
  });
  beforeEach(() => [echo, plain, own].forEach((upstream) => (upstream.seen.length = 0)));

  const url = (path = '/echo/mcp') => `${gw.base}${path}`;
  const token = (scope = MCP, extra: Parameters<EnforcingGateway['authz']['token']>[0] = { base: '' }) =>
    gw.authz.token({ aud: url(), ...extra, base: gw.base, scope });

  it('answers no token with a 401 pointing at its own metadata, which the gateway serves', async () => {
    const refused = await rpc(url(), call('echo'));
    expect(refused.status).toBe(401);
    const challenge = challengeOf(refused);
    expect(challenge.resource_metadata).toBe(`${gw.base}/.well-known/oauth-protected-resource/echo/mcp`);
    expect(challenge.scope.split(' ')).toEqual([...ALL_MCP_SCOPES]);
    expect(echo.proxied()).toEqual([]);

    const metadata = await fetch(challenge.resource_metadata);
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toEqual({
      resource: url(),
      authorization_servers: [gw.base],
      scopes_supported: [...ALL_MCP_SCOPES, 'echo:admin'],
      bearer_methods_supported: ['header'],
      resource_name: 'Echo',
    });
    expect((await fetch(challenge.resource_metadata, { method: 'POST' })).status).toBe(405);
  });

  it('forwards a valid call to the endpoint URL without Authorization, with X-MCP-* identity instead', async () => {
    const response = await rpc(url(), call('echo'), {
      ...bearer(await token(MCP, { base: '', sub: 'alice', clientId: 'c-1' })),
      'x-mcp-subject': 'mallory',
      'x-mcp-forged': 'yes',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ result: { content: [{ text: 'called echo' }] } });
    const [seen] = echo.proxied();
    expect(seen.url).toBe('/rpc');
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers['x-mcp-forged']).toBeUndefined();
    expect(seen.headers['x-mcp-subject']).toBe('alice');
    expect(seen.headers['x-mcp-client-id']).toBe('c-1');
    expect(seen.headers['x-mcp-scopes']).toBe(MCP);
  });

  it('signs X-MCP-Identity with a key an upstream verifies from /gateway/jwks.json, and it expires', async () => {
    await rpc(url(), call('echo'), bearer(await token(MCP, { base: '', sub: 'bob', clientId: 'c-2' })));
    const assertion = String(echo.proxied()[0].headers['x-mcp-identity']);
    // What the README tells an upstream to do, with jose:
    const jwks = createRemoteJWKSet(new URL(`${gw.base}/gateway/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(assertion, jwks, {
      issuer: gw.base,
      audience: url(),
      algorithms: ['ES256'],
      typ: 'mcp-identity+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: 'bob', client_id: 'c-2', scope: MCP });
    expect(payload.exp! - payload.iat!).toBe(10);
    await expect(
      jwtVerify(assertion, jwks, {
        issuer: gw.base,
        audience: url(),
        currentDate: new Date((payload.exp! + 1) * 1000),
      }),
    ).rejects.toThrow(/"exp" claim timestamp check failed/);
    // Another resource's audience is not this one.
    await expect(jwtVerify(assertion, jwks, { audience: url('/plain/mcp') })).rejects.toThrow(/aud/);
    expect(decodeProtectedHeader(assertion).kid).toBeDefined();
  });

  it('refuses a token minted for another resource, and one minted for it at another resource', async () => {
    const forMcp = await gw.authz.token({ base: gw.base });
    const refused = await rpc(url(), call('echo'), bearer(forMcp));
    expect(refused.status).toBe(401);
    expect(challengeOf(refused).error).toBe('invalid_token');
    const forEcho = await token();
    expect((await rpc(url('/plain/mcp'), call('echo'), bearer(forEcho))).status).toBe(401);
    expect(echo.proxied()).toEqual([]);
  });

  it('answers a call needing the resource scope with one 403 naming every scope it needs, then lets it through', async () => {
    const narrow = await token();
    const refused = await rpc(url(), call('delete_everything'), bearer(narrow));
    expect(refused.status).toBe(403);
    const challenge = challengeOf(refused);
    expect(challenge.error).toBe('insufficient_scope');
    expect(challenge.scope.split(' ')).toEqual(expect.arrayContaining([...ALL_MCP_SCOPES, 'echo:admin']));
    expect(challenge.resource_metadata).toBe(`${gw.base}/.well-known/oauth-protected-resource/echo/mcp`);
    expect(await refused.json()).toMatchObject({ error: 'insufficient_scope', scope: 'echo:admin' });

    // A batch is checked element by element and refused whole.
    const batch = await rpc(url(), [call('echo', 1), call('delete_everything', 2)], bearer(narrow));
    expect(batch.status).toBe(403);
    expect(echo.proxied()).toEqual([]);

    const wide = await token(`${MCP} echo:admin`);
    const allowed = await rpc(url(), call('delete_everything'), bearer(wide));
    expect(allowed.status).toBe(200);
    expect(echo.proxied()).toHaveLength(1);
  });

  it('makes a denied tool uncallable whatever the token', async () => {
    const response = await rpc(url(), call('debug', 9), bearer(await token(`${MCP} echo:admin`)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      id: 9,
      error: { code: -32602, message: 'Unknown tool: debug' },
    });
    expect(echo.proxied()).toEqual([]);
  });

  it('refuses Mcp-Method/Mcp-Name disagreeing with the body (400, -32020), and bodies it cannot check', async () => {
    const modern = {
      ...call('echo', 4),
      params: {
        name: 'echo',
        arguments: {},
        _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' },
      },
    };
    const headers = {
      ...bearer(await token()),
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
    };
    const mismatch = await rpc(url(), modern, { ...headers, 'mcp-name': 'delete_everything' });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ id: 4, error: { code: -32020 } });
    expect((await rpc(url(), modern, { ...headers, 'mcp-name': 'echo' })).status).toBe(200);

    const auth = bearer(await token());
    const notJson = await fetch(url(), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(notJson.status).toBe(415);
    const broken = await fetch(url(), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: -32700 } });
    expect(echo.proxied()).toHaveLength(1);
  });

  it('reads a checked body only up to the body limit, chunked or declared (413)', async () => {
    const auth = bearer(await token());
    const declared = await fetch(url(), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: 'x'.repeat(1_048_577),
    });
    expect(declared.status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(url(), {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(64 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);
    expect(echo.proxied()).toEqual([]);
  });

  it('refuses a revoked token once the revocation is pushed', async () => {
    const revocable = await token(MCP, { base: '', grantId: 'grant-to-revoke' });
    expect((await rpc(url(), call('echo'), bearer(revocable))).status).toBe(200);
    gw.authz.revoke('grant-to-revoke');
    let status = 0;
    // Pushed on authz's revocation stream: a few milliseconds, never a per-request call.
    for (let i = 0; i < 50 && status !== 401; i++) {
      status = (await rpc(url(), call('echo'), bearer(revocable))).status;
      if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(401);
  });

  it('answers 503 with Retry-After when authz cannot give the keys, never a pass', async () => {
    gw.authz.jwksBrokenStatus = 500;
    try {
      const unknownKey = await gw.authz.token({ base: gw.base, aud: url(), kid: 'never-published' });
      const response = await rpc(url(), call('echo'), bearer(unknownKey));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(echo.proxied()).toEqual([]);
    } finally {
      gw.authz.jwksBrokenStatus = undefined;
    }
  });

  it('forwards neither the token nor an identity with forward: none', async () => {
    const response = await rpc(
      url('/plain/mcp'),
      call('echo'),
      bearer(await token(MCP, { base: '', aud: url('/plain/mcp') })),
    );
    expect(response.status).toBe(200);
    const [seen] = plain.proxied();
    expect(seen.url).toBe('/mcp');
    expect(seen.headers.authorization).toBeUndefined();
    expect(Object.keys(seen.headers).filter((name) => name.startsWith('x-mcp-'))).toEqual([]);
  });

  it('forwards the token itself with forward: token, and leaves the metadata to that upstream', async () => {
    const ownToken = await token(MCP, { base: '', aud: url('/own/mcp') });
    expect((await rpc(url('/own/mcp'), call('echo'), bearer(ownToken))).status).toBe(200);
    const [seen] = own.proxied();
    expect(seen.url).toBe('/own/mcp');
    expect(seen.headers.authorization).toBe(`Bearer ${ownToken}`);
    await fetch(`${gw.base}/.well-known/oauth-protected-resource/own/mcp`);
    expect(own.proxied()[1].url).toBe('/.well-known/oauth-protected-resource/own/mcp');
  });

  it('binds a 2025 session to the identity that created it (another one gets 404)', async () => {
    const alice = await token(MCP, { base: '', sub: 'alice', clientId: 'c-1' });
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25' },
    };
    const created = await rpc(url(), initialize, bearer(alice));
    const session = created.headers.get('mcp-session-id')!;
    expect(session).toBeTruthy();
    const inSession = (auth: string, id = session) =>
      rpc(url(), call('echo'), { ...bearer(auth), 'mcp-session-id': id });
    expect((await inSession(alice)).status).toBe(200);
    const mallory = await token(MCP, { base: '', sub: 'mallory', clientId: 'c-1' });
    const stolen = await inSession(mallory);
    expect(stolen.status).toBe(404);
    expect(await stolen.json()).toMatchObject({ error: { code: -32001 } });
    const otherClient = await token(MCP, { base: '', sub: 'alice', clientId: 'c-9' });
    expect((await inSession(otherClient)).status).toBe(404);
    expect((await inSession(alice, 'made-up-session')).status).toBe(404);
    expect(decodeJwt(alice).sub).toBe('alice');
  });
});

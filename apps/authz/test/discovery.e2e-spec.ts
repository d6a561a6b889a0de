import { ALL_MCP_SCOPES } from '@app/scopes';
import { baseEnv, removeDir, startAuthz, tempDataDir } from './support/authz-harness';

describe('authz: discovery, documentation and the internal grant status endpoint', () => {
  const dataDir = tempDataDir();
  afterAll(() => removeDir(dataDir));

  it('publishes RFC 8414 metadata on the alias the client used, at both well-known names', async () => {
    const authz = await startAuthz(baseEnv(dataDir));
    try {
      for (const path of [
        '/.well-known/oauth-authorization-server',
        '/.well-known/openid-configuration',
        '/.well-known/oauth-authorization-server/mcp',
      ]) {
        const local = await authz.http().get(path).set('X-Forwarded-Host', 'localhost:3002').expect(200);
        expect(local.body).toMatchObject({
          issuer: 'http://localhost:3002',
          authorization_endpoint: 'http://localhost:3002/authorize',
          token_endpoint: 'http://localhost:3002/token',
          jwks_uri: 'http://localhost:3002/.well-known/jwks.json',
          registration_endpoint: 'http://localhost:3002/register',
          revocation_endpoint: 'http://localhost:3002/revoke',
          introspection_endpoint: 'http://localhost:3002/introspect',
          service_documentation: 'http://localhost:3002/docs',
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: [
            'none',
            'client_secret_basic',
            'client_secret_post',
            'private_key_jwt',
          ],
          token_endpoint_auth_signing_alg_values_supported: expect.arrayContaining([
            'RS256',
            'ES256',
            'EdDSA',
          ]),
          // RFC 7009 / RFC 7662 endpoints take the token endpoint's client authentication, assertions included.
          revocation_endpoint_auth_methods_supported: [
            'none',
            'client_secret_basic',
            'client_secret_post',
            'private_key_jwt',
          ],
          introspection_endpoint_auth_methods_supported: [
            'client_secret_basic',
            'client_secret_post',
            'private_key_jwt',
          ],
          revocation_endpoint_auth_signing_alg_values_supported: expect.arrayContaining(['RS256', 'ES256']),
          introspection_endpoint_auth_signing_alg_values_supported: expect.arrayContaining([
            'RS256',
            'ES256',
          ]),
          authorization_response_iss_parameter_supported: true,
          client_id_metadata_document_supported: true,
        });
        expect(local.body.token_endpoint_auth_signing_alg_values_supported).not.toContain('HS256');
        expect(local.body.token_endpoint_auth_signing_alg_values_supported).not.toContain('none');
        // SEP-2207: offline_access is the authorization server's own scope.
        expect([...local.body.scopes_supported].sort()).toEqual([...ALL_MCP_SCOPES, 'offline_access'].sort());
      }
      const direct = await authz.http().get('/.well-known/oauth-authorization-server').expect(200);
      expect(direct.body.issuer).toBe(authz.issuer);
      const foreign = await authz
        .http()
        .get('/.well-known/oauth-authorization-server')
        .set('X-Forwarded-Host', 'evil.example')
        .expect(200);
      expect(foreign.body.issuer).toBe('http://localhost:3002');
      await authz.http().get('/.well-known/oauth-authorization-server/other').expect(404);
    } finally {
      await authz.close();
    }
  });
  it('serves a valid OpenAPI document listing every public endpoint, with an OAuth2 PKCE scheme on the alias', async () => {
    const authz = await startAuthz(baseEnv(dataDir));
    try {
      const doc = (await authz.http().get('/docs-json').set('X-Forwarded-Host', 'localhost:3002').expect(200))
        .body;
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.info.title).toEqual(expect.any(String));
      const paths = Object.keys(doc.paths);
      for (const path of [
        '/.well-known/oauth-authorization-server',
        '/.well-known/openid-configuration',
        '/.well-known/jwks.json',
        '/authorize',
        '/authorize/decision',
        '/login',
        '/logout',
        '/token',
        '/register',
        '/revoke',
        '/introspect',
        '/auth/token',
      ]) {
        expect(paths).toContain(path);
      }
      expect(paths.some((path) => path.startsWith('/internal'))).toBe(false);
      // Every schema reference resolves inside the document.
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
        (m) => m[1],
      );
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(doc.components.schemas[ref]).toBeDefined();
      for (const [path, operations] of Object.entries(
        doc.paths as Record<string, Record<string, { responses: object }>>,
      )) {
        for (const operation of Object.values(operations)) {
          expect(Object.keys(operation.responses ?? {}).length).toBeGreaterThan(0);
          expect(path.startsWith('/')).toBe(true);
        }
      }
      const flow = doc.components.securitySchemes.oauth2.flows.authorizationCode;
      expect(flow.authorizationUrl).toBe('http://localhost:3002/authorize');
      expect(flow.tokenUrl).toBe('http://localhost:3002/token');
      expect(Object.keys(flow.scopes).sort()).toEqual([...ALL_MCP_SCOPES].sort());
      expect(doc.servers).toEqual([expect.objectContaining({ url: 'http://localhost:3002' })]);

      // Swagger UI derives its OAuth redirect from its directory, so /docs must become /docs/.
      const bare = await authz.http().get('/docs').expect(301);
      expect(bare.headers.location).toBe('docs/');
      const ui = await authz.http().get('/docs/').expect(200);
      expect(ui.text).toContain('swagger-ui');
      const init = await authz.http().get('/docs/swagger-ui-init.js').expect(200);
      expect(init.text).toContain('"clientId": "swagger-ui"');
      expect(init.text).toContain('"usePkceWithAuthorizationCodeGrant": true');
      await authz.http().get('/docs/oauth2-redirect.html').expect(200);
    } finally {
      await authz.close();
    }
  });
  it('answers /internal/grants/{id} directly but not through a proxy, and only to GET and HEAD', async () => {
    const authz = await startAuthz(baseEnv(dataDir));
    try {
      const unknown = await authz.http().get('/internal/grants/no-such-grant').expect(200);
      expect(unknown.body).toEqual({ grant_id: 'no-such-grant', status: 'unknown' });
      expect(unknown.headers['cache-control']).toBe('no-store');
      expect(unknown.headers['x-content-type-options']).toBe('nosniff');
      const head = await authz.http().head('/internal/grants/no-such-grant').expect(200);
      expect(head.headers['content-length']).toBe(unknown.headers['content-length']);
      const proxied = await authz
        .http()
        .get('/internal/grants/no-such-grant')
        .set('X-Forwarded-For', '198.51.100.1')
        .expect(404);
      expect(proxied.body.error).toBe('not_found');
      const post = await authz.http().post('/internal/grants/no-such-grant').expect(405);
      expect(post.headers.allow).toBe('GET, HEAD');
      // Not a grant id: not this endpoint at all.
      await authz.http().get('/internal/grants/a.b').expect(404);
      await authz.http().get('/internal/grants/').expect(404);
    } finally {
      await authz.close();
    }
  });
});

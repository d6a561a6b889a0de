import {
  discoverAuthorizationServerMetadata,
  exchangeAuthorization,
  refreshAuthorization,
  registerClient,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { formField, useAuthz } from './support/authz-harness';

/** The official SDK's OAuth client helpers (schema-validated) against this server. */
describe('authz: interoperates with the MCP SDK client', () => {
  const authz = useAuthz();

  async function approve(authorizationUrl: URL): Promise<URL> {
    const page = await authz.http().get(`${authorizationUrl.pathname}${authorizationUrl.search}`).expect(200);
    const decision = await authz
      .http()
      .post('/authorize/decision')
      .type('form')
      .send({ interaction_id: formField(page.text, 'interaction_id'), decision: 'approve' })
      .expect(303);
    return new URL(decision.headers.location);
  }

  it.each(['none', 'client_secret_post', 'client_secret_basic'] as const)(
    'discovers, registers (%s), authorizes, exchanges and refreshes',
    async (method) => {
      const issuer = authz.issuer;
      const metadata = await discoverAuthorizationServerMetadata(issuer);
      expect(metadata?.issuer).toBe(issuer);
      const redirectUrl = 'http://127.0.0.1:33418/callback';
      const clientInformation = await registerClient(issuer, {
        metadata,
        clientMetadata: {
          client_name: 'SDK interop',
          redirect_uris: [redirectUrl],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: method,
        },
      });
      const resource = new URL(`${issuer}/mcp`);
      const { authorizationUrl, codeVerifier } = await startAuthorization(issuer, {
        metadata,
        clientInformation,
        redirectUrl,
        scope: 'mcp:tools:read mcp:tools:execute',
        state: 'sdk-state',
        resource,
      });
      const redirect = await approve(authorizationUrl);
      expect(redirect.searchParams.get('iss')).toBe(issuer);
      const tokens = await exchangeAuthorization(issuer, {
        metadata,
        clientInformation,
        authorizationCode: redirect.searchParams.get('code')!,
        codeVerifier,
        redirectUri: redirectUrl,
        resource,
      });
      expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'mcp:tools:read mcp:tools:execute' });
      const refreshed = await refreshAuthorization(issuer, {
        metadata,
        clientInformation,
        refreshToken: tokens.refresh_token!,
        resource,
      });
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
      expect(refreshed.access_token).not.toBe(tokens.access_token);
    },
  );
});

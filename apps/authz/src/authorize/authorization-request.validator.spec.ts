import { InvalidClientError } from '@app/oauth-errors';
import type { ClientRecord } from '@app/oauth-store';
import { computeS256Challenge, generateCodeVerifier } from '@app/pkce';
import { ALL_MCP_SCOPES } from '@app/scopes';
import { parseProtectedResources } from '@app/protected-resources';
import type { ClientsService } from '../clients/clients.service';
import { BUNDLED_RESOURCES, ResourceCatalog } from '../common/resource-catalog';
import type { AuthzConfig } from '../config/authz.config';
import { AuthorizationPageError, AuthorizationRedirectError } from './authorization-request';
import { AuthorizationRequestValidator } from './authorization-request.validator';

const ISSUER = 'http://localhost:3002';
const base = {
  grantTypes: ['authorization_code'],
  responseTypes: ['code'],
  tokenEndpointAuthMethod: 'none' as const,
  clientIdIssuedAt: 0,
  scopes: [...ALL_MCP_SCOPES],
};
const CLIENTS: ClientRecord[] = [
  { ...base, clientId: 'loopback', redirectUris: ['http://127.0.0.1/cb'] },
  { ...base, clientId: 'web', redirectUris: ['https://app.example/cb', 'https://app.example/other'] },
  {
    ...base,
    clientId: 'configured',
    redirectUris: ['https://ops.example/cb'],
    preRegistered: true,
    scopes: ['mcp:tools:read'],
  },
  { ...base, clientId: 'no-code', redirectUris: ['http://127.0.0.1/cb'], grantTypes: ['refresh_token'] },
];

const clients = {
  find: async (id: string) => {
    if (id === 'https://broken.example/c.json')
      throw new InvalidClientError('The document could not be fetched.');
    return CLIENTS.find((client) => client.clientId === id);
  },
} as unknown as ClientsService;
const validatorFor = (resources: ResourceCatalog) =>
  new AuthorizationRequestValidator(clients, { resources } as AuthzConfig);
const validator = validatorFor(BUNDLED_RESOURCES);

const challenge = computeS256Challenge(generateCodeVerifier());
const query = (extra: Record<string, unknown> = {}) => ({
  client_id: 'loopback',
  redirect_uri: 'http://127.0.0.1/cb',
  response_type: 'code',
  code_challenge: challenge,
  code_challenge_method: 'S256',
  state: 'st',
  ...extra,
});
const validate = (extra: Record<string, unknown> = {}) => validator.validate(query(extra), ISSUER);

async function pageError(extra: Record<string, unknown>): Promise<string> {
  const error = await validate(extra).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthorizationPageError);
  return (error as AuthorizationPageError).error.errorCode;
}

async function redirectError(extra: Record<string, unknown>): Promise<AuthorizationRedirectError> {
  const error = await validate(extra).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthorizationRedirectError);
  return error as AuthorizationRedirectError;
}

describe('AuthorizationRequestValidator (OAuth 2.1 §4.1.1, RFC 6749 §4.1.2.1)', () => {
  it('accepts a complete request and fills in the defaults', async () => {
    await expect(validate({ scope: undefined, resource: undefined })).resolves.toMatchObject({
      client: { clientId: 'loopback' },
      redirectUri: 'http://127.0.0.1/cb',
      redirectUriProvided: true,
      scopes: [...ALL_MCP_SCOPES],
      resource: `${ISSUER}/mcp`,
      state: 'st',
      issuer: ISSUER,
    });
  });

  describe('client and redirect: an error page, never a redirect', () => {
    it('refuses a missing or repeated client_id', async () => {
      expect(await pageError({ client_id: undefined })).toBe('invalid_request');
      expect(await pageError({ client_id: ['loopback', 'web'] })).toBe('invalid_request');
    });

    it('refuses an unknown client, and a metadata document that cannot be used', async () => {
      expect(await pageError({ client_id: 'nobody' })).toBe('invalid_client');
      expect(await pageError({ client_id: 'https://broken.example/c.json' })).toBe('invalid_client');
    });

    it('refuses an unregistered redirect_uri, and a missing one when several are registered', async () => {
      expect(await pageError({ redirect_uri: 'http://127.0.0.1/other' })).toBe('invalid_request');
      expect(await pageError({ client_id: 'web', redirect_uri: undefined })).toBe('invalid_request');
    });

    it('uses the only registered redirect when none is sent, and any port of a loopback one', async () => {
      await expect(validate({ redirect_uri: undefined })).resolves.toMatchObject({
        redirectUri: 'http://127.0.0.1/cb',
        redirectUriProvided: false,
      });
      await expect(validate({ redirect_uri: 'http://127.0.0.1:5050/cb' })).resolves.toMatchObject({
        redirectUri: 'http://127.0.0.1:5050/cb',
      });
    });
  });

  describe('everything else: back to the redirect URI, with state and iss', () => {
    it('refuses a repeated state', async () => {
      const error = await redirectError({ state: ['a', 'b'] });
      expect(error.error.errorCode).toBe('invalid_request');
      expect(new URL(error.location).searchParams.get('iss')).toBe(ISSUER);
    });

    it('refuses a missing or unsupported response_type, and a client without the code flow', async () => {
      expect((await redirectError({ response_type: undefined })).error.errorCode).toBe('invalid_request');
      expect((await redirectError({ response_type: 'token' })).error.errorCode).toBe(
        'unsupported_response_type',
      );
      expect((await redirectError({ client_id: 'no-code' })).error.errorCode).toBe('unauthorized_client');
    });

    it('requires PKCE with S256 and a well-formed challenge', async () => {
      expect((await redirectError({ code_challenge: undefined })).error.errorCode).toBe('invalid_request');
      expect((await redirectError({ code_challenge_method: 'plain' })).error.errorCode).toBe(
        'invalid_request',
      );
      expect((await redirectError({ code_challenge_method: undefined })).error.errorCode).toBe(
        'invalid_request',
      );
      expect((await redirectError({ code_challenge: 'short' })).error.errorCode).toBe('invalid_request');
    });

    it('holds a configured client to its scopes, and lets a registered one step up', async () => {
      const error = await redirectError({
        client_id: 'configured',
        redirect_uri: 'https://ops.example/cb',
        scope: 'mcp:tools:execute',
      });
      expect(error.error.errorCode).toBe('invalid_scope');
      await expect(validate({ scope: 'mcp:tools:execute offline_access' })).resolves.toMatchObject({
        scopes: ['mcp:tools:execute', 'offline_access'],
      });
    });

    it('drops unknown scopes while a known one remains', async () => {
      await expect(validate({ scope: 'openid mcp:tools:read' })).resolves.toMatchObject({
        scopes: ['mcp:tools:read'],
      });
      expect((await redirectError({ scope: 'openid' })).error.errorCode).toBe('invalid_scope');
    });

    it('accepts only the MCP resource of this issuer, canonicalised, and one resource at most', async () => {
      await expect(validate({ resource: 'HTTP://LocalHost:3002/mcp' })).resolves.toMatchObject({
        resource: `${ISSUER}/mcp`,
      });
      for (const resource of [
        'http://localhost:1/mcp',
        'https://localhost:3002/mcp',
        'http://127.0.0.1:3002/mcp',
      ]) {
        expect((await redirectError({ resource })).error.errorCode).toBe('invalid_target');
      }
      expect((await redirectError({ resource: [`${ISSUER}/mcp`, `${ISSUER}/mcp`] })).error.errorCode).toBe(
        'invalid_target',
      );
    });

    it("accepts each resource of the resources file with that resource's own scopes", async () => {
      const echo = validatorFor(
        new ResourceCatalog(
          parseProtectedResources([
            { path: '/mcp' },
            { path: '/echo/mcp', upstream: 'http://127.0.0.1:1/mcp', scopes: ['echo:admin'] },
          ]),
        ),
      );
      const ask = (extra: Record<string, unknown>) => echo.validate(query(extra), ISSUER);
      await expect(
        ask({ resource: `${ISSUER}/echo/mcp`, scope: 'mcp:tools:read echo:admin' }),
      ).resolves.toMatchObject({ resource: `${ISSUER}/echo/mcp`, scopes: ['mcp:tools:read', 'echo:admin'] });
      // Another resource's scope means nothing for /mcp: dropped like any unknown scope.
      await expect(
        ask({ resource: `${ISSUER}/mcp`, scope: 'mcp:tools:read echo:admin' }),
      ).resolves.toMatchObject({
        resource: `${ISSUER}/mcp`,
        scopes: ['mcp:tools:read'],
      });
      await expect(ask({ resource: undefined })).resolves.toMatchObject({ resource: `${ISSUER}/mcp` });
      const unknown = await ask({ resource: `${ISSUER}/echo` }).catch((e: unknown) => e);
      expect((unknown as AuthorizationRedirectError).error.errorCode).toBe('invalid_target');
    });

    it('redirects automatically only to trusted redirect URIs (RFC 9700 §4.11.2)', async () => {
      expect((await redirectError({ response_type: 'token' })).automatic).toBe(true);
      const web = await redirectError({
        client_id: 'web',
        redirect_uri: 'https://app.example/cb',
        response_type: 'token',
      });
      expect(web.automatic).toBe(false);
      const configured = await redirectError({
        client_id: 'configured',
        redirect_uri: 'https://ops.example/cb',
        response_type: 'token',
      });
      expect(configured.automatic).toBe(true);
    });
  });
});

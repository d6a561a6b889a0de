import { AuditTrail, MetricsRegistry } from '@app/observability';
import type { AuthorizationCodeRecord, ClientRecord, ConsumeResult, GrantRecord } from '@app/oauth-store';
import type { AuthorizationCodeRepository, GrantRepository, RefreshTokenRepository } from '@app/oauth-store';
import { computeS256Challenge, generateCodeVerifier } from '@app/pkce';
import { sha256 } from '../common/random';
import type { TokenRevocationService } from '../revocation/token-revocation.service';
import { AuthorizationCodeGrant } from './authorization-code.grant';
import type { TokenRequestDto } from './dto/token-request.dto';
import type { GrantTokenRequest, GrantTokensService } from './grant-tokens.service';
import { BUNDLED_RESOURCES } from '../common/resource-catalog';
import type { AuthzConfig } from '../config/authz.config';

const ISSUER = 'http://localhost:3002';
const REDIRECT = 'http://127.0.0.1:4000/cb';

const client = (extra: Partial<ClientRecord> = {}): ClientRecord => ({
  clientId: 'client-1',
  redirectUris: [REDIRECT],
  grantTypes: ['authorization_code', 'refresh_token'],
  responseTypes: ['code'],
  tokenEndpointAuthMethod: 'none',
  scopes: [],
  clientIdIssuedAt: 0,
  ...extra,
});

/** The grant's collaborators, in memory, recording what the grant asked of them. */
function setUp(
  codeExtra: Partial<AuthorizationCodeRecord> = {},
  outcome: ConsumeResult<unknown>['outcome'] = 'consumed',
) {
  const verifier = generateCodeVerifier();
  const record: AuthorizationCodeRecord = {
    id: sha256('the-code'),
    clientId: 'client-1',
    redirectUri: REDIRECT,
    redirectUriProvided: true,
    scopes: ['mcp:tools:read'],
    resource: `${ISSUER}/mcp`,
    codeChallenge: computeS256Challenge(verifier),
    codeChallengeMethod: 'S256',
    subject: 'alice',
    grantId: 'grant-1',
    issuer: ISSUER,
    authTime: Date.now(),
    expiresAt: Date.now() + 60_000,
    ...codeExtra,
  };
  const consumed: string[] = [];
  const revoked: string[] = [];
  const issued: GrantTokenRequest[] = [];
  const grant = { grantId: 'grant-1', revokedAt: undefined } as GrantRecord;
  const codes = {
    consume: async (id: string) => {
      consumed.push(id);
      if (id !== record.id || outcome === 'not_found') return { outcome: 'not_found' };
      return { outcome, record };
    },
  } as unknown as AuthorizationCodeRepository;
  const grants = { find: async () => grant } as unknown as GrantRepository;
  const savedRefreshTokens: string[] = [];
  const refreshTokens = {
    save: async (record: { id: string }) => void savedRefreshTokens.push(record.id),
  } as unknown as RefreshTokenRepository;
  const tokens = {
    newRefreshToken: () => ({ token: 'rt', record: { id: 'rt-hash' } }),
    issue: async (request: GrantTokenRequest) => {
      issued.push(request);
      return { access_token: 'at' };
    },
  } as unknown as GrantTokensService;
  const revocation = {
    revokeGrant: async (id: string) => void revoked.push(id),
  } as unknown as TokenRevocationService;
  const body = (extra: Partial<TokenRequestDto> = {}): TokenRequestDto => ({
    grant_type: 'authorization_code',
    code: 'the-code',
    code_verifier: verifier,
    redirect_uri: REDIRECT,
    ...extra,
  });
  const audit = new AuditTrail(
    { sink: { kind: 'off' }, recentSize: 20, includeArguments: false },
    'authz',
    new MetricsRegistry(),
  );
  return {
    grantType: new AuthorizationCodeGrant(codes, grants, refreshTokens, tokens, revocation, audit, {
      resources: BUNDLED_RESOURCES,
    } as AuthzConfig),
    /** Audit event types, oldest first. */
    audited: () =>
      audit
        .recent(() => true)
        .map((record) => record.type)
        .reverse(),
    body,
    consumed,
    revoked,
    issued,
    grant,
    savedRefreshTokens,
  };
}

const error = (code: string, description?: RegExp) =>
  expect.objectContaining({
    errorCode: code,
    ...(description ? { description: expect.stringMatching(description) } : {}),
  });

describe('AuthorizationCodeGrant (OAuth 2.1 §4.1.3)', () => {
  it('issues tokens for a valid redemption, on the grant the code belongs to', async () => {
    const { grantType, body, issued, audited } = setUp();
    await grantType.exchange(client(), body(), ISSUER);
    expect(audited()).toEqual(['code.redeemed', 'token.issued']);
    expect(issued).toEqual([
      expect.objectContaining({
        issuer: ISSUER,
        scopes: ['mcp:tools:read'],
        refreshToken: expect.anything(),
      }),
    ]);
  });

  it('refuses a client not registered for the grant', async () => {
    const { grantType, body } = setUp();
    await expect(
      grantType.exchange(client({ grantTypes: ['refresh_token'] }), body(), ISSUER),
    ).rejects.toEqual(error('unauthorized_client'));
  });

  it('refuses a missing code or verifier, and a malformed verifier before spending the code', async () => {
    const { grantType, body, consumed } = setUp();
    await expect(grantType.exchange(client(), body({ code: undefined }), ISSUER)).rejects.toEqual(
      error('invalid_request'),
    );
    await expect(grantType.exchange(client(), body({ code_verifier: undefined }), ISSUER)).rejects.toEqual(
      error('invalid_request'),
    );
    await expect(grantType.exchange(client(), body({ code_verifier: 'short' }), ISSUER)).rejects.toEqual(
      error('invalid_request'),
    );
    expect(consumed).toEqual([]);
  });

  it('refuses an unknown code', async () => {
    const { grantType, body } = setUp({}, 'not_found');
    await expect(grantType.exchange(client(), body(), ISSUER)).rejects.toEqual(
      error('invalid_grant', /invalid or expired/),
    );
  });

  it('revokes the grant of a replayed code (RFC 6749 §4.1.2)', async () => {
    const { grantType, body, revoked, audited } = setUp({}, 'already_consumed');
    await expect(grantType.exchange(client(), body(), ISSUER)).rejects.toEqual(
      error('invalid_grant', /already been used/),
    );
    expect(revoked).toEqual(['grant-1']);
    expect(audited()).toEqual(['token.reuse_detected']);
  });

  it('refuses an expired code', async () => {
    const { grantType, body } = setUp({ expiresAt: Date.now() - 1 });
    await expect(grantType.exchange(client(), body(), ISSUER)).rejects.toEqual(
      error('invalid_grant', /expired/),
    );
  });

  it('refuses a code issued to another client', async () => {
    const { grantType, body } = setUp({ clientId: 'someone-else' });
    await expect(grantType.exchange(client(), body(), ISSUER)).rejects.toEqual(
      error('invalid_grant', /another client/),
    );
  });

  it('refuses a code redeemed under another issuer than the one it was issued by', async () => {
    const { grantType, body, issued } = setUp({ issuer: 'http://127.0.0.1:3002' });
    await expect(grantType.exchange(client(), body(), ISSUER)).rejects.toEqual(
      error('invalid_grant', /issued by http:\/\/127\.0\.0\.1:3002/),
    );
    expect(issued).toEqual([]);
  });

  it('holds a metadata-document client to the authentication method the user consented under', async () => {
    const snapshot = client({ tokenEndpointAuthMethod: 'private_key_jwt', documentHost: 'app.example' });
    const { grantType, body } = setUp({ clientSnapshot: snapshot });
    await expect(grantType.exchange(client(), body(), ISSUER)).rejects.toEqual(
      error('invalid_grant', /changed its authentication method/),
    );
  });

  it('decides refresh tokens by the consented document, not the current one', async () => {
    const snapshot = client({
      grantTypes: ['authorization_code', 'refresh_token'],
      documentHost: 'app.example',
    });
    const { grantType, body, issued } = setUp({ clientSnapshot: snapshot });
    await grantType.exchange(client({ grantTypes: ['authorization_code'] }), body(), ISSUER);
    expect(issued[0].refreshToken).toBeDefined();
  });

  it('issues a refresh token for offline_access, and none without it or the grant type', async () => {
    const asked = setUp({ scopes: ['mcp:tools:read', 'offline_access'] });
    await asked.grantType.exchange(client({ grantTypes: ['authorization_code'] }), asked.body(), ISSUER);
    expect(asked.issued[0].refreshToken).toBeDefined();
    expect(asked.savedRefreshTokens).toEqual(['rt-hash']);
    const plain = setUp();
    await plain.grantType.exchange(client({ grantTypes: ['authorization_code'] }), plain.body(), ISSUER);
    expect(plain.issued[0].refreshToken).toBeUndefined();
    expect(plain.savedRefreshTokens).toEqual([]);
  });

  it('requires the redirect_uri of the authorization request, when one was sent or is sent now', async () => {
    const sent = setUp();
    await expect(
      sent.grantType.exchange(client(), sent.body({ redirect_uri: undefined }), ISSUER),
    ).rejects.toEqual(error('invalid_grant', /redirect_uri/));
    const notSent = setUp({ redirectUriProvided: false });
    await expect(
      notSent.grantType.exchange(
        client(),
        notSent.body({ redirect_uri: 'http://127.0.0.1:9/other' }),
        ISSUER,
      ),
    ).rejects.toEqual(error('invalid_grant', /redirect_uri/));
    const omitted = setUp({ redirectUriProvided: false });
    await omitted.grantType.exchange(client(), omitted.body({ redirect_uri: undefined }), ISSUER);
    expect(omitted.issued).toHaveLength(1);
  });

  it('refuses a verifier that does not match the challenge (RFC 7636 §4.6)', async () => {
    const { grantType, body } = setUp();
    await expect(
      grantType.exchange(client(), body({ code_verifier: generateCodeVerifier() }), ISSUER),
    ).rejects.toEqual(error('invalid_grant', /PKCE/));
  });

  it('refuses another resource, and accepts the same one spelled differently (RFC 8707 §2.2)', async () => {
    const other = setUp();
    await expect(
      other.grantType.exchange(client(), other.body({ resource: 'http://localhost:1/mcp' }), ISSUER),
    ).rejects.toEqual(error('invalid_target'));
    const same = setUp();
    await same.grantType.exchange(client(), same.body({ resource: 'HTTP://LOCALHOST:3002/mcp' }), ISSUER);
    expect(same.issued).toHaveLength(1);
  });

  it('refuses a code whose grant was revoked meanwhile', async () => {
    const { grantType, body, grant } = setUp();
    grant.revokedAt = Date.now();
    await expect(grantType.exchange(client(), body(), ISSUER)).rejects.toEqual(
      error('invalid_grant', /revoked/),
    );
  });
});

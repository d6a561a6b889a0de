import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { AuditTrail, MetricsRegistry } from '@app/observability';
import type { OAuthError } from '@app/oauth-errors';
import { OAuthStoreModule, UpstreamLoginRepository, type InteractionRecord } from '@app/oauth-store';
import { AuthorizationPageError } from '../authorize/authorization-request';
import { loadAuthzConfig } from '../config/authz.config';
import { FederatedLoginService } from './federated-login.service';
import { TokenCipher } from '../common/token-cipher';
import type { UpstreamClients, UpstreamResult } from './upstream-clients.service';
import { UpstreamRejectedError, UpstreamUnavailableError } from './upstream-errors';

const tokenKey = randomBytes(32);
/** The memory store's sign-in records (each backend's own contract spec proves single use there). */
let logins: UpstreamLoginRepository;
let store: TestingModule;
beforeAll(async () => {
  store = await Test.createTestingModule({
    imports: [OAuthStoreModule.forRoot({ backend: 'memory', maxClients: 10 })],
  }).compile();
  logins = store.get(UpstreamLoginRepository);
});
afterAll(() => store.close());
beforeAll(() => Logger.overrideLogger(false));
const providers = [
  { id: 'corp', issuer: 'https://idp.corp.example', clientId: 'gw', clientSecret: 's', name: 'Corp SSO' },
  { id: 'gh', type: 'github', clientId: 'gh-app', clientSecret: 's' },
];

function setup(
  env: Record<string, string> = {},
  result: () => Promise<UpstreamResult> | UpstreamResult = () => ({
    claims: {
      sub: 'u-1',
      email: 'Alice@Corp.example',
      email_verified: true,
      name: 'Alice',
      groups: ['staff'],
    },
    refreshToken: 'upstream-rt',
  }),
) {
  const config = loadAuthzConfig({
    LOG_LEVEL: 'silent',
    AUTHZ_OIDC_PROVIDERS: JSON.stringify(providers),
    ...env,
  });
  const exchange = jest.fn(async () => result());
  const upstream = {
    providers: config.federation.providers,
    find: (id: string) => config.federation.providers.find((provider) => provider.id === id),
    authorizationUrl: async (
      _provider: unknown,
      checks: { state: string; nonce: string; redirectUri: string },
    ) => new URL(`https://idp.corp.example/authorize?state=${checks.state}&nonce=${checks.nonce}`),
    exchange,
  } as unknown as UpstreamClients;
  const audit = new AuditTrail(
    { sink: { kind: 'off' }, recentSize: 100, includeArguments: false },
    'authz',
    new MetricsRegistry(),
  );
  /** The audit events of this flow, oldest first. */
  const audited = () => audit.recent(() => true).reverse();
  // Built lazily: the store exists once the suite's beforeAll ran.
  let service: FederatedLoginService | undefined;
  const get = () => (service ??= new FederatedLoginService(logins, upstream, config, audit));
  return {
    get service() {
      return get();
    },
    exchange,
    config,
    audited,
  };
}

const interaction = (overrides: Partial<InteractionRecord> = {}): InteractionRecord => ({
  id: 'i'.repeat(43),
  clientId: 'client',
  redirectUri: 'http://127.0.0.1:9/cb',
  redirectUriProvided: true,
  scopes: ['mcp:tools:read'],
  resource: 'http://localhost:3002/mcp',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  codeChallengeMethod: 'S256',
  issuer: 'http://localhost:3002',
  expiresAt: Date.now() + 60_000,
  ...overrides,
});

/** Starts a sign-in; returns the callback query the provider would send and the browser's cookie header. */
async function started(service: FederatedLoginService, provider = 'corp') {
  const start = await service.start(interaction(), provider);
  const state = new URL(start.location).searchParams.get('state')!;
  const cookie = start.cookie.split(';')[0];
  return { start, state, cookie, query: { code: 'upstream-code', state } };
}

async function pageError(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AuthorizationPageError))
    throw new Error(`expected a page error, got ${String(error)}`);
  return error.error;
}

describe('FederatedLoginService', () => {
  describe('with the default claims', () => {
    const flow = setup();

    it('signs in as <provider>|<sub> with the identity the provider gave, for the same interaction', async () => {
      const { query, cookie } = await started(flow.service);
      const login = await flow.service.finish('corp', query, cookie);
      expect(login).toEqual({
        interactionId: 'i'.repeat(43),
        subject: 'corp|u-1',
        federated: {
          identity: {
            provider: 'corp',
            email: 'alice@corp.example',
            emailVerified: true,
            name: 'Alice',
            groups: ['staff'],
          },
        },
      });
      expect(flow.audited().at(-1)).toMatchObject({
        type: 'login.succeeded',
        sub: 'corp|u-1',
        method: 'provider',
        provider: 'corp',
      });
      // The provider's refresh token is not kept unless configured.
      expect(JSON.stringify(login)).not.toContain('upstream-rt');
      expect(flow.exchange).toHaveBeenCalledWith(
        expect.objectContaining({ id: 'corp' }),
        expect.any(URLSearchParams),
        expect.objectContaining({ redirectUri: 'http://localhost:3002/login/callback/corp' }),
      );
    });

    it('sets an HttpOnly SameSite=Lax binding cookie and reuses the one the browser holds', async () => {
      const first = await flow.service.start(interaction(), 'corp');
      expect(first.cookie).toMatch(
        /^mcp-login=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/,
      );
      const second = await flow.service.start(interaction(), 'corp', first.cookie.split(';')[0]);
      expect(second.cookie.split(';')[0]).toBe(first.cookie.split(';')[0]);
      expect(new URL(second.location).searchParams.get('state')).not.toBe(
        new URL(first.location).searchParams.get('state'),
      );
    });

    it('refuses an unknown provider at the start', async () => {
      expect(await pageError(flow.service.start(interaction(), 'nope'))).toMatchObject({
        errorCode: 'invalid_request',
      });
    });

    it('refuses a missing, malformed or unknown state', async () => {
      const { cookie } = await started(flow.service);
      flow.exchange.mockClear();
      for (const query of [
        { code: 'c' },
        { code: 'c', state: 'short' },
        { code: 'c', state: 'x'.repeat(43) },
      ]) {
        expect(await pageError(flow.service.finish('corp', query, cookie))).toMatchObject({
          errorCode: 'invalid_request',
          description: 'This sign-in is unknown or has expired.',
        });
      }
      expect(flow.exchange).not.toHaveBeenCalled();
    });

    it('refuses a replayed callback', async () => {
      const { query, cookie } = await started(flow.service);
      await flow.service.finish('corp', query, cookie);
      expect(await pageError(flow.service.finish('corp', query, cookie))).toMatchObject({
        description: 'This sign-in was already completed.',
      });
      expect(flow.audited().at(-1)).toMatchObject({
        type: 'login.failed',
        provider: 'corp',
        reason: 'replayed provider callback',
      });
    });

    it('refuses a callback that arrives for another provider, or with a repeated parameter', async () => {
      const { query, cookie, state } = await started(flow.service);
      expect((await pageError(flow.service.finish('gh', query, cookie))).description).toMatch(
        /another identity provider/,
      );
      const again = await started(flow.service);
      const repeated = { code: ['a', 'b'], state: again.state };
      expect((await pageError(flow.service.finish('corp', repeated, again.cookie))).description).toMatch(
        /malformed/,
      );
      expect(state).not.toBe(again.state);
    });

    it('refuses a callback from a browser without the binding cookie or with another one', async () => {
      const { query } = await started(flow.service);
      expect((await pageError(flow.service.finish('corp', query))).description).toMatch(/another browser/);
      const other = await started(flow.service);
      const foreign = `mcp-login=${'A'.repeat(43)}`;
      expect((await pageError(flow.service.finish('corp', other.query, foreign))).description).toMatch(
        /another browser/,
      );
    });
  });

  it('sends a refused sign-in to an access_denied page, per the rules, and signs nobody in', async () => {
    const { service, audited } = setup({
      AUTHZ_ACCESS_RULES: JSON.stringify({ domains: ['other.example'] }),
    });
    const { query, cookie } = await started(service);
    const error = await pageError(service.finish('corp', query, cookie));
    expect(error).toMatchObject({ errorCode: 'access_denied', status: 403 });
    expect(audited()).toEqual([
      expect.objectContaining({
        type: 'login.failed',
        method: 'provider',
        provider: 'corp',
        user: 'corp|u-1',
        reason: 'refused by the access rules',
      }),
    ]);
    expect(error.description).toContain('alice@corp.example (Corp SSO) is not allowed');
  });

  it("uses a provider's own rules instead of the global ones", async () => {
    const own = [{ ...providers[0], access: { groups: ['staff'] } }];
    const { service } = setup({
      AUTHZ_OIDC_PROVIDERS: JSON.stringify(own),
      AUTHZ_ACCESS_RULES: JSON.stringify({ domains: ['other.example'] }),
    });
    const { query, cookie } = await started(service);
    await expect(service.finish('corp', query, cookie)).resolves.toMatchObject({ subject: 'corp|u-1' });
  });

  it("turns the provider's refusal into access_denied and an outage into temporarily_unavailable", async () => {
    const refusing = setup({}, () => Promise.reject(new UpstreamRejectedError('nonce mismatch'))).service;
    let flow = await started(refusing);
    expect(await pageError(refusing.finish('corp', flow.query, flow.cookie))).toMatchObject({
      errorCode: 'access_denied',
      description: 'The answer from Corp SSO could not be verified, so you are not signed in.',
    });
    const cancelled = setup({}, () =>
      Promise.reject(new UpstreamRejectedError('x', 'access_denied')),
    ).service;
    flow = await started(cancelled);
    expect((await pageError(cancelled.finish('corp', flow.query, flow.cookie))).description).toBe(
      'Corp SSO did not sign you in (access_denied).',
    );
    const down = setup({}, () => Promise.reject(new UpstreamUnavailableError('ECONNREFUSED'))).service;
    flow = await started(down);
    expect(await pageError(down.finish('corp', flow.query, flow.cookie))).toMatchObject({
      errorCode: 'temporarily_unavailable',
      status: 503,
    });
  });

  it('keeps the provider refresh token only when configured, sealed to the subject', async () => {
    const { service } = setup({
      AUTHZ_OIDC_KEEP_REFRESH_TOKENS: 'true',
      AUTHZ_OIDC_TOKEN_KEY: tokenKey.toString('base64'),
    });
    const { query, cookie } = await started(service);
    const { federated } = await service.finish('corp', query, cookie);
    expect(federated.upstreamRefreshToken).toMatch(/^v1\./);
    expect(new TokenCipher(tokenKey).decrypt(federated.upstreamRefreshToken!, 'corp|u-1')).toBe(
      'upstream-rt',
    );
  });

  it('goes straight to the provider only when it is the one way to sign in', () => {
    const one = JSON.stringify([providers[0]]);
    expect(setup({ AUTHZ_OIDC_PROVIDERS: one }).service.soleProvider()?.id).toBe('corp');
    expect(setup().service.soleProvider()).toBeUndefined();
    expect(
      setup({ AUTHZ_OIDC_PROVIDERS: one, AUTHZ_AUTO_LOGIN: 'true' }).service.soleProvider(),
    ).toBeUndefined();
    const users = 'alice:scrypt:16384:8:1:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(setup({ AUTHZ_OIDC_PROVIDERS: one, AUTHZ_USERS: users }).service.soleProvider()).toBeUndefined();
  });
});

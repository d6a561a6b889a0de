import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import type { OAuthError } from '@app/oauth-errors';
import { AuditTrail, MetricsRegistry } from '@app/observability';
import {
  AuthorizationCodeRepository,
  ConsentRepository,
  GrantRepository,
  OAuthStoreModule,
  UpstreamTokenRepository,
  type ClientRecord,
} from '@app/oauth-store';
import { ClientsService } from '../clients/clients.service';
import { sha256 } from '../common/random';
import { authzConfig, loadAuthzConfig } from '../config/authz.config';
import { UpstreamClients } from '../federation/upstream-clients.service';
import { UpstreamRefreshService } from '../federation/upstream-refresh.service';
import { TokenRevocationService } from '../revocation/token-revocation.service';
import { AuthorizationPageError, type ValidatedAuthorizationRequest } from './authorization-request';
import { InteractionService } from './interaction.service';

const config = loadAuthzConfig({
  LOG_LEVEL: 'silent',
  AUTHZ_OIDC_KEEP_REFRESH_TOKENS: 'true',
  AUTHZ_OIDC_TOKEN_KEY: randomBytes(32).toString('base64'),
});

/** The service over a fresh in-memory store; collaborators outside the interaction rules are inert. */
async function setup() {
  const module = await Test.createTestingModule({
    imports: [authzConfig.forRoot(config), OAuthStoreModule.forRoot({ backend: 'memory', maxClients: 100 })],
    providers: [
      InteractionService,
      UpstreamRefreshService,
      { provide: ClientsService, useValue: { markUsed: async () => undefined } },
      { provide: UpstreamClients, useValue: {} },
      { provide: TokenRevocationService, useValue: {} },
      {
        provide: AuditTrail,
        useValue: new AuditTrail(
          { sink: { kind: 'off' }, recentSize: 100, includeArguments: false },
          'authz',
          new MetricsRegistry(),
        ),
      },
    ],
  }).compile();
  opened.push(module);
  return {
    service: module.get(InteractionService),
    codes: module.get(AuthorizationCodeRepository),
    grants: module.get(GrantRepository),
    consents: module.get(ConsentRepository),
    upstreamTokens: module.get(UpstreamTokenRepository),
  };
}

const opened: { close(): Promise<void> }[] = [];
afterAll(() => Promise.all(opened.map((module) => module.close())));

const client = { clientId: 'client-a', clientName: 'App' } as ClientRecord;
const request: ValidatedAuthorizationRequest = {
  client,
  redirectUri: 'http://127.0.0.1:5000/cb',
  redirectUriProvided: true,
  scopes: ['mcp:tools:read', 'mcp:tools:execute'],
  resource: 'http://localhost:3002/mcp',
  state: 'client-state',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  codeChallengeMethod: 'S256',
  issuer: 'http://localhost:3002',
};

async function pageError(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AuthorizationPageError))
    throw new Error(`expected a page error, got ${String(error)}`);
  return error.error;
}

describe('InteractionService', () => {
  it('finds a live interaction only by a well-formed id', async () => {
    const { service } = await setup();
    const started = await service.start(request);
    await expect(service.find(started.id)).resolves.toMatchObject({ clientId: 'client-a' });
    for (const id of [undefined, 'short', `${started.id}x`, 'A'.repeat(43)]) {
      expect((await pageError(service.find(id))).description).toMatch(/expired or was already used/);
    }
  });

  it('refuses a decision other than approve or deny', async () => {
    const { service } = await setup();
    const started = await service.start(request, 'alice');
    expect((await pageError(service.decide(started.id, 'maybe'))).description).toBe(
      'decision must be approve or deny.',
    );
  });

  it('refuses to approve before anyone signed in', async () => {
    const { service } = await setup();
    const started = await service.start(request);
    expect(await pageError(service.decide(started.id, 'approve'))).toMatchObject({
      errorCode: 'access_denied',
    });
  });

  it('decides once: a second decision finds nothing', async () => {
    const { service } = await setup();
    const started = await service.start(request, 'alice');
    await service.decide(started.id, 'approve');
    expect((await pageError(service.decide(started.id, 'approve'))).description).toMatch(/already used/);
  });

  it('answers deny with access_denied, state and iss at the redirect URI', async () => {
    const { service } = await setup();
    const started = await service.start(request, 'alice');
    const location = new URL(await service.decide(started.id, 'deny'));
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      error: 'access_denied',
      state: 'client-state',
      iss: 'http://localhost:3002',
    });
  });

  it('issues a code bound to the request, the grant carrying the federated identity', async () => {
    const { service, codes, grants, consents, upstreamTokens } = await setup();
    const started = await service.start(request);
    const identity = { provider: 'corp', email: 'a@corp.example', emailVerified: true, groups: ['staff'] };
    await service.signIn(started.id, 'corp|a', { identity, upstreamRefreshToken: 'v1.sealed' });
    const location = new URL(await service.decide(started.id, 'approve'));
    expect(location.searchParams.get('state')).toBe('client-state');
    expect(location.searchParams.get('iss')).toBe('http://localhost:3002');
    const code = await codes.consume(sha256(location.searchParams.get('code')!));
    expect(code).toMatchObject({
      outcome: 'consumed',
      record: { subject: 'corp|a', clientId: 'client-a', codeChallenge: request.codeChallenge },
    });
    const grantId = code.outcome === 'consumed' ? code.record.grantId : '';
    await expect(grants.find(grantId)).resolves.toMatchObject({ subject: 'corp|a', identity });
    await expect(upstreamTokens.find(grantId)).resolves.toMatchObject({
      provider: 'corp',
      refreshToken: 'v1.sealed',
    });
    await expect(consents.find('corp|a', 'client-a')).resolves.toMatchObject({ scopes: request.scopes });
  });

  it('keeps no identity on the grant of a local user', async () => {
    const { service, codes, grants } = await setup();
    const started = await service.start(request, 'alice');
    const location = new URL(await service.decide(started.id, 'approve'));
    const code = await codes.consume(sha256(location.searchParams.get('code')!));
    const grant = await grants.find(code.outcome === 'consumed' ? code.record.grantId : '');
    expect(grant).toMatchObject({ subject: 'alice' });
    expect(grant?.identity).toBeUndefined();
  });

  it('signs out by spending the interaction: no sign-in or approval afterwards', async () => {
    const { service } = await setup();
    const started = await service.start(request, 'alice');
    await service.signOut(started.id);
    expect((await pageError(service.signIn(started.id, 'mallory'))).description).toMatch(/already used/);
    expect((await pageError(service.decide(started.id, 'approve'))).description).toMatch(/already used/);
  });

  it('counts an earlier consent only when it covers every requested scope', async () => {
    const { service, consents } = await setup();
    const started = await service.start(request, 'alice');
    await consents.save({
      subject: 'alice',
      clientId: 'client-a',
      scopes: ['mcp:tools:read'],
      grantedAt: 1,
      expiresAt: Date.now() + 60_000,
    });
    await expect(service.previouslyApproved(started)).resolves.toBe(false);
    await consents.save({
      subject: 'alice',
      clientId: 'client-a',
      scopes: request.scopes,
      grantedAt: 2,
      expiresAt: Date.now() + 60_000,
    });
    await expect(service.previouslyApproved(started)).resolves.toBe(true);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuthzConfig } from './authz.config';

const load = (env: Record<string, string> = {}) => loadAuthzConfig({ LOG_LEVEL: 'silent', ...env });
const providers = (...list: object[]) => ({ AUTHZ_OIDC_PROVIDERS: JSON.stringify(list) });
const corp = { id: 'corp', issuer: 'https://idp.corp.example', clientId: 'gw', clientSecret: 's' };

describe('federation settings', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'federation-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fills in defaults for OIDC and GitHub providers', () => {
    const { federation } = load(
      providers(corp, { id: 'gh', type: 'github', clientId: 'x', clientSecret: 'y' }),
    );
    expect(federation.providers).toEqual([
      expect.objectContaining({
        id: 'corp',
        type: 'oidc',
        name: 'corp',
        scopes: ['openid', 'email', 'profile'],
        groupsClaim: 'groups',
        idTokenAlg: 'RS256',
      }),
      expect.objectContaining({
        id: 'gh',
        name: 'GitHub',
        issuer: 'https://github.com',
        apiUrl: 'https://api.github.com',
        scopes: ['read:user', 'user:email'],
      }),
    ]);
    expect(federation).toMatchObject({
      keepRefreshTokens: false,
      accessRules: { emails: [], domains: [], groups: [] },
    });
  });

  it('reads the providers and a client secret from files', () => {
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, 'from-a-file\n');
    const listFile = join(dir, 'providers.json');
    writeFileSync(
      listFile,
      JSON.stringify([{ ...corp, clientSecret: undefined, clientSecretFile: secretFile }]),
    );
    const { federation } = load({ AUTHZ_OIDC_PROVIDERS_FILE: listFile });
    expect(federation.providers[0].clientSecret).toBe('from-a-file');
    expect(() => load({ ...providers(corp), AUTHZ_OIDC_PROVIDERS_FILE: listFile })).toThrow(/not both/);
    expect(() => load({ AUTHZ_OIDC_PROVIDERS_FILE: join(dir, 'missing') })).toThrow(
      /AUTHZ_OIDC_PROVIDERS_FILE/,
    );
  });

  it('names the broken field of a provider', () => {
    expect(() => load({ AUTHZ_OIDC_PROVIDERS: '{' })).toThrow(/AUTHZ_OIDC_PROVIDERS is not valid JSON/);
    expect(() => load(providers({ ...corp, id: 'Has Space' }))).toThrow(/AUTHZ_OIDC_PROVIDERS\[0\]\.id/);
    expect(() => load(providers(corp, corp))).toThrow(/"corp" is used twice/);
    expect(() => load(providers({ ...corp, issuer: undefined }))).toThrow(/issuer is required/);
    expect(() => load(providers({ ...corp, issuer: 'https://idp.example/?x=1' }))).toThrow(/query/);
    expect(() => load(providers({ ...corp, scopes: ['email'] }))).toThrow(/must include openid/);
    expect(() => load(providers({ ...corp, idTokenAlg: 'HS256' }))).toThrow(/idTokenAlg/);
    expect(() => load(providers({ ...corp, idTokenAlg: 'none' }))).toThrow(/idTokenAlg/);
    expect(() => load(providers({ id: 'gh', type: 'github', clientId: 'x' }))).toThrow(
      /GitHub needs a client secret/,
    );
    expect(() => load(providers({ ...corp, clientSecretFile: '/x' }))).toThrow(/not both/);
    expect(() => load(providers({ ...corp, access: { domain: ['x'] } }))).toThrow(/unknown field domain/);
  });

  it('requires https issuers in production', () => {
    const http = providers({ ...corp, issuer: 'http://idp.corp.example' });
    expect(load(http).federation.providers[0].issuer).toBe('http://idp.corp.example');
    expect(() => load({ ...http, NODE_ENV: 'production' })).toThrow(/must use https in production/);
  });

  it('normalises access rules: lower-case emails and domains, a leading @ dropped', () => {
    const { federation } = load({
      AUTHZ_ACCESS_RULES: JSON.stringify({
        emails: ['Alice@Corp.Example'],
        domains: ['@Corp.Example'],
        groups: ['Ops'],
      }),
    });
    expect(federation.accessRules).toEqual({
      emails: ['alice@corp.example'],
      domains: ['corp.example'],
      groups: ['Ops'],
    });
    expect(() => load({ AUTHZ_ACCESS_RULES: '["x"]' })).toThrow(/AUTHZ_ACCESS_RULES must be an object/);
  });

  it('needs a 32-byte key to keep provider refresh tokens', () => {
    expect(() => load({ AUTHZ_OIDC_KEEP_REFRESH_TOKENS: 'true' })).toThrow(/AUTHZ_OIDC_TOKEN_KEY/);
    expect(() =>
      load({
        AUTHZ_OIDC_KEEP_REFRESH_TOKENS: 'true',
        AUTHZ_OIDC_TOKEN_KEY: Buffer.alloc(16).toString('base64'),
      }),
    ).toThrow(/AUTHZ_OIDC_TOKEN_KEY/);
    const key = Buffer.alloc(32, 7).toString('base64');
    const { federation } = load({ AUTHZ_OIDC_KEEP_REFRESH_TOKENS: 'true', AUTHZ_OIDC_TOKEN_KEY: key });
    expect(federation.tokenKey).toEqual(Buffer.alloc(32, 7));
  });

  it('turns the development auto-login off once providers are configured, unless asked for', () => {
    expect(load().autoLogin).toBe(true);
    expect(load(providers(corp)).autoLogin).toBe(false);
    expect(load({ ...providers(corp), AUTHZ_AUTO_LOGIN: 'true' }).autoLogin).toBe(true);
  });
});

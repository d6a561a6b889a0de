import { ConfigValidationError } from '@app/config';
import { loadAuthzConfig } from './authz.config';

const load = (env: Record<string, string> = {}) => loadAuthzConfig({ LOG_LEVEL: 'silent', ...env });

describe('loadAuthzConfig', () => {
  it('turns dev tokens and auto-login on outside production and off in production', () => {
    expect(load()).toMatchObject({ devTokens: true, autoLogin: true, defaultUser: 'developer' });
    expect(load({ NODE_ENV: 'production' })).toMatchObject({ devTokens: false, autoLogin: false });
    expect(load({ AUTHZ_DEV_TOKENS: 'false' }).devTokens).toBe(false);
  });

  it('refuses development switches and a guessable registration token in production', () => {
    expect(() => load({ NODE_ENV: 'production', AUTHZ_DEV_TOKENS: 'true' })).toThrow(/AUTHZ_DEV_TOKENS/);
    expect(() => load({ NODE_ENV: 'production', AUTHZ_AUTO_LOGIN: 'true' })).toThrow(/AUTHZ_AUTO_LOGIN/);
    expect(() => load({ NODE_ENV: 'production', AUTHZ_REGISTRATION_TOKEN: 'short' })).toThrow(
      ConfigValidationError,
    );
    const client = (secret: string) =>
      JSON.stringify([
        { client_id: 'svc', client_secret: secret, redirect_uris: ['https://svc.example/cb'] },
      ]);
    for (const weak of ['changeme', 'x'.repeat(31), `example-client-secret-${'0'.repeat(20)}`]) {
      expect(() => load({ NODE_ENV: 'production', AUTHZ_CLIENTS: client(weak) })).toThrow(
        /AUTHZ_CLIENTS\[0\]\.client_secret/,
      );
    }
    const strong = 'Zq8v3KxW1tYbN5rLm0pQ7sDfG2hJ4kAa';
    expect(load({ NODE_ENV: 'production', AUTHZ_CLIENTS: client(strong) }).staticClients).toHaveLength(3);
    expect(load({ AUTHZ_CLIENTS: client('changeme') }).staticClients).toHaveLength(3);
  });

  it('keeps state in SQLite under AUTHZ_DATA_DIR by default; memory only when asked; Redis when STORE_URL is set', () => {
    expect(load({ AUTHZ_DATA_DIR: '/var/lib/authz' }).store).toEqual({
      backend: 'sqlite',
      file: '/var/lib/authz/oauth-store.sqlite',
      maxClients: 10_000,
    });
    expect(load({ AUTHZ_STORE: 'memory', AUTHZ_DCR_MAX_CLIENTS: '50' }).store).toEqual({
      backend: 'memory',
      maxClients: 50,
    });
    const sealing = { AUTHZ_KEYS_ENCRYPTION_KEY: 'SVAgMXZcfPhmjAyYO7L+UQgkiq8DVPmX1jxKxYs59pA=' };
    expect(load({ STORE_URL: 'rediss://:pw@redis.internal:6380/2', ...sealing }).store).toEqual({
      backend: 'redis',
      url: 'rediss://:pw@redis.internal:6380/2',
      maxClients: 10_000,
    });
    expect(load()).toMatchObject({ refreshReuseGraceMs: 30_000, dcr: { unusedTtlMs: 604_800_000 } });
    expect(load({ AUTHZ_REFRESH_REUSE_GRACE_SECONDS: '0' }).refreshReuseGraceMs).toBe(0);
  });

  it('requires AUTHZ_KEYS_ENCRYPTION_KEY with STORE_URL (signing keys in Redis) unless a PEM key is configured', () => {
    const key = 'SVAgMXZcfPhmjAyYO7L+UQgkiq8DVPmX1jxKxYs59pA=';
    const redis = { STORE_URL: 'redis://cache:6379' };
    expect(() => load(redis)).toThrow(/AUTHZ_KEYS_ENCRYPTION_KEY: required when STORE_URL is set/);
    expect(load({ ...redis, AUTHZ_KEYS_ENCRYPTION_KEY: key }).keysEncryptionKey).toEqual(
      Buffer.from(key, 'base64'),
    );
    expect(load().keysEncryptionKey).toBeUndefined();
    for (const malformed of ['too-short', Buffer.alloc(31, 7).toString('base64'), `${key.slice(0, -1)}!`]) {
      expect(() => load({ ...redis, AUTHZ_KEYS_ENCRYPTION_KEY: malformed })).toThrow(
        /AUTHZ_KEYS_ENCRYPTION_KEY: must be 32 bytes in base64/,
      );
    }
    // A placeholder passes outside production (tests), never in production.
    const placeholders = [
      Buffer.alloc(32).toString('base64'),
      Buffer.from('change-me-change-me-change-me-32').toString('base64'),
      'ChangeMeChangeMeChangeMeChangeMeChangeMe123=',
    ];
    for (const placeholder of placeholders) {
      expect(load({ ...redis, AUTHZ_KEYS_ENCRYPTION_KEY: placeholder }).keysEncryptionKey).toHaveLength(32);
      expect(() =>
        load({ ...redis, NODE_ENV: 'production', AUTHZ_KEYS_ENCRYPTION_KEY: placeholder }),
      ).toThrow(/AUTHZ_KEYS_ENCRYPTION_KEY: looks like a placeholder/);
    }
    expect(
      load({ ...redis, NODE_ENV: 'production', AUTHZ_KEYS_ENCRYPTION_KEY: key }).keysEncryptionKey,
    ).toHaveLength(32);
  });

  it('refuses a store setting it cannot honour, without echoing STORE_URL', () => {
    expect(() => load({ AUTHZ_STORE: 'postgres' })).toThrow(/AUTHZ_STORE/);
    expect(() => load({ STORE_URL: 'http://user:secret@cache:6379' })).toThrow(/STORE_URL: must be a redis/);
    expect(() => load({ STORE_URL: 'http://user:secret@cache:6379' })).not.toThrow(/secret/);
    expect(() => load({ STORE_URL: 'redis://cache', AUTHZ_STORE: 'memory' })).toThrow(
      /AUTHZ_STORE: leave it unset/,
    );
    expect(() => load({ AUTHZ_DCR_MAX_CLIENTS: '0' })).toThrow(/AUTHZ_DCR_MAX_CLIENTS/);
    expect(() => load({ AUTHZ_DCR_UNUSED_TTL: '5' })).toThrow(/AUTHZ_DCR_UNUSED_TTL/);
    expect(() => load({ AUTHZ_REFRESH_REUSE_GRACE_SECONDS: '-1' })).toThrow(
      /AUTHZ_REFRESH_REUSE_GRACE_SECONDS/,
    );
  });

  it('names a malformed variable', () => {
    expect(() => load({ AUTHZ_ACCESS_TOKEN_TTL_SECONDS: 'soon' })).toThrow(/AUTHZ_ACCESS_TOKEN_TTL_SECONDS/);
    expect(() => load({ AUTHZ_USERS: 'alice:plaintext' })).toThrow(/AUTHZ_USERS: user "alice"/);
    expect(() => load({ AUTHZ_CLIENTS: '{' })).toThrow(/AUTHZ_CLIENTS/);
    expect(() => load({ AUTHZ_SIGNING_KEY_PEM: 'not a key' })).toThrow(/AUTHZ_SIGNING_KEY_PEM/);
    expect(() => load({ AUTHZ_CLIENTS: '[{"client_id":"x"}]' })).toThrow(/redirect_uris/);
    for (const uri of ['not a uri', 'https://app.example/cb#x']) {
      const clients = JSON.stringify([{ client_id: 'x', redirect_uris: [uri] }]);
      expect(() => load({ AUTHZ_CLIENTS: clients })).toThrow(/AUTHZ_CLIENTS\[0\]\.redirect_uris/);
    }
    expect(() => load({ AUTHZ_TRUST_PROXY: 'false' })).toThrow(/AUTHZ_TRUST_PROXY: "false"/);
    expect(load({ AUTHZ_TRUST_PROXY: 'loopback, 10.0.0.0/8, ::1, 192.0.2.1/255.255.255.0' }).trustProxy).toBe(
      'loopback, 10.0.0.0/8, ::1, 192.0.2.1/255.255.255.0',
    );
  });

  it('pre-registers the Inspector and Swagger UI, on PUBLIC_URL and every alias', () => {
    const config = load({
      PUBLIC_URL: 'http://localhost:3002',
      PUBLIC_HOST_ALIASES: 'localhost,127.0.0.1,::1',
    });
    const byId = new Map(config.staticClients.map((client) => [client.clientId, client]));
    expect(byId.get('mcp-inspector-client')).toMatchObject({
      tokenEndpointAuthMethod: 'none',
      redirectUris: expect.arrayContaining([
        'http://localhost:6274/oauth/callback',
        'http://localhost:6274/oauth/callback/debug',
        'http://127.0.0.1:6274/oauth/callback',
        'http://127.0.0.1:6274/oauth/callback/debug',
      ]),
    });
    expect(byId.get('mcp-inspector-client')!.scopes).toHaveLength(6);
    expect(byId.get('swagger-ui')!.redirectUris).toEqual([
      'http://localhost:3002/docs/oauth2-redirect.html',
      'http://127.0.0.1:3002/docs/oauth2-redirect.html',
      'http://[::1]:3002/docs/oauth2-redirect.html',
    ]);
  });

  it('adds configured clients, hashing their secrets', () => {
    const config = load({
      AUTHZ_CLIENTS: JSON.stringify([
        {
          client_id: 'svc',
          client_secret: 's3cret',
          redirect_uris: ['https://svc.example/cb'],
          scope: 'mcp:tools:read',
        },
      ]),
    });
    const svc = config.staticClients.find((client) => client.clientId === 'svc')!;
    expect(svc).toMatchObject({ tokenEndpointAuthMethod: 'client_secret_basic', scopes: ['mcp:tools:read'] });
    expect(svc.clientSecretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(svc)).not.toContain('s3cret');
  });
});

import { clientFromMetadataDocument } from './client-metadata-document';

const URL_ = 'https://app.example.com/oauth/client.json';
const base = {
  client_id: URL_,
  client_name: 'Example MCP Client',
  redirect_uris: ['http://127.0.0.1:3000/callback', 'https://app.example.com/cb'],
};
const parse = (extra: Record<string, unknown> = {}) =>
  clientFromMetadataDocument(URL_, { ...base, ...extra });

describe('client metadata documents (CIMD §4)', () => {
  it('makes a public client from the minimal document, marked with its host', () => {
    expect(parse()).toMatchObject({
      clientId: URL_,
      clientName: 'Example MCP Client',
      redirectUris: base.redirect_uris,
      grantTypes: ['authorization_code'],
      responseTypes: ['code'],
      tokenEndpointAuthMethod: 'none',
      documentHost: 'app.example.com',
    });
    expect(parse().scopes).toHaveLength(6);
  });

  it('requires client_id to equal the URL exactly', () => {
    expect(() => clientFromMetadataDocument(URL_, { ...base, client_id: `${URL_}/` })).toThrow(
      /client_id does not equal/,
    );
    expect(() => clientFromMetadataDocument(URL_.toUpperCase(), base)).toThrow(/client_id does not equal/);
  });

  it('requires client_name and redirect_uris', () => {
    expect(() => parse({ client_name: undefined })).toThrow(/client_name/);
    expect(() => parse({ client_name: 'Evil\u202eTxet' })).toThrow(/client_name/);
    expect(() => parse({ redirect_uris: undefined })).toThrow(/redirect_uris/);
    expect(() => parse({ redirect_uris: [] })).toThrow(/redirect_uris/);
    expect(() => parse({ redirect_uris: [7] })).toThrow(/only strings/);
  });

  it('refuses redirect URIs registration would refuse', () => {
    expect(() => parse({ redirect_uris: ['javascript:alert(1)'] })).toThrow(/javascript/);
    expect(() => parse({ redirect_uris: ['http://app.example.com/cb'] })).toThrow(/https/);
  });

  it('refuses anything but JSON objects', () => {
    expect(() => clientFromMetadataDocument(URL_, [base])).toThrow(/JSON object/);
    expect(() => clientFromMetadataDocument(URL_, 'text')).toThrow(/JSON object/);
  });

  it('refuses secrets and shared-secret authentication (CIMD §4.1)', () => {
    expect(() => parse({ client_secret: 's' })).toThrow(/client_secret/);
    expect(() => parse({ token_endpoint_auth_method: 'client_secret_basic' })).toThrow(/no shared secrets/);
    expect(() => parse({ token_endpoint_auth_method: 'client_secret_jwt' })).toThrow(/no shared secrets/);
  });

  it('accepts private_key_jwt with public keys inline or by URL', () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' };
    expect(parse({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } })).toMatchObject({
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [jwk] },
    });
    expect(
      parse({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://app.example.com/jwks.json' }),
    ).toMatchObject({ jwksUri: 'https://app.example.com/jwks.json' });
  });

  it('refuses private_key_jwt without keys, with both sources, or with private key material', () => {
    expect(() => parse({ token_endpoint_auth_method: 'private_key_jwt' })).toThrow(/exactly one/);
    expect(() =>
      parse({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'EC' }] },
        jwks_uri: 'https://a/j',
      }),
    ).toThrow(/exactly one/);
    expect(() =>
      parse({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', d: 'secret' }] } }),
    ).toThrow(/public keys only/);
    expect(() =>
      parse({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
      }),
    ).toThrow(/public keys only/);
  });

  it('keeps the grant types it supports and needs the code flow', () => {
    expect(parse({ grant_types: ['authorization_code', 'refresh_token', 'urn:x'] }).grantTypes).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    expect(() => parse({ grant_types: ['client_credentials'] })).toThrow(/authorization_code/);
    expect(() => parse({ response_types: ['token'] })).toThrow(/authorization_code/);
  });

  it('keeps known scopes and offline_access from scope, dropping the rest', () => {
    expect(parse({ scope: 'mcp:tools:read  offline_access admin' }).scopes).toEqual([
      'mcp:tools:read',
      'offline_access',
    ]);
    expect(parse({ scope: 'admin' }).scopes).toHaveLength(6);
  });
});

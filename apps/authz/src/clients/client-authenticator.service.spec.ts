import type { Request } from 'express';
import { toPublicUrlSettings } from '@app/config';
import { InvalidClientError } from '@app/oauth-errors';
import type { ClientRecord } from '@app/oauth-store';
import type { AuthzConfig } from '../config/authz.config';
import {
  ClientAuthenticator,
  JWT_BEARER_ASSERTION_TYPE,
  type ClientCredentialsBody,
} from './client-authenticator.service';
import { hashClientSecret } from './client-secret';
import type { ClientsService } from './clients.service';
import type { PrivateKeyJwtVerifier } from './private-key-jwt.verifier';

const base = {
  redirectUris: ['http://127.0.0.1/cb'],
  grantTypes: ['authorization_code'],
  responseTypes: ['code'],
  scopes: [],
  clientIdIssuedAt: 0,
};
const CLIENTS: ClientRecord[] = [
  { ...base, clientId: 'public', tokenEndpointAuthMethod: 'none' },
  {
    ...base,
    clientId: 'basic',
    tokenEndpointAuthMethod: 'client_secret_basic',
    clientSecretHash: hashClientSecret('s3cret'),
  },
  {
    ...base,
    clientId: 'post',
    tokenEndpointAuthMethod: 'client_secret_post',
    clientSecretHash: hashClientSecret('s3cret'),
  },
  {
    ...base,
    clientId: 'odd id',
    tokenEndpointAuthMethod: 'client_secret_basic',
    clientSecretHash: hashClientSecret('p:w'),
  },
  {
    ...base,
    clientId: 'https://app.example/c.json',
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwksUri: 'https://app.example/j',
  },
];

/** An unsigned JWT is enough here: the verifier is the part that checks signatures, and it is faked. */
const assertionFor = (sub: string) =>
  `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub, iss: sub })).toString('base64url')}.sig`;

function setUp(verifierOutcome: 'ok' | 'refuse' = 'ok') {
  const verified: Array<{ clientId: string; assertion: string; audiences: string[] }> = [];
  const clients = {
    find: async (id: string) => CLIENTS.find((c) => c.clientId === id),
  } as unknown as ClientsService;
  const verifier = {
    verify: async (client: ClientRecord, assertion: string, audiences: string[]) => {
      verified.push({ clientId: client.clientId, assertion, audiences });
      if (verifierOutcome === 'refuse')
        throw new InvalidClientError('The client assertion is invalid: its signature does not verify.');
    },
  } as unknown as PrivateKeyJwtVerifier;
  const config = {
    publicUrl: toPublicUrlSettings('http://localhost:3002', 'localhost,127.0.0.1'),
  } as AuthzConfig;
  const authenticator = new ClientAuthenticator(clients, verifier, config);
  const run = (body: ClientCredentialsBody, authorization?: string, endpoint?: string) =>
    authenticator.authenticate(
      { headers: { host: 'localhost:3002', ...(authorization ? { authorization } : {}) } } as Request,
      body,
      endpoint,
    );
  return { run, verified };
}

const refusalOf = (attempt: Promise<unknown>) =>
  attempt.then(
    () => {
      throw new Error('the client was accepted');
    },
    (refused: unknown) => refused as InvalidClientError,
  );
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const error = (code: string, description?: RegExp) =>
  expect.objectContaining({
    errorCode: code,
    ...(description ? { description: expect.stringMatching(description) } : {}),
  });

describe('ClientAuthenticator (RFC 6749 §2.3, RFC 7523 §2.2)', () => {
  it('needs a client_id from somewhere', async () => {
    await expect(setUp().run({})).rejects.toEqual(error('invalid_request', /client_id is required/));
  });

  it('accepts one authentication method per request, never two', async () => {
    const { run } = setUp();
    await expect(run({ client_secret: 's3cret' }, basic('basic', 's3cret'))).rejects.toEqual(
      error('invalid_request', /one client/),
    );
    await expect(
      run({
        client_id: 'post',
        client_secret: 's3cret',
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: 'x',
      }),
    ).rejects.toEqual(error('invalid_request', /one client/));
  });

  it('refuses a body client_id that contradicts the Basic credentials', async () => {
    await expect(setUp().run({ client_id: 'post' }, basic('basic', 's3cret'))).rejects.toEqual(
      error('invalid_request', /differs/),
    );
  });

  it('answers malformed Basic credentials with a Basic challenge', async () => {
    const err = await refusalOf(setUp().run({}, 'Basic !!!'));
    expect(err).toBeInstanceOf(InvalidClientError);
    expect(err.headers()['WWW-Authenticate']).toMatch(/^Basic /);
  });

  it('refuses an unknown client, with a Basic challenge when Basic was tried', async () => {
    const { run } = setUp();
    await expect(run({ client_id: 'nobody' })).rejects.toEqual(error('invalid_client'));
    const err = await refusalOf(run({}, basic('nobody', 'x')));
    expect(err.headers()['WWW-Authenticate']).toMatch(/^Basic realm=/);
  });

  it('takes a public client by its id, and refuses a secret from it', async () => {
    const { run } = setUp();
    await expect(run({ client_id: 'public' })).resolves.toMatchObject({ clientId: 'public' });
    await expect(run({}, basic('public', ''))).resolves.toMatchObject({ clientId: 'public' });
    await expect(run({ client_id: 'public', client_secret: 'x' })).rejects.toEqual(
      error('invalid_client', /public client/),
    );
  });

  it('holds a confidential client to its registered method', async () => {
    const { run } = setUp();
    await expect(run({ client_id: 'basic' })).rejects.toEqual(error('invalid_client', /client_secret_basic/));
    await expect(run({ client_id: 'basic', client_secret: 's3cret' })).rejects.toEqual(
      error('invalid_client', /client_secret_basic/),
    );
    await expect(run({}, basic('post', 's3cret'))).rejects.toEqual(
      error('invalid_client', /client_secret_post/),
    );
  });

  it('checks the secret, and decodes form-encoded Basic credentials', async () => {
    const { run } = setUp();
    await expect(run({}, basic('basic', 'wrong'))).rejects.toEqual(
      error('invalid_client', /bad credentials/),
    );
    await expect(run({}, basic('basic', 's3cret'))).resolves.toMatchObject({ clientId: 'basic' });
    await expect(run({ client_id: 'post', client_secret: 's3cret' })).resolves.toMatchObject({
      clientId: 'post',
    });
    await expect(run({}, basic('odd id', 'p:w'))).resolves.toMatchObject({ clientId: 'odd id' });
  });

  it('verifies a private_key_jwt assertion for the token endpoint or issuer of this request', async () => {
    const { run, verified } = setUp();
    const clientId = 'https://app.example/c.json';
    const assertion = assertionFor(clientId);
    await expect(
      run({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion }),
    ).resolves.toMatchObject({
      clientId,
    });
    expect(verified).toEqual([
      { clientId, assertion, audiences: ['http://localhost:3002', 'http://localhost:3002/token'] },
    ]);
  });

  it('also accepts the endpoint called as the audience of an assertion (revocation, introspection)', async () => {
    const { run, verified } = setUp();
    const clientId = 'https://app.example/c.json';
    const assertion = assertionFor(clientId);
    const body = { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion };
    await run(body, undefined, '/revoke');
    expect(verified[0].audiences).toEqual([
      'http://localhost:3002',
      'http://localhost:3002/token',
      'http://localhost:3002/revoke',
    ]);
  });

  it('refuses what the assertion verifier refuses', async () => {
    const { run } = setUp('refuse');
    const clientId = 'https://app.example/c.json';
    await expect(
      run({
        client_id: clientId,
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: assertionFor(clientId),
      }),
    ).rejects.toEqual(error('invalid_client', /signature/));
  });

  it('requires the assertion from a private_key_jwt client, and refuses one from anyone else', async () => {
    const { run, verified } = setUp();
    await expect(run({ client_id: 'https://app.example/c.json' })).rejects.toEqual(
      error('invalid_client', /private_key_jwt/),
    );
    await expect(
      run({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertionFor('public') }),
    ).rejects.toEqual(error('invalid_client', /public client/));
    expect(verified).toEqual([]);
  });

  it('refuses a wrong assertion type, a non-JWT, and a client_id other than the assertion subject', async () => {
    const { run } = setUp();
    const clientId = 'https://app.example/c.json';
    await expect(
      run({ client_assertion_type: 'urn:other', client_assertion: assertionFor(clientId) }),
    ).rejects.toEqual(error('invalid_request', /client_assertion_type/));
    await expect(
      run({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: 'garbage' }),
    ).rejects.toEqual(error('invalid_client', /not a JWT/));
    await expect(
      run({
        client_id: 'post',
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: assertionFor(clientId),
      }),
    ).rejects.toEqual(error('invalid_request', /sub of the client assertion/));
  });
});

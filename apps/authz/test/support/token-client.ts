import { authorizeAndApprove, exchangeCode, pkce, type RunningAuthz } from './authz-harness';

/** A confidential client (client_secret_basic) that may refresh and introspect its own tokens. */
export interface ConfidentialClient {
  clientId: string;
  secret: string;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

const REDIRECT = 'https://app.example/cb';

export async function registerConfidentialClient(authz: RunningAuthz): Promise<ConfidentialClient> {
  const response = await authz
    .http()
    .post('/register')
    .send({ redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] })
    .expect(201);
  return { clientId: response.body.client_id, secret: response.body.client_secret };
}

/** Authorize (auto-login, Approve) and redeem the code: a fresh grant. */
export async function issueTokens(authz: RunningAuthz, client: ConfidentialClient): Promise<TokenPair> {
  const { verifier, challenge } = pkce();
  const redirect = await authorizeAndApprove(authz, {
    clientId: client.clientId,
    redirectUri: REDIRECT,
    challenge,
  });
  const response = await exchangeCode(
    authz,
    { code: redirect.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier },
    { Authorization: basic(client) },
  ).expect(200);
  return response.body as TokenPair;
}

export const basic = (client: ConfidentialClient) =>
  `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;

export const refresh = (authz: RunningAuthz, client: ConfidentialClient, refreshToken: string) =>
  authz
    .http()
    .post('/token')
    .set('Authorization', basic(client))
    .type('form')
    .send({ grant_type: 'refresh_token', refresh_token: refreshToken });

/** RFC 7662: whether the token is active for its client (revoked grants' access tokens are not). */
export async function isActive(
  authz: RunningAuthz,
  client: ConfidentialClient,
  token: string,
): Promise<boolean> {
  const response = await authz
    .http()
    .post('/introspect')
    .set('Authorization', basic(client))
    .type('form')
    .send({ token })
    .expect(200);
  return response.body.active as boolean;
}

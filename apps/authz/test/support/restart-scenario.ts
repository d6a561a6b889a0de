import { authorizeAndApprove, authorizeQuery, formField, pkce, type RunningAuthz } from './authz-harness';
import {
  isActive,
  issueTokens,
  refresh,
  registerConfidentialClient,
  type ConfidentialClient,
  type TokenPair,
} from './token-client';

/** What a restart must not forget, and the secrets a dump of the store must not reveal. */
export interface StateBeforeRestart {
  client: ConfidentialClient;
  /** A live grant whose refresh token must still work. */
  live: TokenPair;
  /** An access token revoked through /revoke: it must stay revoked. */
  revokedAccessToken: string;
  /** Tokens that must appear nowhere in the store, hashed or not. */
  secrets: string[];
}

/** Registers a client, approves it (a consent), issues two grants and revokes one access token. */
export async function createState(authz: RunningAuthz): Promise<StateBeforeRestart> {
  const client = await registerConfidentialClient(authz);
  const live = await issueTokens(authz, client);
  const other = await issueTokens(authz, client);
  await authz
    .http()
    .post('/revoke')
    .auth(client.clientId, client.secret)
    .type('form')
    .send({ token: other.access_token, token_type_hint: 'access_token' })
    .expect(200);
  const unredeemed = await authorizeAndApprove(authz, {
    clientId: client.clientId,
    redirectUri: 'https://app.example/cb',
    challenge: pkce().challenge,
  });
  return {
    client,
    live,
    revokedAccessToken: other.access_token,
    secrets: [client.secret, live.refresh_token, other.refresh_token, unredeemed.searchParams.get('code')!],
  };
}

/** After the restart: the client authenticates and refreshes, its consent is remembered, the revocation holds. */
export async function expectStateKept(authz: RunningAuthz, state: StateBeforeRestart): Promise<void> {
  const { client } = state;
  const refreshed = await refresh(authz, client, state.live.refresh_token);
  if (refreshed.status !== 200)
    throw new Error(`refresh after restart: ${refreshed.status} ${refreshed.text}`);
  if (!(await isActive(authz, client, refreshed.body.access_token)))
    throw new Error('new access token inactive');
  if (await isActive(authz, client, state.revokedAccessToken)) throw new Error('revoked access token active');
  const page = await authz
    .http()
    .get('/authorize')
    .query(
      authorizeQuery({
        clientId: client.clientId,
        redirectUri: 'https://app.example/cb',
        challenge: pkce().challenge,
      }),
    )
    .expect(200);
  formField(page.text, 'interaction_id');
  if (!page.text.includes('You approved this client before.')) throw new Error('consent forgotten');
}

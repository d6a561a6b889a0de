import type { GatewayOAuthClient } from '../../test/support/gateway-oauth';
import { measure, type Sample } from './measure';

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** `/token` with grant_type=authorization_code, then refresh_token with the refresh tokens it handed out. */
export interface GrantSamples {
  authorizationCode: Sample;
  refreshToken: Sample;
}

/** Codes minted ahead (the user approves on the consent page each time), `concurrency` at a time. */
async function mintCodes(client: GatewayOAuthClient, count: number, concurrency = 4) {
  const codes: { code: string; verifier: string }[] = [];
  let started = 0;
  const worker = async () => {
    while (started++ < count) codes.push(await client.authorize());
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return codes;
}

/**
 * `count` codes minted by `client`, each redeemed once at `url`/token, then each refresh token they handed out
 * spent once: two bounded runs of credentials that cannot be replayed, with the CPU the `watched` processes spent.
 */
export async function runGrants(
  client: GatewayOAuthClient,
  target: { url: string; headers?: Record<string, string> },
  count: number,
  connections: number,
  watched: Record<string, { pid: number }>,
): Promise<GrantSamples> {
  const clientId = client.client.clientId;
  const codes = await mintCodes(client, count);
  const refreshTokens: string[] = [];
  const request = { method: 'POST' as const, path: '/token', headers: { ...FORM, ...target.headers } };
  const options = { durationSeconds: 0, connections, amount: count };
  let next = 0;
  const authorizationCode = await measure(
    target.url,
    request,
    {
      ...options,
      bodies: {
        next: () => {
          const { code, verifier } = codes[next++ % codes.length];
          const form = { grant_type: 'authorization_code', code, code_verifier: verifier };
          return new URLSearchParams({ ...form, redirect_uri: REDIRECT_URI, client_id: clientId }).toString();
        },
        onAnswer: (status, body) => {
          if (status === 200)
            refreshTokens.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
        },
      },
    },
    watched,
  );
  next = 0;
  const refreshToken = await measure(
    target.url,
    request,
    {
      ...options,
      amount: refreshTokens.length,
      bodies: {
        next: () => {
          const form = {
            grant_type: 'refresh_token',
            refresh_token: refreshTokens[next++ % refreshTokens.length],
          };
          return new URLSearchParams({ ...form, client_id: clientId }).toString();
        },
      },
    },
    watched,
  );
  return { authorizationCode, refreshToken };
}

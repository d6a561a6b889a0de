import * as oidc from 'openid-client';
import type { UpstreamProviderConfig } from '../config/federation.config';
import type { ProviderClaims } from './federated-identity';
import { UpstreamRejectedError } from './upstream-errors';

/** GitHub's OAuth endpoints under its web origin (GitHub is OAuth 2.0 only: no discovery, no ID token). */
export function githubServerMetadata(provider: UpstreamProviderConfig): oidc.ServerMetadata {
  return {
    issuer: provider.issuer,
    authorization_endpoint: `${provider.issuer}/login/oauth/authorize`,
    token_endpoint: `${provider.issuer}/login/oauth/access_token`,
  };
}

interface GithubEmail {
  email?: unknown;
  primary?: unknown;
  verified?: unknown;
}

/**
 * The user behind a GitHub access token, as OIDC-shaped claims: `sub` is the numeric account id (stable across
 * renames, unlike the login), the email is the primary address from /user/emails with GitHub's own `verified`
 * flag, and with `read:org` the user's organisations become groups.
 */
export async function githubClaims(
  config: oidc.Configuration,
  provider: UpstreamProviderConfig,
  accessToken: string,
): Promise<ProviderClaims> {
  const get = async (path: string): Promise<unknown> => {
    const headers = new Headers({ accept: 'application/vnd.github+json', 'user-agent': 'mcp-auth-gateway' });
    const response = await oidc.fetchProtectedResource(
      config,
      accessToken,
      new URL(`${provider.apiUrl}${path}`),
      'GET',
      undefined,
      headers,
    );
    if (!response.ok) throw new UpstreamRejectedError(`GitHub API ${path} answered ${response.status}`);
    return response.json();
  };
  const user = (await get('/user')) as { id?: unknown; login?: unknown; name?: unknown };
  if (typeof user.id !== 'number' || !Number.isSafeInteger(user.id))
    throw new UpstreamRejectedError('GitHub /user has no numeric id');
  const claims: ProviderClaims = { sub: String(user.id), name: user.name, preferred_username: user.login };
  if (provider.scopes.some((scope) => scope === 'user:email' || scope === 'user')) {
    const emails = (await get('/user/emails')) as GithubEmail[];
    const primary = Array.isArray(emails) ? emails.find((entry) => entry?.primary === true) : undefined;
    if (primary && typeof primary.email === 'string') {
      claims.email = primary.email;
      claims.email_verified = primary.verified === true;
    }
  }
  if (provider.scopes.includes('read:org')) {
    const orgs = (await get('/user/orgs')) as { login?: unknown }[];
    claims[provider.groupsClaim] = Array.isArray(orgs) ? orgs.map((org) => org?.login) : [];
  }
  return claims;
}

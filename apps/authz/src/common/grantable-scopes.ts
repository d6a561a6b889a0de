/**
 * `offline_access` asks for a refresh token (OpenID Connect Core §11, MCP SEP-2207). It concerns this
 * authorization server only: advertised in its metadata and granted here, never in the MCP server's resource
 * metadata or a WWW-Authenticate scope, and a client that asks for it gets a refresh token.
 */
export const OFFLINE_ACCESS = 'offline_access';

/** Whether a grant may carry refresh tokens: the client registered the grant type, or asked for offline_access. */
export function mayUseRefreshTokens(
  client: { grantTypes: readonly string[] },
  scopes: readonly string[],
): boolean {
  return client.grantTypes.includes('refresh_token') || scopes.includes(OFFLINE_ACCESS);
}

import { InvalidRequestError, InvalidScopeError, type OAuthError } from '@app/oauth-errors';
import { DEFAULT_RESOURCE } from '@app/protected-resources';
import { parseScope } from '@app/scopes';
import { OFFLINE_ACCESS } from '../common/grantable-scopes';
import { BUNDLED_RESOURCES } from '../common/resource-catalog';

const BUNDLED_SCOPES = BUNDLED_RESOURCES.scopesFor(DEFAULT_RESOURCE);

/**
 * The scopes an authorization request is granted (RFC 6749 §3.3). Absent or empty: the client's registered
 * default. Scopes the requested resource does not know (`grantable`: the MCP scopes, its own, offline_access) are
 * dropped, not fatal, as long as a known one remains: §3.3 lets the server ignore part of the request, and the
 * token response's `scope` says what was granted. A known resource scope beyond the client's ceiling is refused
 * outright: that is a request this client may not make.
 */
export function requestedScopes(
  raw: string | null | undefined,
  registered: readonly string[],
  ceiling: readonly string[],
  grantable: ReadonlySet<string> = BUNDLED_SCOPES,
): string[] | OAuthError {
  const known = (scope: string) => grantable.has(scope);
  if (raw === null) return new InvalidRequestError('scope must be a single string.');
  const asked = parseScope(raw);
  const defaults = registered.filter(known);
  let requested: string[] = asked.length === 0 ? defaults : asked.filter(known);
  // offline_access alone would grant a refresh token for nothing: it means "the usual, and stay connected".
  if (requested.length > 0 && requested.every((scope) => scope === OFFLINE_ACCESS))
    requested = [...new Set([...defaults.filter((scope) => scope !== OFFLINE_ACCESS), OFFLINE_ACCESS])];
  if (requested.length === 0) {
    return new InvalidScopeError(
      asked.length === 0
        ? 'This client may not request any scope.'
        : 'None of the requested scopes is known.',
    );
  }
  if (requested.some((scope) => scope !== OFFLINE_ACCESS && !ceiling.includes(scope)))
    return new InvalidScopeError('The requested scope is not allowed for this client.');
  if (requested.every((scope) => scope === OFFLINE_ACCESS))
    return new InvalidScopeError('This client may not request any MCP scope.');
  return requested;
}

import type { OAuthError } from '@app/oauth-errors';
import type { ClientRecord, InteractionRecord } from '@app/oauth-store';

/**
 * A /authorize request that passed every check (OAuth 2.1 §4.1.1): exactly the request fields an interaction
 * stores, with the resolved client in place of its id, so the two cannot drift apart.
 */
export type ValidatedAuthorizationRequest = Omit<
  InteractionRecord,
  'id' | 'clientId' | 'subject' | 'authTime' | 'expiresAt' | 'clientSnapshot'
> & { client: ClientRecord };

/** The client or redirect URI cannot be trusted: show an error page, never redirect (RFC 6749 §4.1.2.1). */
export class AuthorizationPageError extends Error {
  constructor(
    readonly error: OAuthError,
    /** The page's HTTP status: 400, unless the cause is not the request (a refused user, a provider outage). */
    readonly status = 400,
  ) {
    super(error.message);
  }
}

/**
 * Any other problem goes back to the client's redirect URI with `error`, `state` and `iss` (RFC 9207).
 * `automatic` is false when the redirect URI is not one this server trusts: RFC 9700 §4.11.2 says to redirect
 * automatically only to trusted URIs, otherwise a dynamically registered client could use an invalid request
 * to turn this server into an open redirector to its phishing site. The user then gets a link instead.
 */
export class AuthorizationRedirectError extends Error {
  constructor(
    readonly error: OAuthError,
    readonly redirectUri: string,
    readonly issuer: string,
    readonly state?: string,
    readonly automatic = true,
  ) {
    super(error.message);
  }

  /** The redirect URI carrying the error response (RFC 6749 §4.1.2.1). */
  get location(): string {
    const { error, error_description } = this.error.toResponseObject();
    return buildRedirectUrl(this.redirectUri, {
      error,
      error_description,
      state: this.state,
      iss: this.issuer,
    });
  }
}

/** Appends authorization-response parameters to a redirect URI, keeping its own query (RFC 6749 §3.1.2). */
export function buildRedirectUrl(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

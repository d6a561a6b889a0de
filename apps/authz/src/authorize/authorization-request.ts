import type { OAuthError } from '@app/oauth-errors';
import type { ClientRecord } from '@app/oauth-store';

/** A /authorize request that passed every check (OAuth 2.1 §4.1.1). */
export interface ValidatedAuthorizationRequest {
  client: ClientRecord;
  redirectUri: string;
  redirectUriProvided: boolean;
  scopes: string[];
  resource: string;
  state?: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  issuer: string;
}

/** The client or redirect URI cannot be trusted: show an error page, never redirect (RFC 6749 §4.1.2.1). */
export class AuthorizationPageError extends Error {
  constructor(readonly error: OAuthError) {
    super(error.message);
  }
}

/** Any other problem goes back to the client's redirect URI with `error`, `state` and `iss` (RFC 9207). */
export class AuthorizationRedirectError extends Error {
  constructor(
    readonly error: OAuthError,
    readonly redirectUri: string,
    readonly issuer: string,
    readonly state?: string,
  ) {
    super(error.message);
  }
}

/** Appends authorization-response parameters to a redirect URI, keeping its own query (RFC 6749 §3.1.2). */
export function buildRedirectUrl(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

import * as oidc from 'openid-client';

/** The provider could not be reached or answered 5xx: nothing about the user was decided. */
export class UpstreamUnavailableError extends Error {}

/** The provider answered, and the answer is a refusal or failed verification (state, nonce, signature, expiry...). */
export class UpstreamRejectedError extends Error {
  constructor(
    message: string,
    /** The provider's own `error` code, when it sent one (RFC 6749 §4.1.2.1, §5.2). */
    readonly providerError?: string,
  ) {
    super(message);
  }
}

/** Sorts what openid-client (and fetch) throw into the two cases the pages and the token endpoint tell apart. */
export function classifyUpstreamError(error: unknown): UpstreamUnavailableError | UpstreamRejectedError {
  if (error instanceof UpstreamUnavailableError || error instanceof UpstreamRejectedError) return error;
  if (error instanceof TypeError) return new UpstreamUnavailableError(`unreachable: ${describe(error)}`);
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    return new UpstreamRejectedError(`${error.error}: ${error.error_description ?? ''}`, error.error);
  }
  if (error instanceof oidc.ClientError) {
    const status = error.cause instanceof Response ? error.cause.status : undefined;
    if (error.code === 'OAUTH_TIMEOUT' || (status !== undefined && status >= 500))
      return new UpstreamUnavailableError(
        `${error.code}: ${error.message}${status ? ` (HTTP ${status})` : ''}`,
      );
    return new UpstreamRejectedError(`${error.code}: ${describe(error)}`);
  }
  return new UpstreamRejectedError(describe(error));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `; ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

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
  if (isConnectionFailure(error)) return new UpstreamUnavailableError(`unreachable: ${describe(error)}`);
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

/**
 * fetch rejects with a TypeError when the connection fails. Compared by name, and looked for one level down:
 * from another realm (a test VM) openid-client does not recognise it and wraps it in a ClientError.
 */
function isConnectionFailure(error: unknown): boolean {
  const isTypeError = (value: unknown) =>
    typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'TypeError';
  return isTypeError(error) || (error instanceof oidc.ClientError && isTypeError(error.cause));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error.cause as { message?: unknown } | undefined)?.message;
  return typeof cause === 'string' ? `${error.message}; ${cause}` : error.message;
}

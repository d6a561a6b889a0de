import { basicChallenge, bearerUnauthorized } from './bearer-challenge';

/** The body every OAuth error response carries (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 7009 §2.2.1). */
export interface OAuthErrorResponse {
  error: string;
  error_description?: string;
  error_uri?: string;
}

/**
 * Base of the OAuth error hierarchy. One exception filter renders every subclass, so controllers and services
 * just throw; the status and extra headers travel with the error.
 */
export abstract class OAuthError extends Error {
  abstract readonly errorCode: string;
  readonly status: number = 400;

  constructor(readonly description?: string) {
    super(description);
    this.name = new.target.name;
  }

  /** Headers the response must carry besides the body (e.g. `WWW-Authenticate`). */
  headers(): Record<string, string> {
    return {};
  }

  toResponseObject(): OAuthErrorResponse {
    return this.description === undefined
      ? { error: this.errorCode }
      : { error: this.errorCode, error_description: this.description };
  }
}

/** RFC 6749 §4.1.2.1 / §5.2: missing, repeated or malformed parameter. */
export class InvalidRequestError extends OAuthError {
  readonly errorCode = 'invalid_request';
}

/** Body over the configured limit: still `invalid_request`, with HTTP 413. */
export class PayloadTooLargeError extends InvalidRequestError {
  override readonly status = 413;
}

/** Body in an encoding or charset the endpoint does not read: `invalid_request`, HTTP 415. */
export class UnsupportedMediaTypeError extends InvalidRequestError {
  override readonly status = 415;
}

/** RFC 9110 §15.5.6: a 405 names the methods the endpoint does serve, when it knows them. */
export class MethodNotAllowedError extends InvalidRequestError {
  override readonly status = 405;

  constructor(
    description?: string,
    private readonly allow?: string,
  ) {
    super(description);
  }

  override headers(): Record<string, string> {
    return this.allow ? { Allow: this.allow } : {};
  }
}

/** RFC 6749 §5.2. With Basic credentials the response must be 401 with a Basic challenge. */
export class InvalidClientError extends OAuthError {
  readonly errorCode = 'invalid_client';
  override readonly status = 401;

  constructor(
    description?: string,
    private readonly challenge?: { scheme: 'Basic'; realm: string },
  ) {
    super(description);
  }

  override headers(): Record<string, string> {
    return this.challenge ? { 'WWW-Authenticate': basicChallenge(this.challenge.realm) } : {};
  }
}

export class InvalidGrantError extends OAuthError {
  readonly errorCode = 'invalid_grant';
}

export class UnauthorizedClientError extends OAuthError {
  readonly errorCode = 'unauthorized_client';
}

export class UnsupportedGrantTypeError extends OAuthError {
  readonly errorCode = 'unsupported_grant_type';
}

export class UnsupportedResponseTypeError extends OAuthError {
  readonly errorCode = 'unsupported_response_type';
}

export class InvalidScopeError extends OAuthError {
  readonly errorCode = 'invalid_scope';
}

/** RFC 8707 §2: the requested resource is unknown or not allowed. */
export class InvalidTargetError extends OAuthError {
  readonly errorCode = 'invalid_target';
}

export class AccessDeniedError extends OAuthError {
  readonly errorCode = 'access_denied';
  override readonly status: number = 403;
}

/** RFC 7009 §2.2.1. */
export class UnsupportedTokenTypeError extends OAuthError {
  readonly errorCode = 'unsupported_token_type';
}

/** RFC 7591 §3.2.2. */
export class InvalidRedirectUriError extends OAuthError {
  readonly errorCode = 'invalid_redirect_uri';
}

/** RFC 7591 §3.2.2. */
export class InvalidClientMetadataError extends OAuthError {
  readonly errorCode = 'invalid_client_metadata';
}

/** RFC 6750 §3.1: a bearer token (e.g. the registration initial access token) is missing or wrong. */
export class InvalidTokenError extends OAuthError {
  readonly errorCode = 'invalid_token';
  override readonly status = 401;

  constructor(
    description?: string,
    private readonly realm = 'authz',
  ) {
    super(description);
  }

  override headers(): Record<string, string> {
    return { 'WWW-Authenticate': this.refusal().challenge };
  }

  override toResponseObject(): OAuthErrorResponse {
    return this.refusal().body;
  }

  private refusal() {
    return bearerUnauthorized({ realm: this.realm }, 'invalid_token', this.description);
  }
}

/** No such endpoint (or a disabled one): a JSON 404 in the same shape as every other error. */
export class NotFoundError extends OAuthError {
  readonly errorCode = 'not_found';
  override readonly status = 404;
}

/** Rate limit hit: RFC 6749's code for a temporarily unavailable server, with HTTP 429 and Retry-After. */
export class TooManyRequestsError extends OAuthError {
  readonly errorCode = 'temporarily_unavailable';
  override readonly status = 429;

  constructor(
    description?: string,
    private readonly retryAfterSeconds?: number,
  ) {
    super(description);
  }

  override headers(): Record<string, string> {
    return this.retryAfterSeconds ? { 'Retry-After': String(this.retryAfterSeconds) } : {};
  }
}

/** RFC 6749 §4.1.2.1's code for a server that cannot answer now (its store is down): HTTP 503, Retry-After. */
export class TemporarilyUnavailableError extends OAuthError {
  readonly errorCode = 'temporarily_unavailable';
  override readonly status = 503;

  constructor(
    description?: string,
    private readonly retryAfterSeconds?: number,
  ) {
    super(description);
  }

  override headers(): Record<string, string> {
    return this.retryAfterSeconds ? { 'Retry-After': String(this.retryAfterSeconds) } : {};
  }
}

/** Never carries internals: the description is generic on purpose. */
export class ServerError extends OAuthError {
  readonly errorCode = 'server_error';
  override readonly status = 500;
}

export {
  AccessDeniedError,
  InvalidClientError,
  InvalidClientMetadataError,
  InvalidGrantError,
  InvalidRedirectUriError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  InvalidTokenError,
  MethodNotAllowedError,
  NotFoundError,
  OAuthError,
  PayloadTooLargeError,
  ServerError,
  TemporarilyUnavailableError,
  TooManyRequestsError,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
  UnsupportedResponseTypeError,
  UnsupportedMediaTypeError,
  UnsupportedTokenTypeError,
} from './oauth-error';
export type { OAuthErrorResponse } from './oauth-error';
export { OAuthExceptionFilter, sendOAuthError, toOAuthError } from './oauth-exception.filter';
export { bearerInsufficientScope, bearerUnauthorized } from './bearer-challenge';
export type { BearerErrorCode, BearerRefusal } from './bearer-challenge';
export {
  createOAuthValidationPipe,
  describeValidationErrors,
  ValidationFailsWith,
} from './oauth-validation.pipe';
export { OAuthErrorResponseDto } from './oauth-error-response.dto';

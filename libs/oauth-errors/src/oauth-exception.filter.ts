import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { writeJson } from '@app/runtime';
import {
  InvalidRequestError,
  MethodNotAllowedError,
  NotFoundError,
  OAuthError,
  PayloadTooLargeError,
  ServerError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
} from './oauth-error';

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  cause?: unknown;
}

/** body-parser's error type; Nest's Express adapter wraps body-parser errors in an HttpException `cause`. */
function bodyErrorType(exception: unknown): string | undefined {
  const error = exception as HttpLikeError | undefined;
  const type = error?.type ?? (error?.cause as HttpLikeError | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  if (typeof exception === 'object' && exception !== null) {
    const { status, statusCode } = exception as HttpLikeError;
    const code = status ?? statusCode;
    if (typeof code === 'number' && code >= 400 && code < 600) return code;
  }
  return undefined;
}

/**
 * Turns anything thrown (our OAuth errors, Nest's own HTTP exceptions, body-parser failures, throttling) into an
 * RFC 6749 §5.2 shaped JSON body. Messages of foreign errors are never echoed: they may carry internals.
 */
export function toOAuthError(exception: unknown): OAuthError {
  if (exception instanceof OAuthError) return exception;
  const status = statusOf(exception);
  const type = bodyErrorType(exception);
  if (type === 'entity.too.large' || status === 413) {
    return new PayloadTooLargeError('The request body is too large.');
  }
  if (
    type === 'entity.parse.failed' ||
    exception instanceof SyntaxError ||
    (exception as HttpLikeError | null | undefined)?.cause instanceof SyntaxError
  ) {
    return new InvalidRequestError('The request body is malformed.');
  }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported' || status === 415) {
    return new UnsupportedMediaTypeError('The request body encoding is not supported.');
  }
  if (status === 404) return new NotFoundError('No such endpoint.');
  if (status === 405) {
    return new MethodNotAllowedError('Method not allowed.');
  }
  // The throttler has already set an exact Retry-After; only the body is ours.
  if (status === 429) return new TooManyRequestsError('Too many requests; retry later.');
  if (status !== undefined && status < 500) return new InvalidRequestError('The request is invalid.');
  return new ServerError('The server could not complete the request.');
}

const logger = new Logger('OAuthExceptionFilter');

/**
 * THE renderer of an OAuth app's errors, for its Nest filter and its front doors alike: RFC 6749 §5.2 JSON with
 * the error's own headers and `no-store` (§5.1), never a stack trace. Unexpected errors are logged.
 */
export function sendOAuthError(res: ServerResponse, exception: unknown): void {
  const error = toOAuthError(exception);
  if (error instanceof ServerError && !(exception instanceof OAuthError)) {
    logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  writeJson(res, error.status, error.toResponseObject(), {
    ...error.headers(),
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
  });
}

/** The one exception filter of an OAuth app. */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendOAuthError(host.switchToHttp().getResponse<ServerResponse>(), exception);
  }
}

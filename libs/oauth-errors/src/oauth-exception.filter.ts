import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
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

/** The one exception filter of an OAuth app: JSON bodies, `no-store`, never a stack trace. */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuthExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = toOAuthError(exception);
    if (error instanceof ServerError && !(exception instanceof OAuthError)) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(error.status);
    for (const [name, value] of Object.entries(error.headers())) response.setHeader(name, value);
    // RFC 6749 §5.1/§5.2: token endpoint responses (errors included) must not be cached.
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    response.json(error.toResponseObject());
  }
}

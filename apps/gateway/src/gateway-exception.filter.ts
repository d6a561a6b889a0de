import type { IncomingMessage, ServerResponse } from 'node:http';
import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { REQUEST_ID_HEADER, requestIdFor } from '@app/runtime';
import { sendGatewayError, type GatewayError } from './proxy/gateway-errors';

const CODES: Partial<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'invalid_request',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'invalid_request',
};

/**
 * Whatever Nest itself rejects on the gateway's own routes (a wrong method on a health probe, an
 * unexpected fault) is answered in the same `{error, error_description}` shape as the gateway's other
 * errors, without a stack trace.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<ServerResponse>();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // Errors raised before the request logger ran have no id yet.
    if (!res.hasHeader(REQUEST_ID_HEADER))
      res.setHeader(REQUEST_ID_HEADER, requestIdFor(http.getRequest<IncomingMessage>()));
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    const failure: GatewayError = {
      status,
      error: CODES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request'),
      description: status >= 500 ? 'Internal gateway error' : describe(exception),
      rpcCode: -32603,
    };
    sendGatewayError(res, 'oauth', failure);
  }
}

function describe(exception: unknown): string {
  if (!(exception instanceof HttpException)) return 'Invalid request';
  return exception.getStatus() === HttpStatus.NOT_FOUND ? 'No such endpoint' : exception.message;
}

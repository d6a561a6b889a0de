import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PublicUrlSettings } from '@app/config';
import { bearerInsufficientScope, bearerUnauthorized, type BearerRefusal } from '@app/oauth-errors';
import { setAccessLogLevel, writeJson } from '@app/runtime';
import { ALL_MCP_SCOPES, InsufficientScopeException } from '@app/scopes';
import { mcpConfig } from '../config/mcp.config';
import { resourceMetadataUrl } from '../transport/mcp-request';
import { publicBaseOf } from '../transport/public-base';
import { AuthUnavailableException, BearerChallengeException, JsonRpcHttpException } from './auth.exceptions';

const logger = new Logger('McpExceptionFilter');
const NO_STORE = { 'Cache-Control': 'no-store' };

function sendRefusal(res: ServerResponse, refusal: BearerRefusal): void {
  writeJson(res, refusal.status, refusal.body, { ...NO_STORE, 'WWW-Authenticate': refusal.challenge });
}

/**
 * THE renderer of the mcp app's errors, for the /mcp front door and Nest's routes alike: 401/403 with their
 * Bearer challenges (the resource metadata of the alias the client used, RFC 9728 §5.1), JSON-RPC errors with
 * `id: null` (JSON-RPC 2.0 §5) for the transport's other refusals, and Nest's own `{statusCode, message}` shape
 * for anything else (a 404 on an unknown path). Unexpected errors are logged, never shown.
 */
export function renderMcpError(
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  publicUrl: PublicUrlSettings,
): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const resourceMetadata = () => resourceMetadataUrl(publicBaseOf(req, publicUrl));
  if (error instanceof BearerChallengeException) {
    const resource = { resourceMetadata: resourceMetadata(), scope: ALL_MCP_SCOPES };
    return sendRefusal(res, bearerUnauthorized(resource, error.errorCode, error.message));
  }
  if (error instanceof InsufficientScopeException) {
    return sendRefusal(res, bearerInsufficientScope({ resourceMetadata: resourceMetadata() }, error));
  }
  if (error instanceof AuthUnavailableException) {
    // The outage is logged once per cause and interval by @app/resource-server, not once per request here.
    setAccessLogLevel(res, 'info');
    const body = { jsonrpc: '2.0', error: { code: -32000, message: error.message }, id: null };
    const headers = { ...NO_STORE, 'Retry-After': String(error.retryAfterSeconds) };
    return writeJson(res, error.getStatus(), body, headers);
  }
  if (error instanceof JsonRpcHttpException) {
    const data = error.rpcData === undefined ? {} : { data: error.rpcData };
    const body = {
      jsonrpc: '2.0',
      error: { code: error.rpcCode, message: error.message, ...data },
      id: error.rpcId,
    };
    const retry = error.retryAfterSeconds;
    const headers = retry === undefined ? NO_STORE : { ...NO_STORE, 'Retry-After': String(retry) };
    return writeJson(res, error.getStatus(), body, headers);
  }
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const body =
      typeof response === 'object' ? response : { statusCode: error.getStatus(), message: response };
    return writeJson(res, error.getStatus(), body);
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  const status = HttpStatus.INTERNAL_SERVER_ERROR;
  writeJson(res, status, { statusCode: status, message: 'Internal server error' });
}

/** Whatever Nest's routes throw (health probes, the resource metadata, unknown paths), rendered as above. */
@Catch()
export class McpExceptionFilter implements ExceptionFilter {
  constructor(@Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    renderMcpError(
      exception,
      http.getRequest<IncomingMessage>(),
      http.getResponse<ServerResponse>(),
      this.config.publicUrl,
    );
  }
}

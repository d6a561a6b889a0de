import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatScope, InsufficientScopeException } from '@app/scopes';
import type { McpConfig } from '../config/mcp.config';
import { MCP_CONFIG_TOKEN } from '../config/mcp-config.token';
import { publicBaseOf } from '../transport/public-base';
import { AuthUnavailableException, BearerChallengeException, JsonRpcHttpException } from './auth.exceptions';
import { insufficientScopeChallenge, unauthorizedChallenge } from './challenge';

/** The refusals the /mcp pipeline throws; anything else is a bug, not an answer. */
const MCP_REFUSALS = [
  BearerChallengeException,
  InsufficientScopeException,
  AuthUnavailableException,
  JsonRpcHttpException,
] as const;

export function isMcpRefusal(error: unknown): error is HttpException {
  return MCP_REFUSALS.some((type) => error instanceof type);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * Renders a refusal: OAuth-shaped 401/403 with challenges, JSON-RPC errors otherwise. Plain Node objects, so
 * the /mcp front door (McpFrontDoorService) and this filter (everything else under Nest) answer alike.
 */
export function renderMcpRefusal(
  exception: HttpException,
  req: IncomingMessage,
  res: ServerResponse,
  config: McpConfig,
): void {
  const base = publicBaseOf(req, config.publicUrl);
  res.setHeader('Cache-Control', 'no-store');
  const status = exception.getStatus();
  if (exception instanceof BearerChallengeException) {
    res.setHeader(
      'WWW-Authenticate',
      unauthorizedChallenge(base, exception.errorCode, exception.errorCode && exception.description),
    );
    sendJson(res, status, {
      error: exception.errorCode ?? 'unauthorized',
      error_description: exception.message,
    });
    return;
  }
  if (exception instanceof InsufficientScopeException) {
    const description = `Forbidden: this request requires the scope ${formatScope(exception.missing)}`;
    const scopes = [...exception.granted, ...exception.required];
    res.setHeader('WWW-Authenticate', insufficientScopeChallenge(base, scopes, description));
    sendJson(res, status, {
      error: 'insufficient_scope',
      error_description: description,
      scope: formatScope(exception.missing),
    });
    return;
  }
  if (exception instanceof AuthUnavailableException) res.setHeader('Retry-After', '5');
  const code = exception instanceof JsonRpcHttpException ? exception.rpcCode : -32000;
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message: exception.message }, id: null });
}

/** The /mcp pipeline's refusals on the paths Nest still serves. */
@Catch(...MCP_REFUSALS)
export class McpExceptionFilter implements ExceptionFilter {
  constructor(@Inject(MCP_CONFIG_TOKEN) private readonly config: McpConfig) {}

  catch(exception: HttpException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    renderMcpRefusal(
      exception,
      http.getRequest<IncomingMessage>(),
      http.getResponse<ServerResponse>(),
      this.config,
    );
  }
}

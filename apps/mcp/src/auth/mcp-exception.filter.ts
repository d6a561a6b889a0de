import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import { formatScope, InsufficientScopeException } from '@app/scopes';
import type { McpConfig } from '../config/mcp.config';
import { MCP_CONFIG_TOKEN } from '../config/mcp-config.token';
import { publicBaseOf } from '../transport/public-base';
import { AuthUnavailableException, BearerChallengeException, JsonRpcHttpException } from './auth.exceptions';
import { insufficientScopeChallenge, unauthorizedChallenge } from './challenge';

/** Renders the /mcp pipeline's refusals: OAuth-shaped 401/403 with challenges, JSON-RPC errors otherwise. */
@Catch(BearerChallengeException, InsufficientScopeException, AuthUnavailableException, JsonRpcHttpException)
export class McpExceptionFilter implements ExceptionFilter {
  constructor(@Inject(MCP_CONFIG_TOKEN) private readonly config: McpConfig) {}

  catch(exception: HttpException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const base = publicBaseOf(req, this.config.publicUrl);
    res.status(exception.getStatus()).setHeader('Cache-Control', 'no-store');
    if (exception instanceof BearerChallengeException) {
      res.setHeader(
        'WWW-Authenticate',
        unauthorizedChallenge(base, exception.errorCode, exception.errorCode && exception.description),
      );
      res.json({ error: exception.errorCode ?? 'unauthorized', error_description: exception.message });
      return;
    }
    if (exception instanceof InsufficientScopeException) {
      const description = `Forbidden: this request requires the scope ${formatScope(exception.missing)}`;
      const scopes = [...exception.granted, ...exception.required];
      res.setHeader('WWW-Authenticate', insufficientScopeChallenge(base, scopes, description));
      res.json({
        error: 'insufficient_scope',
        error_description: description,
        scope: formatScope(exception.missing),
      });
      return;
    }
    if (exception instanceof AuthUnavailableException) res.setHeader('Retry-After', '5');
    const code = exception instanceof JsonRpcHttpException ? exception.rpcCode : -32000;
    res.json({ jsonrpc: '2.0', error: { code, message: exception.message }, id: null });
  }
}

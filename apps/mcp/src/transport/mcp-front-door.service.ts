import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';
import { createHttpLogger, takeOverRequestListener } from '@app/runtime';
import { BearerAuthMiddleware } from '../auth/bearer-auth.middleware';
import { JsonRpcHttpException } from '../auth/auth.exceptions';
import { isMcpRefusal, renderMcpRefusal } from '../auth/mcp-exception.filter';
import { McpScopeGuard } from '../auth/mcp-scope.guard';
import type { McpConfig } from '../config/mcp.config';
import { MCP_CONFIG_TOKEN } from '../config/mcp-config.token';
import { JsonBodyMiddleware } from './json-body.middleware';
import { MCP_PATH, type McpRequest } from './mcp-request';
import { OriginMiddleware } from './origin.middleware';
import { StreamableHttpService } from './streamable-http.service';

type Step = (req: never, res: never, next: () => void) => void | Promise<void>;
const proceed = () => undefined;

/**
 * `/mcp` answered ahead of Express, on the same steps in the same order as the Nest route (TransportModule
 * middleware, McpScopeGuard, McpController): Origin/Host check, bearer authentication, body parsing, scope
 * check, then the SDK transport. Express routing, Nest's middleware and guard machinery and nestjs-pino's
 * per-request async context cost more CPU per tools/call than the JWT check; requests are still logged by the
 * same pino-http setup over the same logger. Every other path, and other spellings of /mcp (trailing slash,
 * case), continue into Nest, whose route applies the same steps.
 */
@Injectable()
export class McpFrontDoorService {
  private readonly logger = new Logger('ExceptionsHandler');
  private readonly steps: Step[];
  private httpLogger?: HttpLogger;
  private nest?: RequestListener;

  constructor(
    @Inject(MCP_CONFIG_TOKEN) private readonly config: McpConfig,
    @Inject(PARAMS_PROVIDER_TOKEN) private readonly logParams: Params,
    origin: OriginMiddleware,
    bearer: BearerAuthMiddleware,
    body: JsonBodyMiddleware,
    private readonly scopes: McpScopeGuard,
    private readonly http: StreamableHttpService,
  ) {
    this.steps = [origin, bearer, body].map((step) => step.use.bind(step) as Step);
  }

  /** Takes over the server's request listener; call once the app is initialised (logger and routes exist). */
  mount(server: Server): void {
    this.httpLogger = createHttpLogger(this.logParams);
    this.nest = takeOverRequestListener(server, (req, res) => {
      const url = req.url ?? '';
      const queryAt = url.indexOf('?');
      if ((queryAt === -1 ? url : url.slice(0, queryAt)) !== MCP_PATH) return this.nest!(req, res);
      this.httpLogger!(req, res);
      this.serve(req as McpRequest, res).catch((error: unknown) => this.fail(error, req, res));
    });
  }

  private async serve(req: McpRequest, res: ServerResponse): Promise<void> {
    for (const step of this.steps) await step(req as never, res as never, proceed);
    // The methods McpController maps (Express routes HEAD to the GET handler).
    switch (req.method) {
      case 'POST':
        this.scopes.check(req);
        return this.http.post(req, res as never);
      case 'GET':
      case 'HEAD':
      case 'DELETE':
        return this.http.getOrDelete(req, res as never);
      default:
        res.setHeader('Allow', 'GET, POST, DELETE');
        throw new JsonRpcHttpException(HttpStatus.METHOD_NOT_ALLOWED, -32000, 'Method not allowed');
    }
  }

  /** What McpExceptionFilter and, for anything unexpected, Nest's own exception handler would answer. */
  private fail(error: unknown, req: IncomingMessage, res: ServerResponse): void {
    if (res.headersSent) {
      if (!res.writableEnded) res.end();
      return;
    }
    if (isMcpRefusal(error)) return renderMcpRefusal(error, req, res, this.config);
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let body: unknown = { statusCode: status, message: 'Internal server error' };
    if (error instanceof HttpException) {
      status = error.getStatus();
      const response = error.getResponse();
      body = typeof response === 'object' ? response : { statusCode: status, message: response };
    } else {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    const text = JSON.stringify(body);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(text);
  }
}

import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setAccessLogFields, type FrontDoor } from '@app/runtime';
import { JsonRpcHttpException } from '../auth/auth.exceptions';
import { BearerAuthenticator } from '../auth/bearer.authenticator';
import { renderMcpError } from '../auth/mcp-exception.filter';
import { McpScopeCheck } from '../auth/mcp-scope.check';
import { mcpConfig } from '../config/mcp.config';
import { callSummary } from './call-summary';
import { JsonBodyReader } from './json-body.reader';
import { MCP_PATH, type McpRequest } from './mcp-request';
import { OriginCheck } from './origin.check';
import { StreamableHttpService } from './streamable-http.service';

/**
 * THE MCP endpoint (Streamable HTTP), answered ahead of Express: Express routing and Nest's middleware and guard
 * machinery cost more CPU per tools/call than the JWT check. Only the exact path `/mcp` is served here; other
 * spellings (trailing slash, case) reach Nest and get its 404.
 */
@Injectable()
export class McpFrontDoor implements FrontDoor {
  constructor(
    @Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>,
    private readonly origin: OriginCheck,
    private readonly bearer: BearerAuthenticator,
    private readonly body: JsonBodyReader,
    private readonly scopes: McpScopeCheck,
    private readonly http: StreamableHttpService,
  ) {}

  matches(_req: IncomingMessage, path: string): boolean {
    return path === MCP_PATH;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.serve(req as McpRequest, res);
    } catch (error) {
      renderMcpError(error, req, res, this.config.publicUrl);
    }
  }

  /**
   * The steps, in order: refuse foreign origins/hosts, then authenticate, and only then read the body, so an
   * unauthenticated client never makes the server parse up to MCP_MAX_BODY_BYTES; the scope check needs the
   * parsed body (the method is in it). Streamable HTTP defines POST, GET and DELETE; HEAD is served as GET, as
   * Express would, and Node leaves its body out.
   */
  private async serve(req: McpRequest, res: ServerResponse): Promise<void> {
    this.origin.check(req);
    await this.bearer.authenticate(req);
    await this.body.read(req, res);
    setAccessLogFields(res, callSummary(req));
    switch (req.method) {
      case 'POST':
        this.scopes.check(req);
        return this.http.post(req, res);
      case 'GET':
      case 'HEAD':
      case 'DELETE':
        return this.http.getOrDelete(req, res);
      default:
        res.setHeader('Allow', 'GET, POST, DELETE');
        throw new JsonRpcHttpException(HttpStatus.METHOD_NOT_ALLOWED, -32000, 'Method not allowed');
    }
  }
}

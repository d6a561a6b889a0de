import { All, Controller, Delete, Get, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { JsonRpcHttpException } from '../auth/auth.exceptions';
import { McpScopeGuard } from '../auth/mcp-scope.guard';
import type { McpRequest } from './mcp-request';
import { StreamableHttpService } from './streamable-http.service';

/**
 * The MCP Streamable HTTP endpoint. Origin/Host checks, bearer authentication and body parsing run as
 * middleware before these handlers (see McpModule.configure); responses are written by the SDK transport.
 */
@Controller('mcp')
export class McpController {
  constructor(private readonly http: StreamableHttpService) {}

  @Post()
  @UseGuards(McpScopeGuard)
  post(@Req() req: McpRequest, @Res() res: Response): Promise<void> {
    return this.http.post(req, res);
  }

  @Get()
  get(@Req() req: McpRequest, @Res() res: Response): Promise<void> {
    return this.http.getOrDelete(req, res);
  }

  @Delete()
  delete(@Req() req: McpRequest, @Res() res: Response): Promise<void> {
    return this.http.getOrDelete(req, res);
  }

  /** Declared last so it only catches what the handlers above do not (Streamable HTTP defines three methods). */
  @All()
  other(@Res({ passthrough: true }) res: Response): never {
    res.setHeader('Allow', 'GET, POST, DELETE');
    throw new JsonRpcHttpException(HttpStatus.METHOD_NOT_ALLOWED, -32000, 'Method not allowed');
  }
}

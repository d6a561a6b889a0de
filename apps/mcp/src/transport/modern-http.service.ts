import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { toNodeHandler, type NodeMcpRequestHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import type { ServerResponse } from 'node:http';
import { mcpConfig } from '../config/mcp.config';
import { ChangeEvents } from '../registry/change-events';
import { McpServerFactory } from './mcp-server.factory';
import type { McpRequest } from './mcp-request';
import { ServerPool } from './server-pool';
import { webRequestOf, writeWebResponse } from './web-exchange';

/**
 * MCP 2026-07-28 on /mcp, served by the SDK's own entry (`createMcpHandler`, strict: `legacy: 'reject'`; 2025
 * traffic is routed to LegacyHttpService before it gets here). The SDK owns the revision: `server/discover`,
 * the `_meta` envelope, header/version checks, 405 for GET/DELETE, cache hints, `subscriptions/listen` on
 * `ChangeEvents`, multi-round-trip results, and a JSON answer unless a handler streams. Built once at boot; the
 * per-request factory hands out pooled server objects.
 */
@Injectable()
export class ModernHttpService {
  private readonly logger = new Logger(ModernHttpService.name);
  private readonly handler: McpHttpHandler;
  private readonly serveNode: NodeMcpRequestHandler;

  constructor(
    @Inject(mcpConfig.KEY) config: ConfigType<typeof mcpConfig>,
    factory: McpServerFactory,
    changes: ChangeEvents,
  ) {
    const pool = new ServerPool(() => factory.create('modern'), config.env.MCP_SERVER_POOL_SIZE);
    // Refusals (a wrong version, a malformed envelope) are answered to the client; they are not server faults.
    const onerror = (error: Error) => this.logger.debug(error.message);
    this.handler = createMcpHandler(() => pool.acquire().server, {
      legacy: 'reject',
      bus: changes.bus,
      maxSubscriptions: config.env.MCP_MAX_SUBSCRIPTIONS,
      maxRequestBodySize: config.env.MCP_MAX_BODY_BYTES,
      onerror,
    });
    this.serveNode = toNodeHandler(this.handler, { onerror });
  }

  /**
   * Serves an authenticated, scope-checked request; `req.auth` reaches the handlers as `ctx.http.authInfo`. A POST
   * body the front door did not parse (another media type) is the SDK's to read and refuse.
   */
  async serve(req: McpRequest, res: ServerResponse): Promise<void> {
    if (req.method === 'POST' && req.body === undefined) return this.serveNode(req, res);
    // A client that leaves cancels the exchange (an open subscriptions/listen stream above all).
    const abort = new AbortController();
    let finished = false;
    const closed = new Promise<void>((resolve) =>
      res.once('close', () => {
        if (!finished) abort.abort();
        resolve();
      }),
    );
    const response = await this.handler.fetch(webRequestOf(req, abort.signal), {
      ...(req.auth !== undefined && { authInfo: req.auth }),
      ...(req.body !== undefined && { parsedBody: req.body }),
    });
    await writeWebResponse(res, response, closed);
    finished = true;
  }

  /** Ends the open `subscriptions/listen` streams; called once by McpShutdown. */
  async close(): Promise<void> {
    await this.handler.close();
  }
}

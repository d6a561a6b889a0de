import { HttpStatus, Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { McpConfig } from '../config/mcp.config';
import { MCP_CONFIG_TOKEN } from '../config/mcp-config.token';
import { JsonRpcHttpException } from '../auth/auth.exceptions';

/**
 * Parses a POST body once, after authentication, so the scope check and the SDK share one parsed value
 * (`transport.handleRequest(req, res, req.body)`). Parse failures become JSON-RPC errors (JSON-RPC 2.0 §5.1).
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler;

  constructor(@Inject(MCP_CONFIG_TOKEN) config: McpConfig) {
    // The SDK accepts application/json with any parameters; parse exactly what it would read itself.
    this.parse = json({ limit: config.env.MCP_MAX_BODY_BYTES, type: 'application/json', strict: false });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (req.method === 'POST') {
      await new Promise<void>((resolve, reject) =>
        this.parse(req, res, (error?: unknown) => (error ? reject(toRpcError(error)) : resolve())),
      );
    }
    next();
  }
}

function toRpcError(error: unknown): JsonRpcHttpException {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    return new JsonRpcHttpException(HttpStatus.PAYLOAD_TOO_LARGE, -32000, 'Payload Too Large');
  }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new JsonRpcHttpException(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      -32000,
      'Unsupported Media Type: use UTF-8 JSON',
    );
  }
  if (type === 'entity.parse.failed') {
    return new JsonRpcHttpException(HttpStatus.BAD_REQUEST, -32700, 'Parse error: Invalid JSON');
  }
  return new JsonRpcHttpException(HttpStatus.BAD_REQUEST, -32700, 'Parse error: unreadable request body');
}

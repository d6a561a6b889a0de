import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { json, type Request, type RequestHandler, type Response } from 'express';
import type { ServerResponse } from 'node:http';
import { mcpConfig } from '../config/mcp.config';
import { JsonRpcHttpException } from '../auth/auth.exceptions';
import type { McpRequest } from './mcp-request';

/**
 * Parses a POST body once, after authentication, so the scope check and the SDK share one parsed value
 * (`transport.handleRequest(req, res, req.body)`). Parse failures become JSON-RPC errors (JSON-RPC 2.0 §5.1).
 */
@Injectable()
export class JsonBodyReader {
  private readonly parse: RequestHandler;

  constructor(@Inject(mcpConfig.KEY) config: ConfigType<typeof mcpConfig>) {
    // The SDK accepts application/json with any parameters; parse exactly what it would read itself.
    this.parse = json({ limit: config.env.MCP_MAX_BODY_BYTES, type: 'application/json', strict: false });
  }

  /** Leaves the parsed body at `req.body` (undefined for another media type); throws the refusal. */
  async read(req: McpRequest, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return;
    // body-parser reads only Node's request stream and headers: the Express types are all it needs of Express.
    await new Promise<void>((resolve, reject) =>
      this.parse(req as Request, res as Response, (error?: unknown) =>
        error ? reject(toRpcError(error)) : resolve(),
      ),
    );
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

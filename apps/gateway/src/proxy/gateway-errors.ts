import type { ServerResponse } from 'node:http';
import { writeJson } from '@app/runtime';
import type { ErrorShape } from '../routing/route-table';

export interface GatewayError {
  status: number;
  /** RFC 6749 §5.2 style `error` code, used on OAuth and discovery routes. */
  error: string;
  description: string;
  /** JSON-RPC 2.0 §5.1 error code, used on /mcp. -32000..-32099 are the implementation-defined server errors. */
  rpcCode: number;
}

const NO_STORE = { 'Cache-Control': 'no-store' };
const NO_STORE_THEN_CLOSE = { ...NO_STORE, Connection: 'close' };

export const notFound = (): GatewayError => ({
  status: 404,
  error: 'not_found',
  description: 'No such endpoint',
  rpcCode: -32601,
});

// RFC 9112 §3.2: without Host the upstreams could not tell which public URL the client used.
export const missingHost = (): GatewayError => ({
  status: 400,
  error: 'invalid_request',
  description: 'The Host header is required',
  rpcCode: -32600,
});

// RFC 9112 §3.2: a request with more than one Host field must be answered 400; which one counts is ambiguous.
export const repeatedHost = (): GatewayError => ({
  status: 400,
  error: 'invalid_request',
  description: 'The Host header must appear exactly once',
  rpcCode: -32600,
});

export const payloadTooLarge = (limit: number): GatewayError => ({
  status: 413,
  error: 'invalid_request',
  description: `Request body exceeds ${limit} bytes`,
  rpcCode: -32600,
});

// RFC 6749 §4.1.2.1 names the "temporarily_unavailable" condition; the status says which one it is.
export const upstreamUnavailable = (upstream: string): GatewayError => ({
  status: 502,
  error: 'temporarily_unavailable',
  description: `The ${upstream} service is unavailable`,
  rpcCode: -32000,
});

export const upstreamTimeout = (upstream: string, ms: number): GatewayError => ({
  status: 504,
  error: 'temporarily_unavailable',
  description: `The ${upstream} service did not answer within ${ms} ms`,
  rpcCode: -32000,
});

/**
 * Writes an error the gateway itself produced, shaped for the route: `{error, error_description}` for
 * OAuth clients, a JSON-RPC error object with a null id (JSON-RPC 2.0 §5: the request id is unknown to
 * the gateway, which never parses bodies) for MCP clients.
 */
export function sendGatewayError(
  res: ServerResponse,
  shape: ErrorShape,
  failure: GatewayError,
  closeConnection = false,
): void {
  const body =
    shape === 'jsonrpc'
      ? { jsonrpc: '2.0', error: { code: failure.rpcCode, message: failure.description }, id: null }
      : { error: failure.error, error_description: failure.description };
  writeJson(res, failure.status, body, closeConnection ? NO_STORE_THEN_CLOSE : NO_STORE);
}

import type { ServerResponse } from 'node:http';
import { bearerInsufficientScope, bearerUnauthorized, type BearerRefusal } from '@app/oauth-errors';
import { setAccessLogLevel, writeJson } from '@app/runtime';
import { ALL_MCP_SCOPES } from '@app/scopes';

const NO_STORE = { 'Cache-Control': 'no-store' };

function sendRefusal(res: ServerResponse, refusal: BearerRefusal): void {
  writeJson(res, refusal.status, refusal.body, { ...NO_STORE, 'WWW-Authenticate': refusal.challenge });
}

/**
 * 401 with the challenge MCP clients start from (MCP authorization, "Protected Resource Metadata Discovery"):
 * `resource_metadata` of this resource on the alias used, and `scope` = the six MCP scopes, which a client asks
 * for first; a resource's own scopes are obtained by stepping up when a call needs them.
 */
export function sendUnauthorized(
  res: ServerResponse,
  resourceMetadata: string,
  error: 'invalid_request' | 'invalid_token' | undefined,
  description: string,
): void {
  sendRefusal(res, bearerUnauthorized({ resourceMetadata, scope: ALL_MCP_SCOPES }, error, description));
}

/** 403 insufficient_scope naming every scope the request needs in one challenge (SEP-2350), held ones included. */
export function sendInsufficientScope(
  res: ServerResponse,
  resourceMetadata: string,
  scopes: { granted: readonly string[]; required: readonly string[]; missing: readonly string[] },
): void {
  sendRefusal(res, bearerInsufficientScope({ resourceMetadata }, scopes));
}

/** 503: authz could not be asked about the token; the client is told to retry, never that its token is bad. */
export function sendUnavailable(res: ServerResponse, description: string, retryAfterSeconds: number): void {
  // @app/resource-server logs the outage once per cause and interval; one error line per request would flood.
  setAccessLogLevel(res, 'info');
  const body = { jsonrpc: '2.0', error: { code: -32000, message: description }, id: null };
  writeJson(res, 503, body, { ...NO_STORE, 'Retry-After': String(retryAfterSeconds) });
}

/** A JSON-RPC 2.0 error object (§5.1) with the request's id when one message was readable, else null. */
export function sendRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  id: unknown = null,
  data?: unknown,
): void {
  const error = data === undefined ? { code, message } : { code, message, data };
  writeJson(res, status, { jsonrpc: '2.0', error, id: id ?? null }, NO_STORE);
}

import type { AuthInfo } from '@modelcontextprotocol/server';
import type { IncomingMessage } from 'node:http';

/** What the /mcp front door learns about a request before the SDK sees it. */
export interface McpRequest extends IncomingMessage {
  /** Base URL of the public alias this request came in on (resolvePublicBaseUrl). */
  publicBaseUrl?: string;
  /** The verified access token, in the SDK's shape; `extra.sub` is the token's subject. */
  auth?: AuthInfo & { extra: { sub: string; jti: string } };
  /** The parsed JSON-RPC body of a POST (JsonBodyReader); undefined when it was not application/json. */
  body?: unknown;
}

export const MCP_PATH = '/mcp';
export const PRM_PATH = '/.well-known/oauth-protected-resource';

export function resourceMetadataUrl(base: string): string {
  // RFC 9728 §3.1: the well-known suffix is inserted before the resource's path component.
  return `${base}${PRM_PATH}${MCP_PATH}`;
}

import type { IncomingMessage, Server } from 'node:http';
import { GrantRepository } from '@app/oauth-store';
import { ALL_MCP_SCOPES } from '@app/scopes';
import { AccessTokenIssuer } from '../../../apps/authz/src/keys/access-token.issuer';
import { SigningKeysService } from '../../../apps/authz/src/keys/signing-keys.service';
import { randomToken } from '../../../apps/authz/src/common/random';
import { startStack, type Stack, type StackOptions } from '../../support/stack';

/** What an upstream app (authz or mcp) received from the gateway: seen on its own HTTP server. */
export interface UpstreamRequest {
  app: 'authz' | 'mcp';
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** Whether the whole message (body included) arrived; false for one cut off on the way (or not over yet). */
  complete: boolean;
}

export interface AttackStack extends Stack {
  /** Every request the upstream apps received since the stack started (or since `received.length = 0`). */
  readonly received: UpstreamRequest[];
  /**
   * A valid access token for `sub` (its grant active in authz), as authz's own issuer would sign it; `base` is
   * the public alias it is issued under (default `baseUrl()`).
   */
  mint(sub: string, options?: { clientId?: string; scopes?: string[]; base?: string }): Promise<string>;
  /** authz's active signing key, for tokens that are forged on purpose yet correctly signed. */
  signingKey(): SigningKeysService['signingKey'];
}

/**
 * The real stack of test/support/stack.ts (authz, mcp, the gateway in this process, on loopback), with what an
 * attack test needs besides: tokens for any subject, the signing key, and a record of what reached the upstreams.
 */
export async function startAttackStack(options: StackOptions = {}): Promise<AttackStack> {
  const stack = await startStack(options);
  const received: UpstreamRequest[] = [];
  const record = (app: UpstreamRequest['app'], server: Server) =>
    // Observes only: the app's own listener still answers (and reads the body).
    server.prependListener('request', (req: IncomingMessage) => {
      const entry = {
        app,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        complete: false,
      };
      received.push(entry);
      req.once('close', () => (entry.complete = req.complete));
    });
  record('authz', stack.authzApp().getHttpServer() as Server);
  record('mcp', stack.mcpApp().getHttpServer() as Server);

  const mint = async (
    sub: string,
    { clientId = 'attack-client', scopes = [...ALL_MCP_SCOPES], base = stack.baseUrl() } = {},
  ) => {
    const authz = stack.authzApp();
    const issuer = base;
    const resource = `${base}/mcp`;
    const grantId = randomToken(16);
    const now = Date.now();
    await authz.get(GrantRepository).save({
      grantId,
      clientId,
      subject: sub,
      scopes,
      resource,
      createdAt: now,
      expiresAt: now + 3_600_000,
    });
    const token = await authz.get(AccessTokenIssuer).issue({
      issuer,
      subject: sub,
      clientId,
      scopes,
      resource,
      grantId,
    });
    return token.accessToken;
  };

  return Object.assign(stack, {
    received,
    mint,
    signingKey: () => stack.authzApp().get(SigningKeysService).signingKey,
  });
}

/** Runs `task` over `items`, at most `width` at a time; results in the order of `items`. */
export async function inBatches<T, R>(
  items: readonly T[],
  width: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

/** A JSON-RPC request through the gateway's /mcp, as MCP 2026-07-28 sends it (no session needed). */
export function modernToolCall(name: string, args: Record<string, unknown>, id: number | string = 1) {
  return {
    body: {
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        name,
        arguments: args,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'attack-suite', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    },
    headers: { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': name },
  };
}

export interface McpAnswer {
  status: number;
  headers: Headers;
  /** The JSON-RPC response (from a JSON body, or the last SSE `data:` message). */
  message?: {
    id?: unknown;
    result?: { isError?: boolean; content?: { type: string; text?: string }[]; [key: string]: unknown };
    error?: { code: number; message: string };
  };
  text: string;
}

/** POST /mcp through the gateway with a bearer token, reading a JSON or SSE answer. */
export async function postMcp(
  base: string,
  token: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<McpAnswer> {
  const response = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  let message: McpAnswer['message'];
  if (type.includes('text/event-stream')) {
    const data = text
      .split('\n')
      .filter((line) => line.startsWith('data:') && line.slice(5).trim() !== '')
      .map((line) => JSON.parse(line.slice(5)) as NonNullable<McpAnswer['message']>);
    message = data.filter((entry) => 'result' in entry || 'error' in entry).pop();
  } else if (type.includes('application/json') && text) {
    message = JSON.parse(text) as McpAnswer['message'];
  }
  return { status: response.status, headers: response.headers, message, text };
}

/** The text of a tool result (its first content block). */
export const toolText = (answer: McpAnswer) => answer.message?.result?.content?.[0]?.text ?? '';

/** Calls a tool through the gateway as a 2026-07-28 client. */
export function callTool(stack: Stack, token: string, name: string, args: Record<string, unknown>, id = 1) {
  const call = modernToolCall(name, args, id);
  return postMcp(stack.baseUrl(), token, call.body, call.headers);
}

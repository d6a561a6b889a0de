import request from 'supertest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';

export const PROTOCOL_VERSION = '2025-11-25';

export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  result?: { content?: unknown; isError?: boolean; tools?: { name: string }[] } & Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

export interface McpReply {
  status: number;
  headers: Record<string, string>;
  /** JSON-RPC messages from a JSON body or from each SSE `data:` line. */
  messages: JsonRpcMessage[];
  text: string;
}

function messagesOf(contentType: string, text: string): JsonRpcMessage[] {
  if (!text) return [];
  if (contentType.includes('text/event-stream')) {
    return text
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trim())
      .filter((data) => data.length > 0)
      .map((data) => JSON.parse(data) as JsonRpcMessage);
  }
  if (contentType.includes('application/json')) {
    const body = JSON.parse(text) as JsonRpcMessage | JsonRpcMessage[];
    return Array.isArray(body) ? body : [body];
  }
  return [];
}

/** One Streamable HTTP POST to `<base>/mcp`, exactly as a client sends it, through Supertest. */
export async function mcpPost(
  baseUrl: string,
  body: Record<string, unknown>,
  options: { token?: string; sessionId?: string; headers?: Record<string, string> } = {},
): Promise<McpReply> {
  let call = request(baseUrl)
    .post('/mcp')
    .set('Accept', 'application/json, text/event-stream')
    .set('Content-Type', 'application/json')
    .buffer(true)
    .parse((res, done) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (data += chunk));
      res.on('end', () => done(null, data));
    });
  if (options.token) call = call.set('Authorization', `Bearer ${options.token}`);
  if (options.sessionId) {
    call = call.set('Mcp-Session-Id', options.sessionId).set('Mcp-Protocol-Version', PROTOCOL_VERSION);
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) call = call.set(name, value);
  const response = await call.send(body);
  const text = typeof response.body === 'string' ? response.body : '';
  return {
    status: response.status,
    headers: response.headers as Record<string, string>,
    messages: messagesOf(String(response.headers['content-type'] ?? ''), text),
    text,
  };
}

/** The response to request `id` among the messages (an SSE stream may carry notifications first). */
export function responseTo(reply: McpReply, id: number | string): JsonRpcMessage {
  const message = reply.messages.find((candidate) => candidate.id === id && !candidate.method);
  if (!message) throw new Error(`no response to request ${id} in ${reply.status} ${reply.text}`);
  return message;
}

export const initializeRequest = (id = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'supertest-walk', version: '1.0.0' },
  },
});

/** initialize + notifications/initialized; returns the session id (undefined in stateless mode). */
export async function openSession(baseUrl: string, token: string): Promise<string | undefined> {
  const init = await mcpPost(baseUrl, initializeRequest(), { token });
  if (init.status !== 200) throw new Error(`initialize answered ${init.status}: ${init.text}`);
  const sessionId = init.headers['mcp-session-id'];
  const initialized = await mcpPost(
    baseUrl,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { token, sessionId },
  );
  if (initialized.status !== 202)
    throw new Error(`initialized answered ${initialized.status}: ${initialized.text}`);
  return sessionId;
}

/** Parses `Bearer a="b", c="d"` (RFC 6750 §3) into its auth-params. */
export function parseBearerChallenge(header: string | undefined): Record<string, string> {
  if (!header || !/^Bearer\b/i.test(header)) throw new Error(`not a Bearer challenge: ${header}`);
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/gi)) {
    params[match[1].toLowerCase()] = match[2].replace(/\\(.)/g, '$1');
  }
  return params;
}

/** Verifies an access token as the resource server must: JWKS signature, RFC 9068 header, iss and aud. */
export async function verifyAccessToken(
  token: string,
  expected: { jwksUri: string; issuer: string; audience: string },
): Promise<JWTPayload & { scope?: string; client_id?: string }> {
  const header = decodeProtectedHeader(token);
  if (header.typ !== 'at+jwt' || header.alg !== 'RS256' || !header.kid) {
    throw new Error(`unexpected JWT header ${JSON.stringify(header)}`);
  }
  const jwks = createRemoteJWKSet(new URL(expected.jwksUri));
  const { payload } = await jwtVerify(token, jwks, {
    issuer: expected.issuer,
    audience: expected.audience,
    typ: 'at+jwt',
    algorithms: ['RS256'],
  });
  return payload as JWTPayload & { scope?: string; client_id?: string };
}

import { decodeMcpHeaderValue } from './header-value';
import { isModernProtocolVersion, PROTOCOL_VERSION_META_KEY } from './protocol-revisions';

/** JSON-RPC error code of a header/body disagreement (MCP 2026-07-28 schema, `HEADER_MISMATCH`). */
export const HEADER_MISMATCH = -32020;

/** The answer a server or gateway gives: HTTP 400 with this JSON-RPC error (transports, "Server Validation"). */
export interface HeaderMismatch {
  httpStatus: 400;
  code: typeof HEADER_MISMATCH;
  message: string;
  data: { header: string; mismatch: string };
}

/** Node's shape (lower-case names); a repeated header counts as its first value. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** The body field `Mcp-Name` mirrors, per method (transports, "Standard Headers"). */
const NAME_SOURCE: Readonly<Record<string, 'name' | 'uri' | 'taskId'>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** RFC 9110 §5.5: a field value is evaluated without leading and trailing whitespace. */
function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.replace(/^[\t ]+|[\t ]+$/g, '');
}

function mismatch(header: string, text: string): HeaderMismatch {
  return {
    httpStatus: 400,
    code: HEADER_MISMATCH,
    message: `Bad Request: ${text}`,
    data: { header, mismatch: text },
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * THE header/body agreement rule of MCP 2026-07-28 (SEP-2243; transports "Standard Headers" and "Server
 * Validation"): a request's `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` must be present and must say what
 * the body says, so that anything routing or authorizing on headers (a gateway) sees what the server will run.
 * Applies to a POSTed 2026-era message (its `_meta` envelope, or a modern version header, says so); 2025-era
 * traffic predates these headers and is left alone. Envelope and version checks beyond agreement belong to the
 * server.
 */
export function checkHeaderAgreement(
  httpMethod: string,
  headers: RequestHeaders,
  body: unknown,
): HeaderMismatch | undefined {
  if (httpMethod !== 'POST' || !isObject(body) || typeof body.method !== 'string') return undefined;
  const method = body.method;
  const params = isObject(body.params) ? body.params : undefined;
  const meta = isObject(params?._meta) ? params._meta : undefined;
  const claimed =
    typeof meta?.[PROTOCOL_VERSION_META_KEY] === 'string'
      ? (meta[PROTOCOL_VERSION_META_KEY] as string)
      : undefined;
  const version = header(headers, 'mcp-protocol-version');
  const isRequest = body.id !== undefined;

  if (claimed === undefined && method === 'initialize') {
    // The 2025 handshake sent as if it were 2026 traffic: neither era can serve it.
    return version !== undefined && isModernProtocolVersion(version)
      ? mismatch(
          'MCP-Protocol-Version',
          `initialize belongs to 2025 revisions, but MCP-Protocol-Version is ${version}`,
        )
      : undefined;
  }
  if (claimed !== undefined && version !== undefined && version !== claimed) {
    return mismatch(
      'MCP-Protocol-Version',
      `the body names protocol version ${claimed}, the header ${version}`,
    );
  }
  const era = claimed ?? version;
  if (era === undefined || !isModernProtocolVersion(era)) return undefined;

  const methodHeader = header(headers, 'mcp-method');
  if (methodHeader !== undefined && methodHeader !== method) {
    return mismatch('Mcp-Method', `the body names method ${method}, the Mcp-Method header ${methodHeader}`);
  }
  if (!isRequest) return undefined;
  if (version === undefined)
    return mismatch('MCP-Protocol-Version', 'the MCP-Protocol-Version header is required');
  if (methodHeader === undefined)
    return mismatch('Mcp-Method', `the Mcp-Method header is required (${method})`);

  const field = Object.hasOwn(NAME_SOURCE, method) ? NAME_SOURCE[method] : undefined;
  const expected = field && typeof params?.[field] === 'string' ? (params[field] as string) : undefined;
  const nameHeader = header(headers, 'mcp-name');
  if (nameHeader === undefined) {
    return expected === undefined
      ? undefined
      : mismatch('Mcp-Name', `the Mcp-Name header is required (${expected})`);
  }
  const named = decodeMcpHeaderValue(nameHeader);
  if (named === undefined)
    return mismatch('Mcp-Name', 'the Mcp-Name header is not valid Base64-encoded UTF-8');
  if (expected !== undefined && named !== expected) {
    return mismatch('Mcp-Name', `the body names ${field} ${expected}, the Mcp-Name header ${named}`);
  }
  return undefined;
}

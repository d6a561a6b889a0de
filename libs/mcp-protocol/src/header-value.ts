const PREFIX = '=?base64?';
const SUFFIX = '?=';
/** RFC 4648 §4 with its padding: the only form the sentinel may carry (SEP-2243 test-case table). */
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The value an `Mcp-Name` / `Mcp-Param-*` header stands for (MCP 2026-07-28 transports, "Value Encoding"):
 * `=?base64?…?=` carries UTF-8 bytes in canonical Base64, anything else is the literal value. Returns undefined
 * for a sentinel whose payload is not canonical Base64 or not UTF-8, which a server must reject.
 */
export function decodeMcpHeaderValue(value: string): string | undefined {
  if (!value.startsWith(PREFIX) || !value.endsWith(SUFFIX) || value.length < PREFIX.length + SUFFIX.length) {
    return value;
  }
  const payload = value.slice(PREFIX.length, value.length - SUFFIX.length);
  if (!CANONICAL_BASE64.test(payload)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(payload, 'base64'));
  } catch {
    return undefined;
  }
}

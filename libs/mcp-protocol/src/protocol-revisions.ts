/**
 * The first revision without sessions and without the initialize handshake (MCP 2026-07-28, basic/versioning);
 * revisions are dated, so every later one is of the same era. The SDK draws the line the same way.
 */
export const FIRST_MODERN_PROTOCOL_VERSION = '2026-07-28';

/** Where a 2026-07-28 request names its revision: the per-request `_meta` envelope (basic/index, "_meta"). */
export const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';

export function isModernProtocolVersion(version: string): boolean {
  return version >= FIRST_MODERN_PROTOCOL_VERSION;
}

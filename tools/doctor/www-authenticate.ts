/** A parsed challenge: scheme and auth-params (RFC 9110 §11.2, values unquoted). */
export interface ParsedChallenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * The first challenge of a WWW-Authenticate value. Enough of RFC 9110 §11.2 for what MCP servers send: one
 * scheme, then `name=token` or `name="quoted \"string\""` pairs separated by commas.
 */
export function parseChallenge(header: string): ParsedChallenge | undefined {
  const match = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:\s+(.*))?$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const rest = match[2] ?? '';
  const pair = /\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/gy;
  let found: RegExpExecArray | null;
  while ((found = pair.exec(rest)) !== null) {
    params[found[1].toLowerCase()] = found[2] !== undefined ? found[2].replace(/\\(.)/g, '$1') : found[3];
    if (pair.lastIndex >= rest.length) break;
  }
  return { scheme: match[1], params };
}

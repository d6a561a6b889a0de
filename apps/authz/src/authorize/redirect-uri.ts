/**
 * Redirect URI rules. Registration (RFC 7591 §2, OAuth 2.1 §2.3.1, RFC 8252 §7): https, http on a loopback host,
 * or a private-use scheme of a native app (`com.example.app:/cb`, `cursor://anysphere.cursor-mcp/...`); never a
 * scheme that runs or reads something in the browser; no fragment (RFC 6749 §3.1.2). Matching at /authorize: exact string comparison (OAuth 2.1 §4.1.1), except that the
 * port of a loopback redirect is ignored (RFC 8252 §7.3), since native apps bind an ephemeral port at run time.
 *
 * Decision: `localhost` gets the same any-port treatment as 127.0.0.1 and [::1]. RFC 8252 §8.3 prefers the IP
 * literals, but many MCP clients register `http://localhost:<port>/callback`, and a name that browsers resolve
 * only to loopback carries the same risk as the literals (another local process on another port).
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/** Schemes a browser would execute or read locally instead of handing to an app. */
const REFUSED_SCHEMES = new Set([
  'javascript:',
  'data:',
  'file:',
  'vbscript:',
  'blob:',
  'about:',
  'filesystem:',
]);

/**
 * Why a URI may not be registered as a redirect, or undefined when it may. The raw string is checked, not only
 * what a URL parser makes of it: parsers repair `https:///cb` into `https://cb/`, read `\` as `/` and drop
 * control characters, so a registered value could name another place than the one it seems to.
 */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > 2048) return 'is too long';
  // RFC 3986 §2: no spaces, controls (NUL included, raw or encoded) or backslashes in a URI.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\x00-\x20\x7f\\]|%00/i.test(uri)) return 'contains spaces, control characters or a backslash';
  const url = parse(uri);
  if (!url || !/^[a-z][a-z0-9+.-]*:/i.test(uri)) return 'is not an absolute URI';
  if (uri.includes('#')) return 'must not contain a fragment';
  if (url.username || url.password) return 'must not contain credentials';
  if (REFUSED_SCHEMES.has(url.protocol)) return `must not use the ${url.protocol} scheme`;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const authority = /^https?:\/\/([^/?#]*)/i.exec(uri)?.[1];
  if (!authority || authority.includes('@')) return 'must name a host after "//"';
  if (url.protocol === 'https:' || isLoopbackHost(url.hostname)) return undefined;
  return 'must use https, or http on a loopback host (127.0.0.1, [::1], localhost)';
}

/** Where the browser goes: a web page, or a native app through its private-use scheme (RFC 8252 §7.1). */
export const isWebRedirect = (uri: string) => /^https?:/i.test(uri);

/** Whether `requested` may be used as the redirect of a client that registered `registered`. */
export function isRedirectUriRegistered(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  const url = parse(requested);
  if (!url || url.protocol !== 'http:' || !isLoopbackHost(url.hostname) || requested.includes('#'))
    return false;
  return registered.some((candidate) => {
    const allowed = parse(candidate);
    if (!allowed || allowed.protocol !== 'http:' || allowed.hostname !== url.hostname) return false;
    // Everything but the port must be identical: path, query (normalised by URL), no userinfo.
    const withoutPort = (u: URL) => `${u.protocol}//${u.hostname}${u.pathname}${u.search}`;
    return !url.username && !url.password && withoutPort(allowed) === withoutPort(url);
  });
}

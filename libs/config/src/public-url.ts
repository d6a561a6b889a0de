import type { IncomingHttpHeaders } from 'node:http';
import { splitList } from './validate-config';

export interface PublicUrlSettings {
  /** Normalised origin without a trailing slash, e.g. http://localhost:3002 */
  publicUrl: string;
  /** Lower-cased host names (no port) that may replace the public host. */
  aliases: string[];
  /** PUBLIC_URL's scheme (`http` or `https`), the default for alias URLs. */
  scheme: 'http' | 'https';
  /** PUBLIC_URL's path without a trailing slash ('' for an origin), kept on alias URLs. */
  basePath: string;
}

export interface HostHints {
  forwardedHost?: string | string[];
  forwardedProto?: string | string[];
  host?: string | string[];
}

const first = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;

/** Throws a message naming PUBLIC_URL when it is not an absolute http(s) origin. */
export function toPublicUrlSettings(publicUrl: string, aliases: string): PublicUrlSettings {
  let parsed: URL;
  try {
    parsed = new URL(publicUrl);
  } catch {
    throw new Error(`PUBLIC_URL must be an absolute URL (got ${JSON.stringify(publicUrl)})`);
  }
  if (!['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
    throw new Error(
      `PUBLIC_URL must be an http(s) URL without query or fragment (got ${JSON.stringify(publicUrl)})`,
    );
  }
  return {
    publicUrl: parsed.href.replace(/\/+$/, ''),
    // Compared with hostnameOfHost's result, which drops an IPv6 literal's brackets.
    aliases: splitList(aliases).map((alias) => alias.toLowerCase().replace(/^\[|\]$/g, '')),
    scheme: parsed.protocol === 'https:' ? 'https' : 'http',
    basePath: parsed.pathname.replace(/\/+$/, ''),
  };
}

/**
 * The hostname a Host (or X-Forwarded-Host) header names (RFC 9110 §7.2: `uri-host [ ":" port ]`; the first
 * entry of a list), lower case, IPv6 without brackets; undefined when absent or unparsable. Alias matching and
 * the MCP allowed-host check share it, so both read a header the same way.
 */
export function hostnameOfHost(header: string | string[] | undefined): string | undefined {
  const host = first(header);
  if (!host) return undefined;
  try {
    return new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The base URL a client used to reach the gateway. Local clients reach the stack as `localhost` or
 * `127.0.0.1`, and RFC 8414 §3.3 requires the issuer to equal the URL the client discovered with, so a
 * request on an alias host gets URLs on that host (same scheme and port as it used). Any other host gets
 * PUBLIC_URL, so a forged Host header can never put a foreign origin into metadata or tokens.
 */
export function resolvePublicBaseUrl(settings: PublicUrlSettings, hints: HostHints): string {
  const host = first(hints.forwardedHost) ?? first(hints.host);
  if (!host || !/^[A-Za-z0-9.\-[\]:]+$/.test(host)) return settings.publicUrl;
  const hostname = hostnameOfHost(host);
  if (!hostname || !settings.aliases.includes(hostname)) return settings.publicUrl;
  const proto = first(hints.forwardedProto);
  const scheme = proto === 'http' || proto === 'https' ? proto : settings.scheme;
  return `${scheme}://${host.toLowerCase()}${settings.basePath}`;
}

/** resolvePublicBaseUrl for an incoming request: the gateway passes the client's Host in X-Forwarded-Host. */
export function resolveRequestBaseUrl(settings: PublicUrlSettings, headers: IncomingHttpHeaders): string {
  return resolvePublicBaseUrl(settings, {
    forwardedHost: headers['x-forwarded-host'],
    forwardedProto: headers['x-forwarded-proto'],
    host: headers.host,
  });
}

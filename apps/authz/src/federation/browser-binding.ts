import { randomToken } from '../common/random';

/**
 * Ties an upstream sign-in to the browser that started it, so a callback URL carried to another browser (login
 * CSRF, RFC 9700 §4.7; OpenID Connect Core §15.5.2) completes nothing. The cookie holds a random value; the
 * sign-in record holds its hash. SameSite=Lax, not Strict: the provider's callback is a cross-site top-level
 * GET navigation, which Lax cookies accompany. Over https the `__Host-` prefix keeps sibling sub-domains from
 * planting a value of their choice (RFC 6265bis §4.1.3.2).
 */
const VALUE = /^[A-Za-z0-9_-]{43}$/;

export const bindingCookieName = (secure: boolean) => (secure ? '__Host-mcp-login' : 'mcp-login');

/** The named cookie's value from a Cookie header (RFC 6265 §5.4: `name=value` pairs joined by `; `). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** The browser's current binding value when it holds a well-formed one (parallel sign-ins share it), else a new one. */
export function bindingValue(cookieHeader: string | undefined, secure: boolean): string {
  const current = readCookie(cookieHeader, bindingCookieName(secure));
  return current !== undefined && VALUE.test(current) ? current : randomToken();
}

export function bindingCookie(value: string, secure: boolean, maxAgeSeconds: number): string {
  const attributes = [
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (secure) attributes.push('Secure');
  return [`${bindingCookieName(secure)}=${value}`, ...attributes].join('; ');
}

export const clearBindingCookie = (secure: boolean) => bindingCookie('', secure, 0);

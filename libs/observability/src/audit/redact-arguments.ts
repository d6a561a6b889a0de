/**
 * THE redaction rule for tool arguments in audit events (AUDIT_INCLUDE_ARGUMENTS=true), as the README states it:
 *
 * 1. A property whose name looks like a credential (password, passphrase, secret, token, api key, auth,
 *    cookie, credential, private key, session, signature; any case, any separator) has its value replaced by
 *    "[REDACTED]", whatever the value.
 * 2. A string that looks like a credential wherever it appears is replaced by "[REDACTED]": a JWT, an
 *    `Authorization`-style "Bearer …"/"Basic …" value, a PEM block. A URL's user:password part becomes
 *    "[REDACTED]@".
 * 3. Strings are cut to 200 characters (then "…(N chars)"); arrays to 20 items; objects to 50 properties;
 *    nesting to 5 levels ("[…]" below).
 */

const SECRET_NAME =
  /pass(word|wd|phrase)?|secret|token|api[-_]?key|auth|cookie|credential|private[-_]?key|session|signature/i;
const JWT = /\beyJ[\w-]*\.[\w-]+\.[\w-]*/;
const SCHEME_CREDENTIAL = /^\s*(bearer|basic)\s+\S+/i;
const PEM = /-----BEGIN [A-Z ]+-----/;
const URL_USERINFO = /(\b[a-z][a-z\d+.-]*:\/\/)[^/\s@]+@/gi;

const REDACTED = '[REDACTED]';
const MAX_STRING = 200;
const MAX_ITEMS = 20;
const MAX_PROPERTIES = 50;
const MAX_DEPTH = 5;

function redactString(value: string): string {
  if (JWT.test(value) || SCHEME_CREDENTIAL.test(value) || PEM.test(value)) return REDACTED;
  const cleaned = value.replace(URL_USERINFO, `$1${REDACTED}@`);
  return cleaned.length <= MAX_STRING ? cleaned : `${cleaned.slice(0, MAX_STRING)}…(${cleaned.length} chars)`;
}

export function redactArguments(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol'
      ? String(value)
      : value;
  }
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS).map((item) => redactArguments(item, depth + 1));
    return value.length > MAX_ITEMS ? [...kept, `…(${value.length - MAX_ITEMS} more)`] : kept;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const result: Record<string, unknown> = {};
  for (const [name, item] of entries.slice(0, MAX_PROPERTIES)) {
    result[name] = SECRET_NAME.test(name) ? REDACTED : redactArguments(item, depth + 1);
  }
  if (entries.length > MAX_PROPERTIES) result['…'] = `${entries.length - MAX_PROPERTIES} more properties`;
  return result;
}

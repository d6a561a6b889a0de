/**
 * THE place HTTP authentication challenges are written: the Bearer 401 and 403 refusals of a resource server
 * (RFC 6750 §3; MCP authorization adds RFC 9728 `resource_metadata` and `scope`) and the Basic challenge of a
 * token endpoint (RFC 6749 §5.2). Parameter order follows the MCP authorization examples; RFC 9110 §11.2 makes
 * it insignificant to clients.
 */

/**
 * RFC 9110 §11.2: auth-param values are written as quoted-strings (§5.6.4). `"` and `\` become quoted-pairs;
 * characters a quoted-string cannot carry at all (controls other than HTAB, non-ASCII) are dropped, so a value
 * can neither split the header nor make Node refuse it.
 */
export function quoteAuthParam(value: string): string {
  return `"${value.replace(/[^\t\x20-\x7e]/g, '').replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * RFC 6750 §3 (and RFC 6749 §5.2 for the body): error_description = *( %x20-21 / %x23-5B / %x5D-7E ), printable
 * ASCII without `"` and `\`. A double quote becomes a single one so the sentence still reads; the rest is dropped.
 */
export function toErrorDescription(text: string): string {
  return text.replace(/"/g, "'").replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '');
}

type AuthParam = readonly [name: string, value: string | undefined];

function challenge(scheme: string, params: readonly AuthParam[]): string {
  const written = params.flatMap(([name, value]) =>
    value === undefined ? [] : [`${name}=${quoteAuthParam(value)}`],
  );
  return written.length === 0 ? scheme : `${scheme} ${written.join(', ')}`;
}

/** RFC 6750 §3.1 codes of a 401; none at all when the request carried no credentials. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token';

/** Where a client learns how to obtain a token for the resource that refused it. */
export interface BearerResource {
  realm?: string;
  /** RFC 9728 §5.1: the protected resource metadata URL. */
  resourceMetadata?: string;
}

/** A refusal with its challenge (the WWW-Authenticate value) and its RFC 6749 §5.2-shaped JSON body. */
export interface BearerRefusal {
  status: 401 | 403;
  challenge: string;
  body: { error: string; error_description?: string; scope?: string };
}

const scopeValue = (scopes: readonly string[] | undefined) =>
  scopes === undefined ? undefined : [...new Set(scopes)].join(' ');

/**
 * 401. `scope` is what a client should request (MCP authorization, "Protected Resource Metadata Discovery").
 * RFC 6750 §3.1: a request without credentials gets no error code or description in the challenge; its body
 * still says what is missing.
 */
export function bearerUnauthorized(
  resource: BearerResource & { scope?: readonly string[] },
  error: BearerErrorCode | undefined,
  description?: string,
): BearerRefusal {
  const text = description === undefined ? undefined : toErrorDescription(description);
  const body: BearerRefusal['body'] = { error: error ?? 'unauthorized' };
  if (text !== undefined) body.error_description = text;
  return {
    status: 401,
    challenge: challenge('Bearer', [
      ['realm', resource.realm],
      ['resource_metadata', resource.resourceMetadata],
      ['scope', scopeValue(resource.scope)],
      ['error', error],
      ['error_description', error && text],
    ]),
    body,
  };
}

/**
 * 403 insufficient_scope (RFC 6750 §3.1, MCP authorization "Scope Challenge Handling"): the challenge's scope is
 * what was held plus what is needed, so one step-up authorization covers both; the body names what is missing.
 */
export function bearerInsufficientScope(
  resource: BearerResource,
  scopes: { granted: readonly string[]; required: readonly string[]; missing: readonly string[] },
): BearerRefusal {
  const missing = scopeValue(scopes.missing)!;
  const description = toErrorDescription(`Forbidden: this request requires the scope ${missing}`);
  return {
    status: 403,
    challenge: challenge('Bearer', [
      ['realm', resource.realm],
      ['error', 'insufficient_scope'],
      ['scope', scopeValue([...scopes.granted, ...scopes.required])],
      ['resource_metadata', resource.resourceMetadata],
      ['error_description', description],
    ]),
    body: { error: 'insufficient_scope', error_description: description, scope: missing },
  };
}

/** RFC 7617 §2 / RFC 6749 §5.2: the challenge of a 401 invalid_client after HTTP Basic client authentication. */
export function basicChallenge(realm: string): string {
  return challenge('Basic', [['realm', realm]]);
}

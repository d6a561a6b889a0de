/**
 * A Client Identifier URL (draft-ietf-oauth-client-id-metadata-document §3): https, a path, no userinfo, no
 * fragment, no "." or ".." segments; compared as plain strings. It must also be in the form a URL parser writes
 * it (lower-case scheme and host, no default port, nothing to percent-encode), so the URL fetched is the very
 * string the document must name as its client_id.
 */
export function clientIdUrlProblem(value: string, allowHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'it is not an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) return 'it must use https';
  if (url.username || url.password) return 'it must not contain a user name or password';
  if (value.includes('#')) return 'it must not contain a fragment';
  const rawPath = /^[a-z]+:\/\/[^/?#]*([^?#]*)/i.exec(value)?.[1] ?? '';
  if (rawPath === '') return 'it must contain a path';
  if (rawPath.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment)))
    return 'it must not contain "." or ".." path segments';
  if (url.href !== value) return `it is not in canonical form (${url.href})`;
  return undefined;
}

/** Whether a client_id is meant as a metadata document URL rather than an id this server issued (§7.1). */
export const looksLikeClientIdUrl = (value: string, allowHttp: boolean) =>
  /^https:\/\//i.test(value) || (allowHttp && /^http:\/\//i.test(value));

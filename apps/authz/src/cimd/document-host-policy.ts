/** `example.com` matches that host only; `*.example.com` matches its subdomains (CIMD §8.9 trust patterns). */
const matches = (host: string, pattern: string) =>
  pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;

/**
 * Operator policy on which hosts may publish client metadata documents (AUTHZ_CIMD_ALLOWED_HOSTS / _DENIED_HOSTS):
 * the deny-list wins; an empty allow-list allows every host.
 */
export function documentHostProblem(
  hostname: string,
  policy: { allowedHosts: readonly string[]; deniedHosts: readonly string[] },
): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.deniedHosts.some((pattern) => matches(host, pattern)))
    return `client metadata documents from ${host} are refused by this server's policy`;
  if (policy.allowedHosts.length > 0 && !policy.allowedHosts.some((pattern) => matches(host, pattern)))
    return `${host} is not among the hosts this server accepts client metadata documents from`;
  return undefined;
}

import { fail, pass, type DoctorCheck } from '../doctor-context';
import { isJsonObject } from '../http-probe';

/** RFC 9728 §3.1: the path-inserted well-known URL of a resource, and the root form clients also try. */
export function resourceMetadataUrls(mcpUrl: URL): string[] {
  const path = mcpUrl.pathname.replace(/\/+$/, '');
  const root = `${mcpUrl.origin}/.well-known/oauth-protected-resource`;
  return path ? [`${root}${path}`, root] : [root];
}

/** Protected resource metadata at both well-known forms, each a JSON object naming an authorization server. */
export const resourceMetadataCheck: DoctorCheck = {
  id: 'resource-metadata',
  title: 'Resource metadata, both forms',
  async run({ mcpUrl, http, found }) {
    const problems: string[] = [];
    for (const url of resourceMetadataUrls(mcpUrl)) {
      const response = await http.tryGet(url);
      const body = response.json;
      if (response.status !== 200 || !isJsonObject(body)) {
        problems.push(`${url} answered ${response.status || response.text}`);
        continue;
      }
      const servers = body.authorization_servers;
      if (typeof body.resource !== 'string' || !Array.isArray(servers) || typeof servers[0] !== 'string') {
        problems.push(`${url} lacks resource or authorization_servers`);
        continue;
      }
      found.resourceMetadata ??= { url, body };
    }
    if (problems.length > 0)
      return fail(
        problems.join('; '),
        'Route /.well-known/oauth-protected-resource and /.well-known/oauth-protected-resource/mcp to apps/mcp (the gateway does); a proxy in front of it must forward both.',
      );
    return pass(resourceMetadataUrls(mcpUrl).join(' and '));
  },
};

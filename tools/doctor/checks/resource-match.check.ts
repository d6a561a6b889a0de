import { fail, pass, skip, warn, type DoctorCheck } from '../doctor-context';

const publicUrlFix = (advertised: string, reached: string) =>
  `PUBLIC_URL says ${advertised} but clients reach ${reached}: set PUBLIC_URL, or GATEWAY_TRUSTED_PROXIES so the gateway believes the proxy's X-Forwarded-Host and X-Forwarded-Proto.`;

/**
 * RFC 9728 §3.3: the metadata's `resource` must be the URL the client connected to, and the challenge must point
 * at metadata on that same origin. A mismatch almost always means PUBLIC_URL names another origin than the one
 * clients use.
 */
export const resourceMatchCheck: DoctorCheck = {
  id: 'resource-match',
  title: 'resource = the URL used',
  async run({ mcpUrl, found }) {
    const metadata = found.resourceMetadata;
    if (!metadata) return skip('no resource metadata to compare');
    const resource = String(metadata.body.resource);
    const advertised = URL.canParse(resource) ? new URL(resource).origin : resource;
    if (advertised !== mcpUrl.origin)
      return fail(`resource is ${resource}`, publicUrlFix(advertised, mcpUrl.origin));
    const pointer = found.challenge?.params.resource_metadata;
    if (pointer && URL.canParse(pointer) && new URL(pointer).origin !== mcpUrl.origin)
      return fail(`the challenge points at ${pointer}`, publicUrlFix(new URL(pointer).origin, mcpUrl.origin));
    if (resource !== mcpUrl.href)
      return fail(
        `resource is ${resource}, clients connect to ${mcpUrl.href}`,
        `Give clients ${resource}: strict clients (MCP SDK v2) require the resource to be exactly the URL they connect to.`,
      );
    const scopes = metadata.body.scopes_supported;
    if (Array.isArray(scopes) && scopes.includes('offline_access'))
      return warn(
        'scopes_supported lists offline_access',
        'offline_access belongs in the authorization server metadata only (SEP-2207).',
      );
    return pass(resource);
  },
};

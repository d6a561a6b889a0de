import { fail, pass, warn, type DoctorCheck } from '../doctor-context';
import { isJsonObject } from '../http-probe';
import { parseChallenge } from '../www-authenticate';

export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'mcp-auth-gateway-doctor', version: '1.0.0' },
  },
});

export const MCP_REQUEST_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/**
 * An MCP request without a token must get 401 with `WWW-Authenticate: Bearer resource_metadata="<absolute URL>"`
 * (RFC 6750 §3, RFC 9728 §5.1, MCP authorization "Authorization Server Location"): that is how a client finds
 * the authorization server.
 */
export const challengeCheck: DoctorCheck = {
  id: 'challenge',
  title: '401 challenge',
  async run({ mcpUrl, http, found }) {
    let response;
    try {
      response = await http.request(mcpUrl.href, {
        method: 'POST',
        headers: MCP_REQUEST_HEADERS,
        body: INITIALIZE,
      });
    } catch (error) {
      return fail(
        `${mcpUrl.href} cannot be reached (${(error as Error).message})`,
        'Check the URL, and that the gateway runs and listens where it points (GATEWAY_HOST, GATEWAY_PORT).',
      );
    }
    const header = response.headers.get('www-authenticate');
    const params = header ? (parseChallenge(header)?.params ?? {}) : {};
    found.challenge = { status: response.status, header, params };
    if (response.status === 404)
      return fail(
        `POST ${mcpUrl.pathname} answered 404`,
        `The MCP endpoint is ${mcpUrl.origin}/mcp: give clients that URL.`,
      );
    if (response.status >= 200 && response.status < 300)
      return fail(
        'the MCP endpoint answered without a token',
        'Route /mcp through the gateway to apps/mcp, which requires a bearer token; a server that answers without one is not protected.',
      );
    const said = isJsonObject(response.json)
      ? (response.json.error_description ?? response.json.error)
      : undefined;
    if (response.status !== 401)
      return fail(
        `an unauthenticated request got HTTP ${response.status}, not 401${said ? ` (${JSON.stringify(said)})` : ''}`,
        "Clients start OAuth only on a 401: check MCP_ALLOWED_HOSTS (the Host clients use must be PUBLIC_URL's or an alias) and that nothing in front of the gateway rewrites the status.",
      );
    if (!header)
      return fail(
        '401 without a WWW-Authenticate header',
        'A proxy in front of the gateway drops WWW-Authenticate: pass it through unchanged.',
      );
    if (!/^bearer\b/i.test(header))
      return fail(
        `the challenge is "${header}", not Bearer`,
        "Pass the gateway's WWW-Authenticate header through unchanged.",
      );
    const metadataUrl = params.resource_metadata;
    if (!metadataUrl || !URL.canParse(metadataUrl))
      return fail(
        'the Bearer challenge has no absolute resource_metadata URL',
        "Pass the gateway's WWW-Authenticate header through unchanged: clients discover the authorization server from resource_metadata.",
      );
    if (params.scope?.split(/\s+/).includes('offline_access'))
      return warn(
        'the challenge asks for offline_access',
        'offline_access belongs to the authorization server only (SEP-2207): leave it out of WWW-Authenticate scopes.',
      );
    return pass(`401, Bearer resource_metadata="${metadataUrl}"`);
  },
};

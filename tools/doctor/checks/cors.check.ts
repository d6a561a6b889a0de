import { fail, pass, skip, type DoctorCheck } from '../doctor-context';
import { INITIALIZE, MCP_REQUEST_HEADERS } from './challenge.check';

const REQUESTED_HEADERS = ['authorization', 'content-type', 'mcp-protocol-version'];
const EXPOSED_HEADERS = ['www-authenticate', 'mcp-session-id'];

const listOf = (value: string | null) => (value ?? '').split(',').map((item) => item.trim().toLowerCase());

/**
 * What a browser-based client (the MCP Inspector, a web app) needs: a preflight that allows its headers, and
 * responses whose WWW-Authenticate and Mcp-Session-Id it may read, on /mcp and on the discovery documents.
 */
export const corsCheck: DoctorCheck = {
  id: 'cors',
  title: 'CORS',
  async run({ mcpUrl, http, browserOrigin, found }) {
    if (found.challenge && found.challenge.status !== 401)
      return skip('the MCP endpoint refuses requests without an Origin already (see the 401 challenge)');
    const listFix = `Add ${browserOrigin} to GATEWAY_CORS_ORIGINS and MCP_ALLOWED_ORIGINS (browser clients call /mcp from that origin).`;
    const allows = (value: string | null) => value === '*' || value === browserOrigin;
    const preflight = await http.request(mcpUrl.href, {
      method: 'OPTIONS',
      headers: {
        origin: browserOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': REQUESTED_HEADERS.join(','),
      },
    });
    if (!allows(preflight.headers.get('access-control-allow-origin')))
      return fail(`the preflight from ${browserOrigin} is not allowed`, listFix);
    const allowed = listOf(preflight.headers.get('access-control-allow-headers'));
    const missing = REQUESTED_HEADERS.filter((name) => !allowed.includes(name) && !allowed.includes('*'));
    if (missing.length > 0)
      return fail(
        `the preflight does not allow ${missing.join(', ')}`,
        'A proxy in front of the gateway answers preflights itself: let the gateway answer OPTIONS.',
      );
    const actual = await http.request(mcpUrl.href, {
      method: 'POST',
      headers: { ...MCP_REQUEST_HEADERS, origin: browserOrigin },
      body: INITIALIZE,
    });
    if (actual.status === 403) return fail(`/mcp refuses requests from ${browserOrigin} (403)`, listFix);
    if (!allows(actual.headers.get('access-control-allow-origin')))
      return fail(`the 401 from /mcp carries no Access-Control-Allow-Origin for ${browserOrigin}`, listFix);
    const exposed = listOf(actual.headers.get('access-control-expose-headers'));
    const hidden = EXPOSED_HEADERS.filter((name) => !exposed.includes(name));
    if (hidden.length > 0)
      return fail(
        `a browser cannot read ${hidden.join(', ')}`,
        "A proxy in front of the gateway replaces Access-Control-Expose-Headers: let the gateway's CORS headers through.",
      );
    for (const url of [found.resourceMetadata?.url, found.authorizationServer?.metadataUrl]) {
      if (!url) continue;
      const response = await http.tryGet(url, { origin: browserOrigin });
      if (!allows(response.headers.get('access-control-allow-origin')))
        return fail(`${url} carries no Access-Control-Allow-Origin for ${browserOrigin}`, listFix);
    }
    return pass(
      `${browserOrigin}: preflight, WWW-Authenticate and Mcp-Session-Id readable, discovery documents allowed`,
    );
  },
};

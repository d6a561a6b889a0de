import { fail, pass, skip, type DoctorCheck } from '../doctor-context';
import { isJsonObject } from '../http-probe';

/** Where clients look for an issuer's metadata, in the MCP SDK's order (RFC 8414 §3.1, OIDC Discovery §4). */
export function metadataUrlsFor(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  if (!path)
    return [
      `${url.origin}/.well-known/oauth-authorization-server`,
      `${url.origin}/.well-known/openid-configuration`,
    ];
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

/** The authorization server's metadata is found, and its issuer is byte for byte the URL the resource names. */
export const authorizationServerCheck: DoctorCheck = {
  id: 'issuer',
  title: 'Issuer byte-identical',
  async run({ mcpUrl, http, found }) {
    const servers = found.resourceMetadata?.body.authorization_servers;
    if (!Array.isArray(servers) || typeof servers[0] !== 'string')
      return skip('no authorization server named');
    const issuer = servers[0];
    if (!URL.canParse(issuer))
      return fail(`authorization_servers[0] is "${issuer}"`, 'PUBLIC_URL must be an absolute http(s) URL.');
    for (const url of metadataUrlsFor(issuer)) {
      const response = await http.tryGet(url);
      if (response.status !== 200 || !isJsonObject(response.json)) continue;
      found.authorizationServer = { url: issuer, metadataUrl: url, metadata: response.json };
      const advertised = response.json.issuer;
      if (advertised !== issuer)
        return fail(
          `issuer is ${JSON.stringify(advertised)} but the resource names ${JSON.stringify(issuer)}`,
          'Both must be the same string, byte for byte (RFC 8414 §3.3); PUBLIC_URL decides both, so a proxy rewriting one of them (a trailing slash, another host) breaks strict clients.',
        );
      return pass(`${issuer} (metadata at ${url})`);
    }
    const elsewhere = new URL(issuer).origin !== mcpUrl.origin;
    return fail(
      `no metadata at ${metadataUrlsFor(issuer).join(' or ')}`,
      elsewhere
        ? `The resource names ${issuer} as its authorization server, which does not answer from here: PUBLIC_URL must be the origin clients reach.`
        : 'Route /.well-known/oauth-authorization-server to apps/authz (the gateway does); a proxy in front of it must forward it.',
    );
  },
};

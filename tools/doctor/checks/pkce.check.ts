import { fail, pass, skip, type DoctorCheck } from '../doctor-context';

/** MCP authorization: clients refuse a server that does not advertise PKCE with S256. */
export const pkceCheck: DoctorCheck = {
  id: 'pkce',
  title: 'PKCE S256',
  async run({ found }) {
    const metadata = found.authorizationServer?.metadata;
    if (!metadata) return skip('no authorization server metadata');
    const methods = metadata.code_challenge_methods_supported;
    if (Array.isArray(methods) && methods.includes('S256')) return pass('S256');
    return fail(
      `code_challenge_methods_supported is ${JSON.stringify(methods)}`,
      'apps/authz always advertises S256: another server (or a proxy rewriting the document) answers /.well-known/oauth-authorization-server.',
    );
  },
};

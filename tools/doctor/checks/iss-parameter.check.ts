import { fail, pass, skip, type DoctorCheck } from '../doctor-context';

/** RFC 9207 (SEP-2468): strict clients check `iss` in the authorization response when the server says it sends it. */
export const issParameterCheck: DoctorCheck = {
  id: 'iss',
  title: 'iss parameter',
  async run({ found }) {
    const metadata = found.authorizationServer?.metadata;
    if (!metadata) return skip('no authorization server metadata');
    if (metadata.authorization_response_iss_parameter_supported === true)
      return pass('authorization_response_iss_parameter_supported: true');
    return fail(
      'authorization_response_iss_parameter_supported is not true',
      'apps/authz advertises it and sends iss on every redirect: another server (or a proxy rewriting the document) answers /.well-known/oauth-authorization-server.',
    );
  },
};

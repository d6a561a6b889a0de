import { fail, pass, skip, warn, type DoctorCheck } from '../doctor-context';

/**
 * How a client with no prior relationship gets a client_id: a Client ID Metadata Document (Claude Code, VS Code,
 * Codex, ChatGPT; preferred by MCP 2026-07-28) or dynamic registration (older clients).
 */
export const clientRegistrationCheck: DoctorCheck = {
  id: 'registration',
  title: 'CIMD and DCR',
  async run({ found }) {
    const metadata = found.authorizationServer?.metadata;
    if (!metadata) return skip('no authorization server metadata');
    const methods = Array.isArray(metadata.token_endpoint_auth_methods_supported)
      ? (metadata.token_endpoint_auth_methods_supported as string[])
      : [];
    const dcr = typeof metadata.registration_endpoint === 'string';
    if (metadata.client_id_metadata_document_supported !== true)
      return fail(
        'client_id_metadata_document_supported is not true',
        'Set AUTHZ_CIMD_ENABLED=true: Claude Code, VS Code, Codex and ChatGPT identify themselves with metadata documents.',
      );
    if (!methods.includes('private_key_jwt'))
      return warn(
        'the token endpoint does not list private_key_jwt',
        "ChatGPT's metadata document uses private_key_jwt: keep AUTHZ_CIMD_ENABLED=true so it is accepted.",
      );
    if (!dcr)
      return warn(
        'no registration_endpoint: older clients cannot register',
        'Route /register to apps/authz; dynamic registration is the fallback for clients without metadata documents.',
      );
    return pass(`metadata documents, and dynamic registration at ${String(metadata.registration_endpoint)}`);
  },
};

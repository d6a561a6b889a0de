import { fail, pass, skip, type DoctorCheck } from '../doctor-context';
import { isJsonObject } from '../http-probe';

/** The signing keys are published where the metadata says, so resource servers can verify tokens. */
export const jwksCheck: DoctorCheck = {
  id: 'jwks',
  title: 'JWKS',
  async run({ http, found }) {
    const metadata = found.authorizationServer?.metadata;
    if (!metadata) return skip('no authorization server metadata');
    const jwksUri = metadata.jwks_uri;
    if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri))
      return fail('the metadata has no jwks_uri', 'Route /.well-known/jwks.json to apps/authz.');
    const response = await http.tryGet(jwksUri);
    const keys = isJsonObject(response.json) ? response.json.keys : undefined;
    if (response.status !== 200 || !Array.isArray(keys))
      return fail(
        `${jwksUri} answered ${response.status || response.text}`,
        'Route /.well-known/jwks.json to apps/authz, and check that authz can read its keys in AUTHZ_DATA_DIR.',
      );
    if (keys.length === 0 || !keys.every((key) => isJsonObject(key) && typeof key.kid === 'string'))
      return fail(
        `${jwksUri} has no usable keys`,
        'Start authz once with a writable AUTHZ_DATA_DIR (it creates a key), or set AUTHZ_SIGNING_KEY_PEM.',
      );
    return pass(`${keys.length} key(s) at ${jwksUri}`);
  },
};

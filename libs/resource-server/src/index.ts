export { ResourceServerModule } from './resource-server.module';
export type { ResourceServerModuleOptions } from './resource-server.module';
export { ResourceServerAuthenticator } from './resource-server.authenticator';
export type { ExpectedToken } from './access-token.verifier';
export type { VerifiedAccessToken } from './verified-access-token';
export type { TokenRefusal } from './token-refusal';
export { readBearerToken } from './bearer-token.reader';
export { RevocationFeed } from './revocation-feed';
export { RESOURCE_SERVER_DEFAULTS, RETRY_AFTER_SECONDS } from './resource-server.options';
export type { ResourceServerOptions } from './resource-server.options';
export {
  GRANT_STATUS_PATH_PREFIX,
  isGrantId,
  parseRevocationEvent,
  REVOCATION_CHANNEL,
  REVOCATION_STREAM_PATH,
} from './revocation-event';
export type { GrantState, RevocationEvent } from './revocation-event';

export type {
  AuthorizationCodeRecord,
  ClientRecord,
  ConsentRecord,
  ConsumeResult,
  FederatedIdentity,
  FederatedSignIn,
  GrantRecord,
  InteractionRecord,
  IssuedAccessToken,
  RefreshTokenRecord,
  TokenEndpointAuthMethod,
  UpstreamLoginRecord,
  UpstreamTokenRecord,
} from './records';
export {
  AuthorizationCodeRepository,
  ClientRepository,
  ConsentRepository,
  GrantRepository,
  InteractionRepository,
  RefreshTokenRepository,
  RevokedTokenRepository,
  UpstreamLoginRepository,
  UpstreamTokenRepository,
} from './repositories';
export {
  MemoryAuthorizationCodeRepository,
  MemoryClientRepository,
  MemoryConsentRepository,
  MemoryGrantRepository,
  MemoryInteractionRepository,
  MemoryRefreshTokenRepository,
  MemoryRevokedTokenRepository,
  MemoryUpstreamLoginRepository,
  MemoryUpstreamTokenRepository,
} from './memory/memory-repositories';
export { TtlMap } from './memory/ttl-map';
export { OAuthStoreModule } from './oauth-store.module';

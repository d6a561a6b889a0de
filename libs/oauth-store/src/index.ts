export type {
  AuthorizationCodeRecord,
  ClientRecord,
  ConsentRecord,
  ConsumeResult,
  GrantRecord,
  InteractionRecord,
  IssuedAccessToken,
  PublicJwks,
  RefreshTokenRecord,
  TokenEndpointAuthMethod,
} from './records';
export {
  AuthorizationCodeRepository,
  ClientRepository,
  ConsentRepository,
  GrantRepository,
  InteractionRepository,
  RefreshTokenRepository,
  RevokedTokenRepository,
} from './repositories';
export {
  MemoryAuthorizationCodeRepository,
  MemoryClientRepository,
  MemoryConsentRepository,
  MemoryGrantRepository,
  MemoryInteractionRepository,
  MemoryRefreshTokenRepository,
  MemoryRevokedTokenRepository,
} from './memory/memory-repositories';
export { TtlMap } from './memory/ttl-map';
export { OAuthStoreModule } from './oauth-store.module';

export type {
  AuthorizationCodeRecord,
  ClientRecord,
  ConsentRecord,
  ConsumeResult,
  FederatedIdentity,
  FederatedSignIn,
  GrantRecord,
  InteractionRecord,
  PublicJwks,
  RefreshTokenRecord,
  RotationRequest,
  RotationResult,
  StoredClientRecord,
  TokenEndpointAuthMethod,
  UpstreamLoginRecord,
  UpstreamTokenRecord,
} from './records';
export * from './repositories';
export { OAuthStoreModule, RATE_LIMIT_STORAGE } from './oauth-store.module';
export { RateLimitStorageModule } from './rate-limit-storage.module';
export type { RateLimitStorageOptions } from './rate-limit-storage.module';
export { closeRedis } from './redis/close-redis';
export { SharedCache } from './shared-cache';
export type { OAuthStoreOptions } from './store-options';

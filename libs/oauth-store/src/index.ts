export type {
  AuthorizationCodeRecord,
  ClientRecord,
  ConsentRecord,
  ConsumeResult,
  GrantRecord,
  InteractionRecord,
  RefreshTokenRecord,
  RotationRequest,
  RotationResult,
  StoredClientRecord,
  TokenEndpointAuthMethod,
} from './records';
export * from './repositories';
export { OAuthStoreModule, RATE_LIMIT_STORAGE } from './oauth-store.module';
export type { OAuthStoreOptions } from './store-options';

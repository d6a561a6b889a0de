export type {
  AuthorizationCodeRecord,
  ClientRecord,
  ConsentRecord,
  ConsumeResult,
  FederatedIdentity,
  FederatedSignIn,
  GrantRecord,
  InteractionRecord,
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
export type { OAuthStoreOptions } from './store-options';

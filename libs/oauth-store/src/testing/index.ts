export { describeClientRepositoryContract, describeConsentRepositoryContract } from './client.contracts';
export { describeGrantRepositoryContract, describeRevokedTokenRepositoryContract } from './grant.contracts';
export { describeRefreshTokenRepositoryContract } from './refresh-token.contracts';
export {
  describeAuthorizationCodeRepositoryContract,
  describeInteractionRepositoryContract,
} from './single-use.contracts';
export { describeRepositoryContracts, type BackendFactory } from './all.contracts';
export type { RepositoryFactory } from './contract-helpers';
export { startRedisServer, type RedisServerHandle, type RedisServerOptions } from './redis-server';

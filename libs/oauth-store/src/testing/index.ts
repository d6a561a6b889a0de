export { describeClientRepositoryContract, describeConsentRepositoryContract } from './client.contracts';
export { describeGrantRepositoryContract, describeRevokedTokenRepositoryContract } from './grant.contracts';
export {
  describeAuthorizationCodeRepositoryContract,
  describeInteractionRepositoryContract,
  describeRefreshTokenRepositoryContract,
} from './single-use.contracts';
export {
  describeUpstreamLoginRepositoryContract,
  describeUpstreamTokenRepositoryContract,
} from './upstream.contracts';
export type { RepositoryFactory } from './contract-helpers';

import { REPOSITORIES, type RepositoryImplementations } from '../repositories';
import type { StoreLimits } from '../store-options';
import { describeClientRepositoryContract, describeConsentRepositoryContract } from './client.contracts';
import type { RepositoryFactory } from './contract-helpers';
import { describeGrantRepositoryContract } from './grant.contracts';
import { describeRefreshTokenRepositoryContract } from './refresh-token.contracts';
import {
  describeAuthorizationCodeRepositoryContract,
  describeInteractionRepositoryContract,
} from './single-use.contracts';
import {
  describeUpstreamLoginRepositoryContract,
  describeUpstreamTokenRepositoryContract,
} from './upstream.contracts';

type RepositoryName = keyof typeof REPOSITORIES;
type RepositoryOf<K extends RepositoryName> = InstanceType<RepositoryImplementations[K]>;

/** Builds one repository of a backend, isolated from every other one it builds (own file, own key prefix). */
export type BackendFactory = <K extends RepositoryName>(
  name: K,
  limits: StoreLimits,
) => Promise<{ repository: RepositoryOf<K>; dispose?: () => Promise<void> | void }>;

/** Every repository contract against one backend: the same tests for memory, SQLite and Redis. */
export function describeRepositoryContracts(backend: string, create: BackendFactory): void {
  const factory =
    <K extends RepositoryName>(name: K): RepositoryFactory<RepositoryOf<K>> =>
    (limits) =>
      create(name, limits);
  describeClientRepositoryContract(backend, factory('clients'));
  describeConsentRepositoryContract(backend, factory('consents'));
  describeAuthorizationCodeRepositoryContract(backend, factory('codes'));
  describeGrantRepositoryContract(backend, factory('grants'));
  describeRefreshTokenRepositoryContract(backend, factory('refreshTokens'));
  describeInteractionRepositoryContract(backend, factory('interactions'));
  describeUpstreamLoginRepositoryContract(backend, factory('upstreamLogins'));
  describeUpstreamTokenRepositoryContract(backend, factory('upstreamTokens'));
}

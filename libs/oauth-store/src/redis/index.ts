import type { RepositoryImplementations } from '../repositories';
import { RedisClientRepository, RedisConsentRepository } from './redis-clients.repository';
import { RedisGrantRepository } from './redis-grants.repository';
import {
  RedisAuthorizationCodeRepository,
  RedisInteractionRepository,
  RedisRefreshTokenRepository,
} from './redis-single-use.repositories';
import { RedisUpstreamLoginRepository, RedisUpstreamTokenRepository } from './redis-upstream.repositories';

/** Shared state for several authz instances (STORE_URL=redis://...). */
export const REDIS_REPOSITORIES: RepositoryImplementations = {
  clients: RedisClientRepository,
  codes: RedisAuthorizationCodeRepository,
  grants: RedisGrantRepository,
  refreshTokens: RedisRefreshTokenRepository,
  consents: RedisConsentRepository,
  interactions: RedisInteractionRepository,
  upstreamLogins: RedisUpstreamLoginRepository,
  upstreamTokens: RedisUpstreamTokenRepository,
};

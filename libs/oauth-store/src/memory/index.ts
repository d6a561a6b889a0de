import type { RepositoryImplementations } from '../repositories';
import { MemoryClientRepository, MemoryConsentRepository } from './memory-clients.repository';
import { MemoryGrantRepository } from './memory-grants.repository';
import {
  MemoryAuthorizationCodeRepository,
  MemoryInteractionRepository,
  MemoryRefreshTokenRepository,
} from './memory-single-use.repositories';
import { MemoryUpstreamLoginRepository, MemoryUpstreamTokenRepository } from './memory-upstream.repositories';

/** In-process state: lost on restart, for tests and explicit choice (AUTHZ_STORE=memory). */
export const MEMORY_REPOSITORIES: RepositoryImplementations = {
  clients: MemoryClientRepository,
  codes: MemoryAuthorizationCodeRepository,
  grants: MemoryGrantRepository,
  refreshTokens: MemoryRefreshTokenRepository,
  consents: MemoryConsentRepository,
  interactions: MemoryInteractionRepository,
  upstreamLogins: MemoryUpstreamLoginRepository,
  upstreamTokens: MemoryUpstreamTokenRepository,
};

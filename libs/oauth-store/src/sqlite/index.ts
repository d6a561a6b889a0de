import type { RepositoryImplementations } from '../repositories';
import { SqliteClientRepository, SqliteConsentRepository } from './sqlite-clients.repository';
import { SqliteGrantRepository } from './sqlite-grants.repository';
import {
  SqliteAuthorizationCodeRepository,
  SqliteInteractionRepository,
  SqliteRefreshTokenRepository,
} from './sqlite-single-use.repositories';
import { SqliteUpstreamLoginRepository, SqliteUpstreamTokenRepository } from './sqlite-upstream.repositories';

/** One file on the machine (the default store): state survives restarts of a single instance. */
export const SQLITE_REPOSITORIES: RepositoryImplementations = {
  clients: SqliteClientRepository,
  codes: SqliteAuthorizationCodeRepository,
  grants: SqliteGrantRepository,
  refreshTokens: SqliteRefreshTokenRepository,
  consents: SqliteConsentRepository,
  interactions: SqliteInteractionRepository,
  upstreamLogins: SqliteUpstreamLoginRepository,
  upstreamTokens: SqliteUpstreamTokenRepository,
};

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InvalidGrantError } from '@app/oauth-errors';
import { UpstreamTokenRepository, type FederatedSignIn, type GrantRecord } from '@app/oauth-store';
import { authzConfig } from '../config/authz.config';
import { TokenRevocationService } from '../revocation/token-revocation.service';
import { TokenCipher } from '../common/token-cipher';
import { UpstreamClients } from './upstream-clients.service';
import { UpstreamUnavailableError } from './upstream-errors';

/**
 * Provider refresh tokens, kept only with AUTHZ_OIDC_KEEP_REFRESH_TOKENS (encrypted, bound to the subject).
 * Each refresh of one of our grants first refreshes at the provider, so an account the provider has disabled or
 * signed out stops getting tokens here too. A provider that is merely unreachable does not cost the user the
 * grant: the kept token is tried again next time.
 */
@Injectable()
export class UpstreamRefreshService {
  private readonly logger = new Logger(UpstreamRefreshService.name);
  private readonly cipher?: TokenCipher;

  constructor(
    private readonly tokens: UpstreamTokenRepository,
    private readonly upstream: UpstreamClients,
    private readonly revocation: TokenRevocationService,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {
    const key = config.federation.tokenKey;
    if (config.federation.keepRefreshTokens && key) this.cipher = new TokenCipher(key);
  }

  /** Stores the provider's refresh token of a new grant (still sealed as the sign-in left it). */
  async keep(grantId: string, federated: FederatedSignIn | undefined): Promise<void> {
    if (!this.cipher || !federated?.upstreamRefreshToken) return;
    await this.tokens.save({
      grantId,
      provider: federated.identity.provider,
      refreshToken: federated.upstreamRefreshToken,
      expiresAt: Date.now() + this.config.ttl.refreshToken * 1000,
    });
  }

  /** Refreshes the grant's provider token; revokes the grant and throws invalid_grant when the provider refuses. */
  async refresh(grant: GrantRecord): Promise<void> {
    if (!this.cipher || !grant.identity) return;
    const kept = await this.tokens.find(grant.grantId);
    const provider = kept && this.upstream.find(kept.provider);
    if (!kept || !provider) return;
    const refreshToken = this.cipher.decrypt(kept.refreshToken, grant.subject);
    if (refreshToken === undefined)
      return this.refused(grant, 'The sign-in behind this grant cannot be renewed.');
    let next: string;
    try {
      next = await this.upstream.refresh(provider, refreshToken);
    } catch (error) {
      if (error instanceof UpstreamUnavailableError) {
        this.logger.warn(`provider "${provider.id}" unreachable while refreshing; kept token retried later`);
        return;
      }
      this.logger.warn(`provider "${provider.id}" refused the refresh of ${grant.subject}: ${String(error)}`);
      return this.refused(grant, `${provider.name} no longer accepts this sign-in; sign in again.`);
    }
    await this.tokens.save({
      ...kept,
      refreshToken: this.cipher.encrypt(next, grant.subject),
      expiresAt: Date.now() + this.config.ttl.refreshToken * 1000,
    });
  }

  private async refused(grant: GrantRecord, description: string): Promise<never> {
    await this.revocation.revokeGrant(grant.grantId);
    throw new InvalidGrantError(description);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InvalidGrantError } from '@app/oauth-errors';
import { GrantRepository, RefreshTokenRepository, type GrantRecord } from '@app/oauth-store';
import { formatScope } from '@app/scopes';
import { randomToken, sha256 } from '../common/random';
import { authzConfig } from '../config/authz.config';
import { TokenRevocationService } from '../revocation/token-revocation.service';
import { AccessTokenIssuer } from '../keys/access-token.issuer';
import type { TokenResponseDto } from './dto/token-response.dto';

export interface GrantTokenRequest {
  grant: GrantRecord;
  issuer: string;
  /** Scopes of this access token (may be narrower than the grant's). */
  scopes: string[];
  /** Scopes the new refresh token carries: RFC 6749 §6 keeps them identical to the one presented. */
  refreshScopes: string[];
  withRefreshToken: boolean;
}

/** Issues the token pair of a grant; the access token names the grant, so revoking the grant revokes it. */
@Injectable()
export class GrantTokensService {
  constructor(
    private readonly issuer: AccessTokenIssuer,
    private readonly grants: GrantRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly revocation: TokenRevocationService,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  async issue(request: GrantTokenRequest): Promise<TokenResponseDto> {
    const { grant } = request;
    const token = await this.issuer.issue({
      issuer: request.issuer,
      subject: grant.subject,
      clientId: grant.clientId,
      scopes: request.scopes,
      resource: grant.resource,
      grantId: grant.grantId,
    });
    // Resource servers accept the token only while its grant is known: the grant outlives it.
    await this.grants.extend(grant.grantId, token.expiresAt);
    const response: TokenResponseDto = {
      access_token: token.accessToken,
      token_type: 'Bearer',
      expires_in: token.expiresIn,
      scope: formatScope(request.scopes),
      key_id: token.kid,
      algorithm: token.alg,
    };
    if (request.withRefreshToken) {
      const refreshToken = randomToken();
      const now = Date.now();
      const expiresAt = now + this.config.ttl.refreshToken * 1000;
      await this.refreshTokens.save({
        id: sha256(refreshToken),
        grantId: grant.grantId,
        clientId: grant.clientId,
        scopes: request.refreshScopes,
        resource: grant.resource,
        issuedAt: now,
        expiresAt,
      });
      await this.grants.extend(grant.grantId, expiresAt);
      response.refresh_token = refreshToken;
    }
    // A concurrent replay may have revoked the grant while we were signing: never hand out a live token then.
    const current = await this.grants.find(grant.grantId);
    if (!current || current.revokedAt !== undefined) {
      await this.revocation.revokeGrant(grant.grantId);
      throw new InvalidGrantError('The grant has been revoked.');
    }
    return response;
  }
}

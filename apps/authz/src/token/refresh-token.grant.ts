import { Injectable } from '@nestjs/common';
import {
  UnauthorizedClientError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
} from '@app/oauth-errors';
import { GrantRepository, RefreshTokenRepository, type ClientRecord } from '@app/oauth-store';
import { parseScope } from '@app/scopes';
import { sha256 } from '../common/random';
import { UpstreamRefreshService } from '../federation/upstream-refresh.service';
import { TokenRevocationService } from '../revocation/token-revocation.service';
import type { TokenRequestDto } from './dto/token-request.dto';
import type { TokenResponseDto } from './dto/token-response.dto';
import { GrantTokensService } from './grant-tokens.service';

/** grant_type=refresh_token (RFC 6749 §6) with rotation and reuse detection (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2). */
@Injectable()
export class RefreshTokenGrant {
  constructor(
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly grants: GrantRepository,
    private readonly tokens: GrantTokensService,
    private readonly revocation: TokenRevocationService,
    private readonly upstream: UpstreamRefreshService,
  ) {}

  async exchange(client: ClientRecord, body: TokenRequestDto, issuer: string): Promise<TokenResponseDto> {
    if (!client.grantTypes.includes('refresh_token')) {
      throw new UnauthorizedClientError('This client is not allowed to use the refresh_token grant.');
    }
    if (!body.refresh_token) throw new InvalidRequestError('Missing parameter: refresh_token');
    const id = sha256(body.refresh_token);
    const presented = await this.refreshTokens.find(id);
    if (!presented) throw new InvalidGrantError('The refresh token is invalid or expired.');
    if (presented.clientId !== client.clientId) {
      throw new InvalidGrantError('The refresh token was issued to another client.');
    }
    if (presented.consumedAt !== undefined) return this.reused(presented.grantId);
    // Checked before the token is spent, so a bad request does not cost the client its refresh token.
    const asked = parseScope(body.scope);
    const requested = asked.length === 0 ? presented.scopes : asked;
    // RFC 6749 §6: the scope may narrow but must not include anything not originally granted.
    if (requested.some((scope) => !presented.scopes.includes(scope))) {
      throw new InvalidScopeError('The requested scope exceeds the scope originally granted.');
    }
    if (body.resource !== undefined && body.resource !== presented.resource) {
      throw new InvalidTargetError('resource differs from the one authorized.');
    }
    const result = await this.refreshTokens.consume(id);
    if (result.outcome === 'not_found')
      throw new InvalidGrantError('The refresh token is invalid or expired.');
    if (result.outcome === 'already_consumed') return this.reused(presented.grantId);
    const grant = await this.grants.find(presented.grantId);
    if (!grant || grant.revokedAt !== undefined) throw new InvalidGrantError('The grant has been revoked.');
    await this.upstream.refresh(grant);
    return this.tokens.issue({
      grant,
      issuer,
      scopes: requested,
      refreshScopes: presented.scopes,
      withRefreshToken: true,
    });
  }

  /** A rotated token used again means it leaked: revoke the whole grant, attacker and victim alike. */
  private async reused(grantId: string): Promise<never> {
    await this.revocation.revokeGrant(grantId);
    throw new InvalidGrantError('The refresh token has already been used; the grant is revoked.');
  }
}

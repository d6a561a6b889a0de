import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  UnauthorizedClientError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
} from '@app/oauth-errors';
import { AuditTrail } from '@app/observability';
import { GrantRepository, RefreshTokenRepository, type ClientRecord } from '@app/oauth-store';
import { parseScope } from '@app/scopes';
import { mayUseRefreshTokens } from '../common/grantable-scopes';
import { sha256 } from '../common/random';
import { authzConfig } from '../config/authz.config';
import { UpstreamRefreshService } from '../federation/upstream-refresh.service';
import { TokenRevocationService } from '../revocation/token-revocation.service';
import type { TokenRequestDto } from './dto/token-request.dto';
import type { TokenResponseDto } from './dto/token-response.dto';
import { GrantTokensService } from './grant-tokens.service';

/**
 * grant_type=refresh_token (RFC 6749 §6) with rotation and reuse detection (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2).
 * A spent token stays usable for AUTHZ_REFRESH_REUSE_GRACE_SECONDS, until a token issued from it is used, so
 * clients that race or retry get a working pair for the same grant; any other reuse revokes the grant. The store
 * decides atomically (RefreshTokenRepository.rotate), so concurrent refreshes converge in every backend.
 */
@Injectable()
export class RefreshTokenGrant {
  constructor(
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly grants: GrantRepository,
    private readonly tokens: GrantTokensService,
    private readonly revocation: TokenRevocationService,
    private readonly upstream: UpstreamRefreshService,
    private readonly audit: AuditTrail,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  async exchange(client: ClientRecord, body: TokenRequestDto, issuer: string): Promise<TokenResponseDto> {
    if (!body.refresh_token) throw new InvalidRequestError('Missing parameter: refresh_token');
    const id = sha256(body.refresh_token);
    const presented = await this.refreshTokens.find(id);
    if (!presented) throw new InvalidGrantError('The refresh token is invalid or expired.');
    if (presented.clientId !== client.clientId) {
      throw new InvalidGrantError('The refresh token was issued to another client.');
    }
    if (!mayUseRefreshTokens(client, presented.scopes)) {
      throw new UnauthorizedClientError('This client is not allowed to use the refresh_token grant.');
    }
    // A grant's tokens are minted under the issuer it was authorized at, whichever alias the refresh arrives
    // on (several instances, a restart on another port), so `iss` always agrees with the grant's `aud`.
    const resources = this.config.resources;
    const grantIssuer = resources.issuerOf(presented.resource) ?? issuer;
    // Checked before the token is spent, so a bad request does not cost the client its refresh token.
    const asked = parseScope(body.scope);
    const requested = asked.length === 0 ? presented.scopes : asked;
    // RFC 6749 §6: the scope may narrow but must not include anything not originally granted.
    if (requested.some((scope) => !presented.scopes.includes(scope))) {
      throw new InvalidScopeError('The requested scope exceeds the scope originally granted.');
    }
    if (
      body.resource !== undefined &&
      resources.find(body.resource, grantIssuer)?.url !== presented.resource
    ) {
      throw new InvalidTargetError('resource differs from the one authorized.');
    }
    const refreshToken = this.tokens.newRefreshToken(presented, presented.scopes, id);
    const result = await this.refreshTokens.rotate({
      presentedId: id,
      successor: refreshToken.record,
      now: Date.now(),
      graceMs: this.config.refreshReuseGraceMs,
    });
    if (result.outcome === 'not_found')
      throw new InvalidGrantError('The refresh token is invalid or expired.');
    if (result.outcome === 'reused') {
      // A leaked token: revoke the whole grant, attacker and victim alike (RFC 9700 §4.14.2).
      this.audit.record({
        type: 'token.reuse_detected',
        client_id: presented.clientId,
        grant_id: presented.grantId,
        credential: 'refresh_token',
      });
      await this.revocation.revokeGrant(presented.grantId);
      throw new InvalidGrantError('The refresh token has already been used; the grant is revoked.');
    }
    const grant = await this.grants.find(presented.grantId);
    if (!grant || grant.revokedAt !== undefined) throw new InvalidGrantError('The grant has been revoked.');
    // Once per rotation: a racing retry in the grace must not present the provider a token it already rotated.
    if (result.outcome === 'rotated') await this.upstream.refresh(grant);
    const response = await this.tokens.issue({
      grant,
      client,
      issuer: grantIssuer,
      scopes: requested,
      refreshToken,
    });
    this.audit.record({
      type: 'token.refreshed',
      sub: grant.subject,
      client_id: grant.clientId,
      grant_id: grant.grantId,
      scopes: requested,
    });
    return response;
  }
}

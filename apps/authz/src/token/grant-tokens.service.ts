import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InvalidGrantError } from '@app/oauth-errors';
import {
  GrantRepository,
  type ClientRecord,
  type GrantRecord,
  type RefreshTokenRecord,
} from '@app/oauth-store';
import { formatScope } from '@app/scopes';
import { ClientsService } from '../clients/clients.service';
import { randomToken, sha256 } from '../common/random';
import { authzConfig } from '../config/authz.config';
import { identityClaims } from '../federation/federated-identity';
import { TokenRevocationService } from '../revocation/token-revocation.service';
import { AccessTokenIssuer } from '../keys/access-token.issuer';
import type { TokenResponseDto } from './dto/token-response.dto';

/** A new refresh token: the value goes to the client once, the record (keyed by its hash) to the store. */
export interface NewRefreshToken {
  token: string;
  record: RefreshTokenRecord;
}

export interface GrantTokenRequest {
  grant: GrantRecord;
  /** The authenticated client, as read for this request (the grant's). */
  client: ClientRecord;
  issuer: string;
  /** Scopes of this access token (may be narrower than the grant's). */
  scopes: string[];
  /** The refresh token to hand out, already stored by the caller; none when the client may not refresh. */
  refreshToken?: NewRefreshToken;
}

/** Issues the token pair of a grant; the access token names the grant, so revoking the grant revokes it. */
@Injectable()
export class GrantTokensService {
  constructor(
    private readonly issuer: AccessTokenIssuer,
    private readonly grants: GrantRepository,
    private readonly clients: ClientsService,
    private readonly revocation: TokenRevocationService,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  /**
   * A refresh token of `grant` carrying `scopes` (RFC 6749 §6: a rotated token keeps the presented one's scopes);
   * `parentId` names the token it replaces, for the rotation rule.
   */
  newRefreshToken(
    grant: Pick<GrantRecord, 'grantId' | 'clientId' | 'resource'>,
    scopes: string[],
    parentId?: string,
  ): NewRefreshToken {
    const token = randomToken();
    const issuedAt = Date.now();
    return {
      token,
      record: {
        id: sha256(token),
        grantId: grant.grantId,
        clientId: grant.clientId,
        scopes,
        resource: grant.resource,
        issuedAt,
        expiresAt: issuedAt + this.config.ttl.refreshToken * 1000,
        ...(parentId === undefined ? {} : { parentId }),
      },
    };
  }

  async issue(request: GrantTokenRequest): Promise<TokenResponseDto> {
    const { grant, refreshToken } = request;
    const token = await this.issuer.issue({
      issuer: request.issuer,
      subject: grant.subject,
      clientId: grant.clientId,
      scopes: request.scopes,
      resource: grant.resource,
      grantId: grant.grantId,
      claims: identityClaims(grant.identity),
    });
    // Resource servers accept the token only while its grant is known: the grant outlives it and the refresh
    // token (one write for both).
    await this.grants.extend(grant.grantId, Math.max(token.expiresAt, refreshToken?.record.expiresAt ?? 0));
    const response: TokenResponseDto = {
      access_token: token.accessToken,
      token_type: 'Bearer',
      expires_in: token.expiresIn,
      scope: formatScope(request.scopes),
      key_id: token.kid,
      algorithm: token.alg,
    };
    if (refreshToken) response.refresh_token = refreshToken.token;
    // A concurrent replay may have revoked the grant while we were signing: never hand out a live token then.
    const current = await this.grants.find(grant.grantId);
    if (!current || current.revokedAt !== undefined) {
      await this.revocation.revokeGrant(grant.grantId);
      throw new InvalidGrantError('The grant has been revoked.');
    }
    await this.clients.markUsed(grant.clientId, request.client.lastUsedAt);
    return response;
  }
}

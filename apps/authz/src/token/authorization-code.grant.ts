import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  UnauthorizedClientError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidTargetError,
} from '@app/oauth-errors';
import {
  AuthorizationCodeRepository,
  GrantRepository,
  RefreshTokenRepository,
  type ClientRecord,
} from '@app/oauth-store';
import { AuditTrail } from '@app/observability';
import { isValidCodeVerifier, verifyCodeVerifier } from '@app/pkce';
import { mayUseRefreshTokens } from '../common/grantable-scopes';
import { sha256 } from '../common/random';
import { authzConfig } from '../config/authz.config';
import { TokenRevocationService } from '../revocation/token-revocation.service';
import type { TokenRequestDto } from './dto/token-request.dto';
import type { TokenResponseDto } from './dto/token-response.dto';
import { GrantTokensService } from './grant-tokens.service';

/** grant_type=authorization_code (OAuth 2.1 §4.1.3, RFC 7636 §4.6, RFC 8707 §2.2). */
@Injectable()
export class AuthorizationCodeGrant {
  constructor(
    private readonly codes: AuthorizationCodeRepository,
    private readonly grants: GrantRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly tokens: GrantTokensService,
    private readonly revocation: TokenRevocationService,
    private readonly audit: AuditTrail,
    @Inject(authzConfig.KEY) private readonly config: ConfigType<typeof authzConfig>,
  ) {}

  async exchange(client: ClientRecord, body: TokenRequestDto, issuer: string): Promise<TokenResponseDto> {
    if (!client.grantTypes.includes('authorization_code')) {
      throw new UnauthorizedClientError('This client is not allowed to use the authorization_code grant.');
    }
    if (!body.code) throw new InvalidRequestError('Missing parameter: code');
    if (body.code_verifier === undefined) throw new InvalidRequestError('Missing parameter: code_verifier');
    // RFC 7636 §4.1: a malformed verifier is a malformed request, refused before the code is spent.
    if (!isValidCodeVerifier(body.code_verifier)) {
      throw new InvalidRequestError('code_verifier must be 43-128 characters of [A-Za-z0-9-._~].');
    }
    const result = await this.codes.consume(sha256(body.code));
    if (result.outcome === 'not_found')
      throw new InvalidGrantError('The authorization code is invalid or expired.');
    const code = result.record;
    if (result.outcome === 'already_consumed') {
      // RFC 6749 §4.1.2: a code used twice revokes every token already issued from it.
      this.audit.record({
        type: 'token.reuse_detected',
        client_id: code.clientId,
        grant_id: code.grantId,
        credential: 'authorization_code',
      });
      await this.revocation.revokeGrant(code.grantId);
      throw new InvalidGrantError('The authorization code has already been used.');
    }
    if (code.expiresAt <= Date.now()) throw new InvalidGrantError('The authorization code has expired.');
    if (code.clientId !== client.clientId)
      throw new InvalidGrantError('The code was issued to another client.');
    // The code belongs to the issuer it was issued under (RFC 9207, RFC 8414 §3.3): redeemed on another alias,
    // it would yield a token whose `iss` and `aud` disagree.
    if (code.issuer !== issuer) {
      throw new InvalidGrantError(`The authorization code was issued by ${code.issuer}; redeem it there.`);
    }
    // A metadata-document client is held to the document the user consented to, whatever it says now; a client
    // that authenticated with a key then may not redeem its code as a public client now.
    const consented = code.clientSnapshot ?? client;
    if (consented.tokenEndpointAuthMethod !== client.tokenEndpointAuthMethod) {
      throw new InvalidGrantError(
        "The client's metadata document changed its authentication method since the user consented.",
      );
    }
    if (code.redirectUriProvided || body.redirect_uri !== undefined) {
      if (body.redirect_uri !== code.redirectUri) {
        throw new InvalidGrantError('redirect_uri does not match the authorization request.');
      }
    }
    if (!verifyCodeVerifier(body.code_verifier, code.codeChallenge, code.codeChallengeMethod)) {
      throw new InvalidGrantError('PKCE verification failed.');
    }
    const resources = this.config.resources;
    if (body.resource !== undefined && resources.find(body.resource, code.issuer)?.url !== code.resource) {
      throw new InvalidTargetError('resource differs from the one authorized.');
    }
    // Created with the code; revoked if the code was replayed meanwhile.
    const grant = await this.grants.find(code.grantId);
    if (!grant || grant.revokedAt !== undefined) {
      throw new InvalidGrantError('The authorization code has been revoked.');
    }
    const refreshToken = mayUseRefreshTokens(consented, code.scopes)
      ? this.tokens.newRefreshToken(grant, code.scopes)
      : undefined;
    if (refreshToken) await this.refreshTokens.save(refreshToken.record);
    const response = await this.tokens.issue({ grant, client, issuer, scopes: code.scopes, refreshToken });
    const who = { sub: grant.subject, client_id: grant.clientId, grant_id: grant.grantId };
    this.audit.record({ type: 'code.redeemed', ...who });
    this.audit.record({
      type: 'token.issued',
      ...who,
      grant_type: 'authorization_code',
      scopes: code.scopes,
    });
    return response;
  }
}

import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { InvalidClientError, InvalidRequestError, InvalidTokenError } from '@app/oauth-errors';
import type { ClientRecord } from '@app/oauth-store';
import { isGrantId } from '@app/resource-server';
import { ClientsService } from '../clients/clients.service';
import { AccessTokenIssuer } from '../keys/access-token.issuer';
import { TokenRevocationService } from './token-revocation.service';

const BEARER = /^bearer\s+(\S+)\s*$/i;

/**
 * Who calls /introspect or /revoke with `Authorization: Bearer <access token>`: the public client the token was
 * issued to. RFC 7662 §2.1 names "a separate OAuth 2.0 access token" as a way to authorize introspection, and
 * RFC 7009 §2.1 leaves revocation to "any suitable HTTP authentication scheme"; for a public client a live token
 * of its own proves more than the bare client_id it could send instead. A confidential client still has to use
 * its secret (ClientAuthenticator).
 */
@Injectable()
export class BearerCaller {
  constructor(
    private readonly accessTokens: AccessTokenIssuer,
    private readonly revocation: TokenRevocationService,
    private readonly clients: ClientsService,
  ) {}

  /** The caller's client; undefined without a Bearer header; 401 invalid_token (with its challenge) otherwise. */
  async clientOf(
    req: Request,
    body: { client_id?: string; client_secret?: string },
  ): Promise<ClientRecord | undefined> {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined) return undefined;
    if (body.client_secret !== undefined && body.client_secret !== '') {
      throw new InvalidRequestError('Use either a bearer token or client credentials, not both.');
    }
    const claims = await this.accessTokens.verify(token);
    const active =
      claims &&
      isGrantId(claims.grant_id) &&
      (await this.revocation.grantStatus(claims.grant_id)) === 'active';
    if (!claims || !active) throw new InvalidTokenError('The bearer token is not a live access token.');
    // An empty field is no field (Swagger UI sends the empty inputs of its form).
    if (body.client_id !== undefined && body.client_id !== '' && body.client_id !== claims.client_id) {
      throw new InvalidRequestError('client_id differs from the client of the bearer token.');
    }
    const client = await this.clients.find(claims.client_id);
    if (!client) throw new InvalidTokenError('The bearer token belongs to a client that no longer exists.');
    if (client.tokenEndpointAuthMethod !== 'none') {
      throw new InvalidClientError(`This client must authenticate with ${client.tokenEndpointAuthMethod}.`);
    }
    return client;
  }
}

import { Controller, Get, Header } from '@nestjs/common';
import type { JWK } from 'jose';
import { IDENTITY_JWKS_PATH } from '../routing/route-table';
import { IdentityAssertions } from './identity-assertion.service';

/**
 * The public key of the X-MCP-Identity assertions (RFC 7517 §5), for upstreams with `forward: headers` to verify
 * them with (jose's createRemoteJWKSet, or any JOSE library). Served only when such an upstream exists.
 */
@Controller()
export class IdentityJwksController {
  constructor(private readonly identities: IdentityAssertions) {}

  @Get(IDENTITY_JWKS_PATH)
  @Header('Cache-Control', 'public, max-age=300')
  @Header('Access-Control-Allow-Origin', '*')
  jwks(): { keys: JWK[] } {
    return this.identities.jwks;
  }
}

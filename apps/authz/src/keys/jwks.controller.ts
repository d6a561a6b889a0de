import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { JSONWebKeySet } from 'jose';
import { JwksResponseDto } from './jwks-response.dto';
import { SigningKeysService } from './signing-keys.service';

@ApiTags('discovery')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that verify access tokens (RFC 7517); kid selects the key' })
  @ApiOkResponse({ type: JwksResponseDto })
  jwks(): JSONWebKeySet {
    return this.keys.jwks;
  }
}

import { Module } from '@nestjs/common';
import { AccessTokenIssuer } from './access-token.issuer';
import { JwksController } from './jwks.controller';
import { SigningKeysService } from './signing-keys.service';

@Module({
  controllers: [JwksController],
  providers: [SigningKeysService, AccessTokenIssuer],
  exports: [SigningKeysService, AccessTokenIssuer],
})
export class KeysModule {}

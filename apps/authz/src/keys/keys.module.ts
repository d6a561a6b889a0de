import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AccessTokenIssuer } from './access-token.issuer';
import { JwksController } from './jwks.controller';
import { SigningKeysService } from './signing-keys.service';

@Module({
  // No module-wide secret: every token names the key that signs it (SigningKeysService's active key).
  imports: [JwtModule.register({})],
  controllers: [JwksController],
  providers: [SigningKeysService, AccessTokenIssuer],
  exports: [SigningKeysService, AccessTokenIssuer],
})
export class KeysModule {}

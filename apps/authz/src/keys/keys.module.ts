import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { authzConfig } from '../config/authz.config';
import { AccessTokenIssuer } from './access-token.issuer';
import { JwksController } from './jwks.controller';
import { signingKeyStoreFor } from './signing-key-store.factory';
import { SigningKeyStore } from './signing-key.store';
import { SigningKeysService } from './signing-keys.service';

@Module({
  // No module-wide secret: every token names the key that signs it (SigningKeysService's active key).
  imports: [JwtModule.register({})],
  controllers: [JwksController],
  providers: [
    { provide: SigningKeyStore, useFactory: signingKeyStoreFor, inject: [authzConfig.KEY] },
    SigningKeysService,
    AccessTokenIssuer,
  ],
  exports: [SigningKeysService, AccessTokenIssuer],
})
export class KeysModule {}

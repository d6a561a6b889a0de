import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { FederationModule } from '../federation/federation.module';
import { KeysModule } from '../keys/keys.module';
import { RevocationModule } from '../revocation/revocation.module';
import { AuthorizationCodeGrant } from './authorization-code.grant';
import { GrantTokensService } from './grant-tokens.service';
import { RefreshTokenGrant } from './refresh-token.grant';
import { TokenController } from './token.controller';

@Module({
  imports: [ClientsModule, KeysModule, RevocationModule, FederationModule],
  controllers: [TokenController],
  providers: [GrantTokensService, AuthorizationCodeGrant, RefreshTokenGrant],
})
export class TokenModule {}

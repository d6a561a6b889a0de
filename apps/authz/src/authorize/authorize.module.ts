import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { FederationModule } from '../federation/federation.module';
import { LocalUsersService } from '../users/local-users.service';
import { AuthorizationRequestValidator } from './authorization-request.validator';
import { AuthorizeController } from './authorize.controller';
import { FederatedLoginController } from './federated-login.controller';
import { InteractionPages } from './interaction.pages';
import { InteractionService } from './interaction.service';

@Module({
  imports: [ClientsModule, FederationModule],
  controllers: [AuthorizeController, FederatedLoginController],
  providers: [AuthorizationRequestValidator, InteractionService, InteractionPages, LocalUsersService],
})
export class AuthorizeModule {}

import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { LocalUsersService } from '../users/local-users.service';
import { AuthorizationRequestValidator } from './authorization-request.validator';
import { AuthorizeController } from './authorize.controller';
import { InteractionPages } from './interaction.pages';
import { InteractionService } from './interaction.service';

@Module({
  imports: [ClientsModule],
  controllers: [AuthorizeController],
  providers: [AuthorizationRequestValidator, InteractionService, InteractionPages, LocalUsersService],
})
export class AuthorizeModule {}

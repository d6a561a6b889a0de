import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { ClientRegistrationService } from './client-registration.service';
import { InitialAccessTokenGuard } from './initial-access-token.guard';
import { RegistrationController } from './registration.controller';

@Module({
  imports: [ClientsModule],
  controllers: [RegistrationController],
  providers: [ClientRegistrationService, InitialAccessTokenGuard],
})
export class RegistrationModule {}

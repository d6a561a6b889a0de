import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { ClientRegistrationService } from './client-registration.service';
import { RegistrationController } from './registration.controller';

@Module({
  imports: [ClientsModule],
  controllers: [RegistrationController],
  providers: [ClientRegistrationService],
})
export class RegistrationModule {}

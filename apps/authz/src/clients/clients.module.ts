import { Module } from '@nestjs/common';
import { ClientAuthenticator } from './client-authenticator.service';
import { ClientsService } from './clients.service';

@Module({ providers: [ClientsService, ClientAuthenticator], exports: [ClientsService, ClientAuthenticator] })
export class ClientsModule {}

import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { KeysModule } from '../keys/keys.module';
import { RevocationModule } from '../revocation/revocation.module';
import { IntrospectionController } from './introspection.controller';

@Module({ imports: [ClientsModule, KeysModule, RevocationModule], controllers: [IntrospectionController] })
export class IntrospectionModule {}

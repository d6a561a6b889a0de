import { Module } from '@nestjs/common';
import { OutboundModule } from '../outbound/outbound.module';
import { ClientMetadataCache } from './client-metadata.cache';
import { ClientMetadataResolver } from './client-metadata.resolver';

/** Client ID Metadata Documents: clients identified by the URL of their own metadata. */
@Module({
  imports: [OutboundModule],
  providers: [ClientMetadataResolver, ClientMetadataCache],
  exports: [ClientMetadataResolver],
})
export class CimdModule {}

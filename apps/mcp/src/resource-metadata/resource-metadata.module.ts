import { Module } from '@nestjs/common';
import { ResourceMetadataController } from './resource-metadata.controller';

@Module({ controllers: [ResourceMetadataController] })
export class ResourceMetadataModule {}

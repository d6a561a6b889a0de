import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { RegistryService } from './registry.service';

@Module({
  imports: [DiscoveryModule],
  providers: [RegistryService],
  exports: [RegistryService],
})
export class RegistryModule {}

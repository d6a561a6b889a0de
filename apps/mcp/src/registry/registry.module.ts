import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ChangeEvents } from './change-events';
import { RegistryService } from './registry.service';
import { RequestStateService } from './request-state.service';

@Module({
  imports: [DiscoveryModule],
  providers: [RegistryService, RequestStateService, ChangeEvents],
  exports: [RegistryService, RequestStateService, ChangeEvents],
})
export class RegistryModule {}

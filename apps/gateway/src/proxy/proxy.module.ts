import { Module } from '@nestjs/common';
import { FrontDoorService } from './front-door.service';
import { UpstreamProxyService } from './upstream-proxy.service';

@Module({
  providers: [UpstreamProxyService, FrontDoorService],
  exports: [UpstreamProxyService, FrontDoorService],
})
export class ProxyModule {}

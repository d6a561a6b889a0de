import { Module } from '@nestjs/common';
import { GatewayFrontDoor } from './gateway.front-door';
import { UpstreamProxyService } from './upstream-proxy.service';

@Module({
  providers: [UpstreamProxyService, GatewayFrontDoor],
  exports: [UpstreamProxyService, GatewayFrontDoor],
})
export class ProxyModule {}

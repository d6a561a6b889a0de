import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ObservabilityModule } from '@app/observability';
import { createLoggerModule, HealthModule, type ReadinessCheck } from '@app/runtime';
import { gatewayConfig, type GatewayConfig } from './config/gateway.config';
import { GatewayExceptionFilter } from './gateway-exception.filter';
import { upstreamReadiness } from './health/upstream-readiness';
import { HomeController } from './home/home.controller';
import { ProxyModule } from './proxy/proxy.module';
import { UpstreamProxyService } from './proxy/upstream-proxy.service';

/** /readyz reports each upstream and each of its instances; the gateway is ready when every upstream is. */
function readinessChecks(config: GatewayConfig, proxyModule: DynamicModule) {
  // Built as a variable: HealthModule takes an Omit<> over a provider union, which rejects a literal here.
  const checks = {
    imports: [proxyModule],
    inject: [UpstreamProxyService],
    useFactory: (proxy: UpstreamProxyService): ReadinessCheck[] =>
      [...proxy.pools.values()].map((pool) => upstreamReadiness(pool, config.readinessTimeoutMs)),
  };
  return checks;
}

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    // One module object for both imports, so Nest builds the proxy (and its pools) once.
    const proxy = ProxyModule.forRoot(config);
    return {
      module: GatewayModule,
      imports: [
        gatewayConfig.forRoot(config),
        createLoggerModule({
          app: 'gateway',
          level: config.env.LOG_LEVEL,
          nodeEnv: config.env.NODE_ENV,
          format: config.env.LOG_FORMAT,
        }),
        // /metrics is served by the admin listener (gateway.app.ts), never on the public port.
        ObservabilityModule.forRoot({ app: 'gateway', tracing: config.tracing, metricsRoute: false }),
        proxy,
        HealthModule.forRoot(readinessChecks(config, proxy)),
      ],
      controllers: [HomeController],
      providers: [{ provide: APP_FILTER, useClass: GatewayExceptionFilter }],
    };
  }
}

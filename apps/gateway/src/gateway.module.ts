import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { createLoggerModule, HealthModule } from '@app/runtime';
import { gatewayConfig, type GatewayConfig } from './config/gateway.config';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [gatewayConfig(config)] }),
        createLoggerModule({
          app: 'gateway',
          level: config.env.LOG_LEVEL,
          nodeEnv: config.env.NODE_ENV,
          format: config.env.LOG_FORMAT,
        }),
        HealthModule.forRoot(),
      ],
    };
  }
}

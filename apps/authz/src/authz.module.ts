import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { createLoggerModule, HealthModule } from '@app/runtime';
import { authzConfig, type AuthzConfig } from './config/authz.config';

@Module({})
export class AuthzModule {
  static forRoot(config: AuthzConfig): DynamicModule {
    return {
      module: AuthzModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [authzConfig(config)] }),
        createLoggerModule({
          app: 'authz',
          level: config.env.LOG_LEVEL,
          nodeEnv: config.env.NODE_ENV,
          format: config.env.LOG_FORMAT,
        }),
        HealthModule.forRoot(),
      ],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { createOAuthValidationPipe, OAuthExceptionFilter } from '@app/oauth-errors';
import { OAuthStoreModule } from '@app/oauth-store';
import { createLoggerModule, HealthModule } from '@app/runtime';
import { AuthorizeModule } from './authorize/authorize.module';
import { ClientsModule } from './clients/clients.module';
import { authzConfig, type AuthzConfig } from './config/authz.config';
import { DevTokenModule } from './dev-token/dev-token.module';
import { InternalModule } from './internal/internal.module';
import { IntrospectionModule } from './introspection/introspection.module';
import { KeysModule } from './keys/keys.module';
import { MetadataModule } from './metadata/metadata.module';
import { RegistrationModule } from './registration/registration.module';
import { RevocationModule } from './revocation/revocation.module';
import { TokenModule } from './token/token.module';

@Module({})
export class AuthzModule {
  static forRoot(config: AuthzConfig): DynamicModule {
    return {
      module: AuthzModule,
      imports: [
        authzConfig.forRoot(config),
        createLoggerModule({
          app: 'authz',
          level: config.env.LOG_LEVEL,
          nodeEnv: config.env.NODE_ENV,
          format: config.env.LOG_FORMAT,
        }),
        HealthModule.forRoot(),
        OAuthStoreModule.forMemory(),
        // Keyed by req.ip, which `trust proxy` (AUTHZ_TRUST_PROXY) makes the real client behind the gateway.
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: config.rateLimit.windowMs, limit: config.rateLimit.max }],
        }),
        MetadataModule,
        KeysModule,
        ClientsModule,
        AuthorizeModule,
        TokenModule,
        RegistrationModule,
        RevocationModule,
        IntrospectionModule,
        InternalModule,
        ...(config.devTokens ? [DevTokenModule] : []),
      ],
      providers: [
        { provide: APP_FILTER, useClass: OAuthExceptionFilter },
        { provide: APP_PIPE, useFactory: () => createOAuthValidationPipe() },
      ],
    };
  }
}

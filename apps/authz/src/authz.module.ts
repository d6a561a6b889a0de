import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerStorage } from '@nestjs/throttler';
import { MetricsRegistry, ObservabilityModule } from '@app/observability';
import { createOAuthValidationPipe, OAuthExceptionFilter } from '@app/oauth-errors';
import { OAuthStoreModule, RATE_LIMIT_STORAGE } from '@app/oauth-store';
import { createLoggerModule, HealthModule } from '@app/runtime';
import { AuthorizeModule } from './authorize/authorize.module';
import { ClientsModule } from './clients/clients.module';
import { authzConfig, type AuthzConfig } from './config/authz.config';
import { DevTokenModule } from './dev-token/dev-token.module';
import { InternalModule } from './internal/internal.module';
import { IntrospectionModule } from './introspection/introspection.module';
import { KeysModule } from './keys/keys.module';
import { MetadataModule } from './metadata/metadata.module';
import { countingRefusals } from './observability/rate-limit-metrics';
import { TokenMetrics } from './observability/token-metrics';
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
        ObservabilityModule.forRoot({
          app: 'authz',
          tracing: config.tracing,
          audit: config.audit,
          metricsRoute: true,
        }),
        OAuthStoreModule.forRoot(config.store),
        // Keyed by req.ip, which `trust proxy` (AUTHZ_TRUST_PROXY) makes the real client behind the gateway; an
        // IPv6 client counts by its /64 (one host usually holds a whole /64). Counters live in Redis when the
        // store does, so every instance enforces one budget.
        ThrottlerModule.forRootAsync({
          inject: [RATE_LIMIT_STORAGE, MetricsRegistry],
          useFactory: (storage: ThrottlerStorage | undefined, metrics: MetricsRegistry) => ({
            throttlers: [{ name: 'default', ttl: config.rateLimit.windowMs, limit: config.rateLimit.max }],
            ipv6SubnetPrefix: 64,
            storage: countingRefusals(storage, metrics),
          }),
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
        TokenMetrics,
        { provide: APP_FILTER, useClass: OAuthExceptionFilter },
        { provide: APP_PIPE, useFactory: () => createOAuthValidationPipe() },
      ],
    };
  }
}

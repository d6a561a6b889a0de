import { DynamicModule, Module, Provider } from '@nestjs/common';
import { HealthController, READINESS_CHECKS, ReadinessCheck } from './health.controller';

@Module({})
export class HealthModule {
  /** `checks` is a provider whose value is a ReadinessCheck[]; omit it for an app with no dependencies. */
  static forRoot(
    checks?: Omit<Provider<ReadinessCheck[]>, 'provide'> & { imports?: DynamicModule['imports'] },
  ): DynamicModule {
    const { imports, ...rest } = checks ?? {};
    const provider = checks
      ? ({ provide: READINESS_CHECKS, ...rest } as Provider)
      : { provide: READINESS_CHECKS, useValue: [] };
    return { module: HealthModule, imports, controllers: [HealthController], providers: [provider] };
  }
}

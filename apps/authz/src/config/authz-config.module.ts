import { DynamicModule, Global, Module } from '@nestjs/common';
import { AUTHZ_SETTINGS, type AuthzConfig } from './authz.config';

/** Makes the validated config injectable everywhere (`@InjectAuthzConfig()`). */
@Global()
@Module({})
export class AuthzConfigModule {
  static forRoot(config: AuthzConfig): DynamicModule {
    return {
      module: AuthzConfigModule,
      providers: [{ provide: AUTHZ_SETTINGS, useValue: config }],
      exports: [AUTHZ_SETTINGS],
    };
  }
}

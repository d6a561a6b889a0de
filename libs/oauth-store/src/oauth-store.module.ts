import { DynamicModule, Module, type Provider } from '@nestjs/common';
import {
  MemoryAuthorizationCodeRepository,
  MemoryClientRepository,
  MemoryConsentRepository,
  MemoryGrantRepository,
  MemoryInteractionRepository,
  MemoryRefreshTokenRepository,
  MemoryRevokedTokenRepository,
  MemoryUpstreamLoginRepository,
  MemoryUpstreamTokenRepository,
} from './memory/memory-repositories';
import {
  AuthorizationCodeRepository,
  ClientRepository,
  ConsentRepository,
  GrantRepository,
  InteractionRepository,
  RefreshTokenRepository,
  RevokedTokenRepository,
  UpstreamLoginRepository,
  UpstreamTokenRepository,
} from './repositories';

/** Binds every repository token to a backend; only the in-memory one exists so far. */
@Module({})
export class OAuthStoreModule {
  static forMemory(): DynamicModule {
    const providers: Provider[] = [
      { provide: ClientRepository, useClass: MemoryClientRepository },
      { provide: AuthorizationCodeRepository, useClass: MemoryAuthorizationCodeRepository },
      { provide: GrantRepository, useClass: MemoryGrantRepository },
      { provide: RefreshTokenRepository, useClass: MemoryRefreshTokenRepository },
      { provide: ConsentRepository, useClass: MemoryConsentRepository },
      { provide: RevokedTokenRepository, useClass: MemoryRevokedTokenRepository },
      { provide: InteractionRepository, useClass: MemoryInteractionRepository },
      { provide: UpstreamLoginRepository, useClass: MemoryUpstreamLoginRepository },
      { provide: UpstreamTokenRepository, useClass: MemoryUpstreamTokenRepository },
    ];
    return {
      module: OAuthStoreModule,
      global: true,
      providers,
      exports: [
        ClientRepository,
        AuthorizationCodeRepository,
        GrantRepository,
        RefreshTokenRepository,
        ConsentRepository,
        RevokedTokenRepository,
        InteractionRepository,
        UpstreamLoginRepository,
        UpstreamTokenRepository,
      ],
    };
  }
}

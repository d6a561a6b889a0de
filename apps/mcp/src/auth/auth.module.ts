import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { RegistryModule } from '../registry/registry.module';
import { AccessTokenVerifier } from './access-token.verifier';
import { BearerAuthenticator } from './bearer.authenticator';
import { McpScopeCheck } from './mcp-scope.check';
import { TokenStatusClient } from './token-status.client';

@Module({
  imports: [RegistryModule, ProvidersModule],
  providers: [AccessTokenVerifier, TokenStatusClient, BearerAuthenticator, McpScopeCheck],
  exports: [BearerAuthenticator, McpScopeCheck],
})
export class AuthModule {}

import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { RegistryModule } from '../registry/registry.module';
import { AccessTokenVerifier } from './access-token.verifier';
import { BearerAuthMiddleware } from './bearer-auth.middleware';
import { McpScopeGuard } from './mcp-scope.guard';
import { TokenStatusClient } from './token-status.client';

@Module({
  imports: [RegistryModule, ProvidersModule],
  providers: [AccessTokenVerifier, TokenStatusClient, BearerAuthMiddleware, McpScopeGuard],
  exports: [AccessTokenVerifier, TokenStatusClient, BearerAuthMiddleware, McpScopeGuard],
})
export class AuthModule {}

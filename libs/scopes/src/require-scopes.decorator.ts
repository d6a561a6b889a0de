import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import type { McpScope } from './mcp-scopes';
import { ScopeGuard } from './scope.guard';
import { REQUIRED_SCOPES } from './scope-metadata';

/**
 * Declares the scopes a route or an MCP tool/resource/prompt needs. On a controller it also installs the guard;
 * on a provider method the metadata is read by whoever dispatches to it (the MCP registry). A method-level
 * declaration replaces a class-level one (read with `getAllAndOverride`, handler then class).
 */
export function RequireScopes(...scopes: McpScope[]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(REQUIRED_SCOPES, scopes), UseGuards(ScopeGuard));
}

export {
  ALL_MCP_SCOPES,
  MCP_SCOPES,
  MCP_SCOPE_DESCRIPTIONS,
  formatScope,
  isMcpScope,
  parseScope,
} from './mcp-scopes';
export type { McpScope } from './mcp-scopes';
export { RequireScopes } from './require-scopes.decorator';
export { REQUIRED_SCOPES } from './scope-metadata';
export { InsufficientScopeException, ScopeGuard, missingScopes, requiredScopesOf } from './scope.guard';
export type { ScopedRequest } from './scope.guard';
export {
  METHOD_SCOPES,
  callsInBody,
  methodRuleFor,
  requiredScopesFor,
  requiredScopesForBody,
} from './method-scopes';
export type { AddressedItem, ItemScopeLookup, MethodRule, ScopedCall } from './method-scopes';

import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MCP_SCOPES } from './mcp-scopes';
import { RequireScopes } from './require-scopes.decorator';
import { InsufficientScopeException, missingScopes, requiredScopesOf, ScopeGuard } from './scope.guard';

@RequireScopes(MCP_SCOPES.resourcesRead)
class SampleController {
  inherited(): void {}

  @RequireScopes(MCP_SCOPES.toolsExecute, MCP_SCOPES.toolsRead)
  overridden(): void {}
}

function contextFor(handler: () => void, scopes?: string[]): ExecutionContext {
  const request = scopes ? { auth: { scopes } } : {};
  return {
    getHandler: () => handler,
    getClass: () => SampleController,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('scope metadata and ScopeGuard', () => {
  const reflector = new Reflector();
  const guard = new ScopeGuard(reflector);
  const proto = SampleController.prototype;

  it('reads handler metadata before class metadata', () => {
    expect(requiredScopesOf(reflector, [proto.overridden, SampleController])).toEqual([
      MCP_SCOPES.toolsExecute,
      MCP_SCOPES.toolsRead,
    ]);
    expect(requiredScopesOf(reflector, [proto.inherited, SampleController])).toEqual([
      MCP_SCOPES.resourcesRead,
    ]);
  });

  it('lets a request through when every required scope is held', () => {
    expect(guard.canActivate(contextFor(proto.inherited, [MCP_SCOPES.resourcesRead]))).toBe(true);
  });

  it('names the held, required and missing scopes when one is lacking', () => {
    let caught: unknown;
    try {
      guard.canActivate(contextFor(proto.overridden, [MCP_SCOPES.toolsRead]));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InsufficientScopeException);
    const error = caught as InsufficientScopeException;
    expect(error.getStatus()).toBe(403);
    expect(error.missing).toEqual([MCP_SCOPES.toolsExecute]);
    expect(error.granted).toEqual([MCP_SCOPES.toolsRead]);
  });

  it('refuses with 401 when no grant was attached by authentication', () => {
    expect(() => guard.canActivate(contextFor(proto.inherited))).toThrow(UnauthorizedException);
  });

  it('computes missing scopes without duplicates', () => {
    expect(missingScopes(['a', 'b'], ['b', 'c', 'c', 'd'])).toEqual(['c', 'd']);
  });
});

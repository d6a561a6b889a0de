import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REQUIRED_SCOPES } from './scope-metadata';

/**
 * Where an authenticating guard or middleware leaves the caller's grant: `request.auth.scopes`, the shape of the
 * MCP SDK's `AuthInfo`, so one convention serves Nest routes and the SDK's transports.
 */
export interface ScopedRequest {
  auth?: { scopes: readonly string[] };
}

/** The scopes in `required` that `granted` lacks, in the order they were required. */
export function missingScopes(granted: Iterable<string>, required: Iterable<string>): string[] {
  const held = new Set(granted);
  return [...new Set(required)].filter((scope) => !held.has(scope));
}

/** Handler metadata wins over class metadata (getAllAndOverride), so a method can narrow or widen its class. */
export function requiredScopesOf(
  reflector: Reflector,
  targets: Parameters<Reflector['getAllAndOverride']>[1],
): string[] {
  return reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets) ?? [];
}

/**
 * Thrown when a valid token lacks a scope. Carries what was held and what is needed so the app can answer with
 * an RFC 6750 §3.1 `insufficient_scope` challenge naming both (MCP authorization, step-up), built by
 * bearerInsufficientScope in @app/oauth-errors.
 */
export class InsufficientScopeException extends ForbiddenException {
  constructor(
    readonly granted: readonly string[],
    readonly required: readonly string[],
    readonly missing: readonly string[],
  ) {
    super('Forbidden: insufficient scope');
  }
}

@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = requiredScopesOf(this.reflector, [context.getHandler(), context.getClass()]);
    if (required.length === 0) return true;
    const request = context.switchToHttp().getRequest<ScopedRequest>();
    // Authentication runs before this guard; no grant here means the route was mounted without it.
    if (!request.auth) throw new UnauthorizedException('Unauthorized: no access token was verified');
    const missing = missingScopes(request.auth.scopes, required);
    if (missing.length > 0) throw new InsufficientScopeException(request.auth.scopes, required, missing);
    return true;
  }
}

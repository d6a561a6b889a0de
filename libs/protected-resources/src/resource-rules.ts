import { ALL_MCP_SCOPES, type ItemScopeLookup } from '@app/scopes';
import type { ProtectedResource } from './protected-resource';

const NONE: readonly string[] = Object.freeze([]);

/** RFC 9728 `scopes_supported` of a resource: the MCP scopes and the resource's own. */
export function scopesSupported(resource: ProtectedResource): string[] {
  return [...ALL_MCP_SCOPES, ...resource.scopes];
}

/** A tool hidden by `denyTools`, or missing from `allowTools`: neither listed nor callable, whatever the token. */
export function isToolHidden(resource: ProtectedResource, name: string): boolean {
  return (
    resource.denyTools.has(name) || (resource.allowTools !== undefined && !resource.allowTools.has(name))
  );
}

/** The scopes a resource URI needs beyond its method: those of every pattern it matches. */
function resourceScopes(resource: ProtectedResource, uri: string): readonly string[] {
  let scopes: string[] | undefined;
  for (const pattern of resource.resources) {
    if (pattern.matches(uri)) (scopes ??= []).push(...pattern.scopes);
  }
  return scopes ?? NONE;
}

/** The per-item lookup @app/scopes adds to each method's scopes (requiredScopesFor), for one resource. */
export function itemScopeLookup(resource: ProtectedResource): ItemScopeLookup {
  return (item) => {
    if (item.kind === 'tool') return resource.tools.get(item.name) ?? NONE;
    if (item.kind === 'prompt') return resource.prompts.get(item.name) ?? NONE;
    return resourceScopes(resource, item.uri);
  };
}

/** Whether any answer of this resource's lists can differ from what the upstream sends (filtering needed). */
export function listsNeedFiltering(resource: ProtectedResource): boolean {
  return (
    resource.tools.size > 0 ||
    resource.prompts.size > 0 ||
    resource.resources.length > 0 ||
    resource.allowTools !== undefined ||
    resource.denyTools.size > 0
  );
}

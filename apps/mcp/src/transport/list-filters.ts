import type { ServerContext } from '@modelcontextprotocol/server';
import type { RegistryService } from '../registry/registry.service';
import { track, type BuiltServer } from './built-server';
import { callContextFor } from './call-context';

const scopesOf = (ctx: ServerContext): readonly string[] => ctx.http?.authInfo?.scopes ?? [];

/**
 * List results show only what the caller's token may use, built from the definitions the registry made at boot
 * (the SDK's own list handlers would convert every schema on every call). Tools keep the registry's order, by
 * name, so a list is identical across requests. These replace the handlers McpServer installed.
 */
export function installListFilters(built: BuiltServer, registry: RegistryService): void {
  const server = built.server.server;
  server.setRequestHandler('tools/list', (_request, ctx) => ({
    tools: [...registry.tools.values()]
      .filter((entry) => registry.isVisible(entry, scopesOf(ctx)))
      .map((entry) => entry.definition),
  }));
  server.setRequestHandler('resources/templates/list', (_request, ctx) => ({
    resourceTemplates: registry.resources
      .filter((entry) => entry.templateDefinition && registry.isVisible(entry, scopesOf(ctx)))
      .map((entry) => entry.templateDefinition!),
  }));
  server.setRequestHandler('prompts/list', (_request, ctx) => ({
    prompts: [...registry.prompts.values()]
      .filter((entry) => registry.isVisible(entry, scopesOf(ctx)))
      .map((entry) => entry.definition),
  }));
  server.setRequestHandler('resources/list', (_request, ctx) =>
    track(built, async () => {
      const visible = registry.resources.filter((entry) => registry.isVisible(entry, scopesOf(ctx)));
      const call = callContextFor(ctx);
      const listed = await Promise.all(visible.map((entry) => (entry.list ? entry.list(call) : [])));
      return {
        resources: [
          ...visible.flatMap((entry) => (entry.definition ? [entry.definition] : [])),
          ...listed.flat(),
        ],
      };
    }),
  );
}

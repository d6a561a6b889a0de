import { Injectable, Logger } from '@nestjs/common';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import {
  ErrorCode,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  SetLevelRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { withMcpSpan } from '@app/observability';
import { AuditLogService } from '../providers/logging/audit-log.service';
import type { PromptEntry, ResourceEntry, ToolEntry } from '../registry/registry.entries';
import { RegistryService } from '../registry/registry.service';
import { Refusal } from '../registry/refusal';
import { callContextFor, DEFAULT_LOG_LEVEL, type HandlerExtra, type ServerState } from './call-context';

export interface BuiltServer {
  server: McpServer;
  state: ServerState;
}

const SERVER_INFO = { name: 'mcp-auth-gateway', version: '0.1.0' };
const INSTRUCTIONS =
  'Read-only workspace files, math, code review and an audit log. Tools and resources you lack scopes for are hidden.';

/**
 * Builds McpServer objects wired to the boot-time registry. One JSON Schema validator serves every server: a
 * fresh Ajv costs ~110-130 us of CPU, more than twice the rest of building a server (~45-60 us; Node 20).
 */
@Injectable()
export class McpServerFactory {
  private readonly logger = new Logger(McpServerFactory.name);
  private readonly validator = new AjvJsonSchemaValidator();

  constructor(
    private readonly registry: RegistryService,
    private readonly audit: AuditLogService,
  ) {}

  create(): BuiltServer {
    const state: ServerState = { level: DEFAULT_LOG_LEVEL };
    const server = new McpServer(SERVER_INFO, {
      capabilities: { tools: {}, resources: {}, prompts: {}, logging: {} },
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: this.validator,
    });
    for (const entry of this.registry.tools.values()) this.registerTool(server, state, entry);
    for (const entry of this.registry.resources) this.registerResource(server, state, entry);
    for (const entry of this.registry.prompts.values()) this.registerPrompt(server, state, entry);
    this.installListFilters(server, state);
    server.server.setRequestHandler(SetLevelRequestSchema, (request) => {
      state.level = request.params.level;
      return {};
    });
    return { server, state };
  }

  private registerTool(server: McpServer, state: ServerState, entry: ToolEntry): void {
    const { name, title, description, input, annotations } = entry.options;
    server.registerTool(
      name,
      { title, description, inputSchema: input, annotations },
      async (args, extra) => {
        const ctx = callContextFor(extra, state);
        return this.audited(
          extra,
          'tools/call',
          name,
          async () => {
            await ctx.log('debug', { event: 'tool.start', tool: name });
            let result: CallToolResult;
            try {
              result = await entry.handler(args as Record<string, unknown>, ctx);
            } catch (error) {
              if (!(error instanceof Refusal)) this.logger.error(`tool ${name} failed: ${String(error)}`);
              const message = error instanceof Refusal ? error.message : `Tool ${name} failed unexpectedly`;
              await ctx.log('warning', { event: 'tool.refused', tool: name, message });
              return { isError: true, content: [{ type: 'text', text: message }] };
            }
            await ctx.log('info', { event: 'tool.done', tool: name, isError: result.isError === true });
            return result;
          },
          args,
        );
      },
    );
  }

  private registerResource(server: McpServer, state: ServerState, entry: ResourceEntry): void {
    const { name, title, description, mimeType } = entry.options;
    const read = (uri: URL, variables: Record<string, string | string[]>, extra: HandlerExtra) =>
      this.audited(extra, 'resources/read', uri.href, () =>
        this.asInvalidParams(() => entry.handler(uri, variables, callContextFor(extra, state))),
      );
    if (entry.template) {
      // Listing is answered by the scope-filtered resources/list below, not by the SDK.
      const template = new ResourceTemplate(entry.options.uriTemplate!, { list: undefined });
      server.registerResource(name, template, { title, description, mimeType }, read);
    } else {
      server.registerResource(name, entry.options.uri!, { title, description, mimeType }, (uri, extra) =>
        read(uri, {}, extra),
      );
    }
  }

  private registerPrompt(server: McpServer, state: ServerState, entry: PromptEntry): void {
    const { name, title, description, args } = entry.options;
    server.registerPrompt(name, { title, description, argsSchema: args }, (values, extra) =>
      this.audited(extra, 'prompts/get', name, () =>
        this.asInvalidParams(() =>
          entry.handler(values as Record<string, string>, callContextFor(extra, state)),
        ),
      ),
    );
  }

  /** List results show only what the caller's token may use (the definitions themselves were built at boot). */
  private installListFilters(server: McpServer, state: ServerState): void {
    const registry = this.registry;
    const scopes = (extra: HandlerExtra) => extra.authInfo?.scopes ?? [];
    server.server.setRequestHandler(ListToolsRequestSchema, (_request, extra) => ({
      tools: [...registry.tools.values()]
        .filter((entry) => registry.isVisible(entry, scopes(extra)))
        .map((entry) => entry.definition),
    }));
    server.server.setRequestHandler(ListResourceTemplatesRequestSchema, (_request, extra) => ({
      resourceTemplates: registry.resources
        .filter((entry) => entry.templateDefinition && registry.isVisible(entry, scopes(extra)))
        .map((entry) => entry.templateDefinition!),
    }));
    server.server.setRequestHandler(ListPromptsRequestSchema, (_request, extra) => ({
      prompts: [...registry.prompts.values()]
        .filter((entry) => registry.isVisible(entry, scopes(extra)))
        .map((entry) => entry.definition),
    }));
    server.server.setRequestHandler(ListResourcesRequestSchema, async (_request, extra) => {
      const visible = registry.resources.filter((entry) => registry.isVisible(entry, scopes(extra)));
      const ctx = callContextFor(extra, state);
      const listed = await Promise.all(visible.map((entry) => (entry.list ? entry.list(ctx) : [])));
      return {
        resources: [
          ...visible.flatMap((entry) => (entry.definition ? [entry.definition] : [])),
          ...listed.flat(),
        ],
      };
    });
  }

  /**
   * THE place every tool call, resource read and prompt get is dispatched: one audit event (and with it the
   * tool-call metric) and one span each, the span's parent taken from the request's `_meta` trace context.
   */
  private async audited<T>(
    extra: HandlerExtra,
    method: string,
    tool: string,
    run: () => Promise<T>,
    args?: unknown,
  ): Promise<T> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const identity = {
      sub: (extra.authInfo?.extra?.sub as string | undefined) ?? '',
      client_id: extra.authInfo?.clientId ?? '',
      resource: extra.authInfo?.resource?.href,
      method,
      tool,
      arguments: args,
    };
    const call = { method, target: tool, meta: extra._meta, sessionId: extra.sessionId };
    try {
      const result = await withMcpSpan(call, run);
      const failed = (result as { isError?: boolean }).isError === true;
      this.audit.record({
        ...identity,
        outcome: failed ? 'error' : 'ok',
        duration_ms: elapsed(),
      });
      return result;
    } catch (error) {
      this.audit.record({ ...identity, outcome: 'error', duration_ms: elapsed() });
      throw error;
    }
  }

  private async asInvalidParams<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof Refusal) throw new McpError(ErrorCode.InvalidParams, error.message);
      if (error instanceof McpError) throw error;
      this.logger.error(`handler failed: ${String(error)}`);
      throw new McpError(ErrorCode.InternalError, 'Internal error');
    }
  }
}

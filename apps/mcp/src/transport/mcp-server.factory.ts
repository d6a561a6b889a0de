import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceTemplate,
  type CallToolResult,
  type CompleteResourceTemplateCallback,
  type McpServerOptions,
  type ServerCapabilities,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { mcpConfig } from '../config/mcp.config';
import { withMcpSpan } from '@app/observability';
import { AuditLogService } from '../providers/logging/audit-log.service';
import type { PromptEntry, ResourceEntry, ToolEntry } from '../registry/registry.entries';
import { RegistryService } from '../registry/registry.service';
import { Refusal } from '../registry/refusal';
import { RequestStateService } from '../registry/request-state.service';
import { ToolCallLimiter } from '../limits/tool-call.limiter';
import { track, type BuiltServer, type ServingMode } from './built-server';
import { CallDrain } from './call-drain';
import { callContextFor, subjectOf } from './call-context';
import { installListFilters } from './list-filters';

const SERVER_INFO = { name: 'mcp-auth-gateway', version: '0.1.0' };
const INSTRUCTIONS =
  'Read-only workspace files, math, code review and an audit log. Tools and resources you lack scopes for are hidden.';
/** Lists follow the token's scopes, so only that caller may reuse them (MCP 2026-07-28 server/utilities/caching). */
const PRIVATE = 'private' as const;
/** Generous, but bounded: `statistics` takes up to 10,000 values. */
const MAX_TOOL_INPUT_ELEMENTS = 20_000;

/**
 * Builds McpServer objects wired to the boot-time registry: the same tools, resources and prompts for both
 * revisions. Everything that can be is built once: the registry's definitions, one JSON Schema validator (a fresh
 * Ajv costs more CPU than the rest of a server), the options object and the capability sets.
 */
@Injectable()
export class McpServerFactory {
  private readonly logger = new Logger(McpServerFactory.name);
  private readonly options: Record<ServingMode, McpServerOptions>;

  constructor(
    @Inject(mcpConfig.KEY) config: ConfigType<typeof mcpConfig>,
    private readonly registry: RegistryService,
    private readonly audit: AuditLogService,
    private readonly limiter: ToolCallLimiter,
    private readonly drain: CallDrain,
    requestState: RequestStateService,
  ) {
    // Fixture lists change on request (conformance list_changed checks); the real ones are fixed at boot.
    const listChanged = config.conformanceFixtures;
    const capabilities = (streams: boolean): ServerCapabilities => ({
      tools: { listChanged },
      prompts: { listChanged },
      // Updates need a stream to arrive on: a session's or a subscriptions/listen one, not a stateless POST.
      resources: { subscribe: streams, listChanged: streams },
      logging: {},
      completions: {},
    });
    const shared: McpServerOptions = {
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: new AjvJsonSchemaValidator(),
      maxToolInputElements: MAX_TOOL_INPUT_ELEMENTS,
      requestState: { verify: requestState.verify },
      // Lists are per token: private. The tool, prompt and template sets only change with a deployment.
      cacheHints: {
        'tools/list': { ttlMs: 300_000, cacheScope: PRIVATE },
        'prompts/list': { ttlMs: 300_000, cacheScope: PRIVATE },
        'resources/templates/list': { ttlMs: 300_000, cacheScope: PRIVATE },
        'resources/list': { ttlMs: 10_000, cacheScope: PRIVATE },
        'resources/read': { ttlMs: 0, cacheScope: PRIVATE },
        'server/discover': { ttlMs: 300_000, cacheScope: 'public' },
      },
    };
    this.options = {
      modern: { ...shared, capabilities: capabilities(true) },
      session: { ...shared, capabilities: capabilities(true) },
      stateless: { ...shared, capabilities: capabilities(false) },
    };
  }

  /** A server for `mode`; `subscriptions` (2025 sessions) receives the URIs resources/subscribe asks for. */
  create(mode: ServingMode, subscriptions?: Set<string>): BuiltServer {
    const built: BuiltServer = { server: new McpServer(SERVER_INFO, this.options[mode]), mode, active: 0 };
    for (const entry of this.registry.tools.values()) this.registerTool(built, entry);
    for (const entry of this.registry.resources) this.registerResource(built, entry);
    for (const entry of this.registry.prompts.values()) this.registerPrompt(built, entry);
    installListFilters(built, this.registry);
    if (subscriptions) {
      // MCP 2025-11-25 server/resources, "Subscriptions": the session's own set, read by the update fan-out.
      built.server.server.setRequestHandler('resources/subscribe', (request) => {
        subscriptions.add(request.params.uri);
        return {};
      });
      built.server.server.setRequestHandler('resources/unsubscribe', (request) => {
        subscriptions.delete(request.params.uri);
        return {};
      });
    }
    return built;
  }

  /**
   * Every handler runs counted (`track`, for pooled servers) and known to the shutdown drain, which answers it
   * if it cannot finish in time.
   */
  private guarded<T>(built: BuiltServer, ctx: ServerContext, run: () => Promise<T>): Promise<T> {
    const transport = built.server.server.transport;
    return track(built, () => this.drain.run(ctx, transport, run));
  }

  private registerTool(built: BuiltServer, entry: ToolEntry): void {
    const { name, title, description, input, annotations } = entry.options;
    built.server.registerTool(name, { title, description, inputSchema: input, annotations }, (args, ctx) =>
      this.guarded(built, ctx, () =>
        this.audited(
          ctx,
          'tools/call',
          name,
          async () => {
            const admission = await this.limiter.admit(subjectOf(ctx.http?.authInfo));
            if (!admission.admitted) {
              // A tool execution error, not a protocol error: the call was valid and may be retried, and the
              // model reads when (MCP server/tools, "Error Handling").
              const { reason, retryAfterSeconds } = admission;
              const message = `Rate limited: ${reason}; retry in ${retryAfterSeconds} s`;
              await ctx.mcpReq.log(
                'warning',
                { event: 'tool.rate_limited', tool: name, retryAfterSeconds },
                'mcp',
              );
              return { isError: true, content: [{ type: 'text', text: message }] } satisfies CallToolResult;
            }
            try {
              return await entry.handler(args as Record<string, unknown>, callContextFor(ctx));
            } catch (error) {
              if (!(error instanceof Refusal)) this.logger.error(`tool ${name} failed: ${String(error)}`);
              const message = error instanceof Refusal ? error.message : `Tool ${name} failed unexpectedly`;
              await ctx.mcpReq.log('warning', { event: 'tool.refused', tool: name, message }, 'mcp');
              return { isError: true, content: [{ type: 'text', text: message }] } satisfies CallToolResult;
            } finally {
              admission.release();
            }
          },
          args,
        ),
      ),
    );
  }

  private registerResource(built: BuiltServer, entry: ResourceEntry): void {
    const { name, title, description, mimeType } = entry.options;
    const read = (uri: URL, variables: Record<string, string | string[]>, ctx: ServerContext) =>
      this.guarded(built, ctx, () =>
        this.audited(ctx, 'resources/read', uri.href, () =>
          this.asInvalidParams({ uri: uri.href }, () => entry.handler(uri, variables, callContextFor(ctx))),
        ),
      );
    if (entry.template) {
      // Listing is answered by the scope-filtered resources/list (list-filters.ts), not by the SDK.
      const complete = this.trackedCompleters(built, entry.complete);
      const template = new ResourceTemplate(entry.options.uriTemplate!, { list: undefined, complete });
      built.server.registerResource(name, template, { title, description, mimeType }, read);
    } else {
      built.server.registerResource(name, entry.options.uri!, { title, description, mimeType }, (uri, ctx) =>
        read(uri, {}, ctx),
      );
    }
  }

  private registerPrompt(built: BuiltServer, entry: PromptEntry): void {
    const { name, title, description } = entry.options;
    built.server.registerPrompt(name, { title, description, argsSchema: entry.argsSchema }, (values, ctx) =>
      this.guarded(built, ctx, () =>
        this.audited(ctx, 'prompts/get', name, () =>
          this.asInvalidParams({}, () =>
            entry.handler(values as Record<string, string>, callContextFor(ctx)),
          ),
        ),
      ),
    );
  }

  private trackedCompleters(
    built: BuiltServer,
    completers: Record<string, CompleteResourceTemplateCallback> | undefined,
  ): Record<string, CompleteResourceTemplateCallback> {
    return Object.fromEntries(
      Object.entries(completers ?? {}).map(([variable, complete]) => [
        variable,
        (value: string, context?: { arguments?: Record<string, string> }) =>
          track(built, async () => complete(value, context)),
      ]),
    );
  }

  /**
   * THE place every tool call, resource read and prompt get is dispatched: one audit event (and with it the
   * tool-call metric) and one span each, the span's parent taken from the request's `_meta` trace context.
   */
  private async audited<T>(
    ctx: ServerContext,
    method: string,
    tool: string,
    run: () => Promise<T>,
    args?: unknown,
  ): Promise<T> {
    const started = performance.now();
    const auth = ctx.http?.authInfo;
    const identity = {
      sub: subjectOf(auth),
      client_id: auth?.clientId ?? '',
      resource: auth?.resource?.href,
      method,
      tool,
      arguments: args,
    };
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const call = { method, target: tool, meta: ctx.mcpReq._meta, sessionId: ctx.sessionId };
    try {
      const result = await withMcpSpan(call, run);
      const failed = (result as { isError?: boolean }).isError === true;
      this.audit.record({ ...identity, outcome: failed ? 'error' : 'ok', duration_ms: elapsed() });
      return result;
    } catch (error) {
      this.audit.record({ ...identity, outcome: 'error', duration_ms: elapsed() });
      throw error;
    }
  }

  /** Resources and prompts report a refusal as -32602 (a resource's carries its URI, SEP-2164). */
  private async asInvalidParams<T>(data: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof Refusal) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, error.message, data.uri ? data : undefined);
      }
      if (error instanceof ProtocolError) throw error;
      this.logger.error(`handler failed: ${String(error)}`);
      throw new ProtocolError(ProtocolErrorCode.InternalError, 'Internal error');
    }
  }
}

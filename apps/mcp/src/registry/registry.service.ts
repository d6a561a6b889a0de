import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import type { Tool as ToolDefinition } from '@modelcontextprotocol/sdk/types.js';
import { missingScopes, requiredScopesOf } from '@app/scopes';
import type { ScopedCall } from '../auth/method-scopes';
import { PROMPT_METADATA, RESOURCE_METADATA, TOOL_METADATA } from './registry.decorators';
import type { PromptEntry, ResourceEntry, ToolEntry } from './registry.entries';
import type {
  PromptHandler,
  PromptOptions,
  ResourceHandler,
  ResourceLister,
  ResourceOptions,
  ToolHandler,
  ToolOptions,
} from './registry.types';

type Method = (...args: never[]) => unknown;

/**
 * Everything the MCP server offers, discovered once at boot from provider methods decorated with @Tool,
 * @Resource and @Prompt. List entries (with their JSON Schemas) are built here once, so answering a list is a
 * filter, and each server object only wires handlers to these entries.
 */
@Injectable()
export class RegistryService implements OnModuleInit {
  readonly tools = new Map<string, ToolEntry>();
  readonly resources: ResourceEntry[] = [];
  readonly prompts = new Map<string, PromptEntry>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const key of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[key] as Method;
        const extraScopes = requiredScopesOf(this.reflector, [method, instance.constructor as Method]);
        const tool = this.reflector.get<ToolOptions | undefined>(TOOL_METADATA, method);
        const resource = this.reflector.get<ResourceOptions | undefined>(RESOURCE_METADATA, method);
        const prompt = this.reflector.get<PromptOptions | undefined>(PROMPT_METADATA, method);
        const bound = method.bind(instance) as Method;
        if (tool) this.addTool(tool, bound as unknown as ToolHandler, extraScopes);
        if (resource) this.addResource(resource, bound as unknown as ResourceHandler, instance, extraScopes);
        if (prompt) this.addPrompt(prompt, bound as unknown as PromptHandler, extraScopes);
      }
    }
  }

  /** An item is visible (and usable) when the token holds every extra scope it declares. */
  isVisible(entry: { extraScopes: readonly string[] }, scopes: readonly string[]): boolean {
    return missingScopes(scopes, entry.extraScopes).length === 0;
  }

  /** Extra scopes of the item a call addresses; unknown items need none (the SDK answers "not found"). */
  extraScopesFor = (call: ScopedCall): readonly string[] => {
    const name = call.params?.name;
    const uri = call.params?.uri;
    if (call.method === 'tools/call' && typeof name === 'string')
      return this.tools.get(name)?.extraScopes ?? [];
    if (call.method === 'prompts/get' && typeof name === 'string')
      return this.prompts.get(name)?.extraScopes ?? [];
    if (call.method.startsWith('resources/') && typeof uri === 'string') {
      return this.resourceFor(uri)?.extraScopes ?? [];
    }
    return [];
  };

  /** The resource a URI addresses: a fixed URI first, then the first template that matches (as the SDK does). */
  resourceFor(uri: string): ResourceEntry | undefined {
    return (
      this.resources.find((entry) => entry.options.uri === uri) ??
      this.resources.find((entry) => entry.template?.match(uri))
    );
  }

  private addTool(options: ToolOptions, handler: ToolHandler, extraScopes: string[]): void {
    this.assertUnique(this.tools.has(options.name), 'tool', options.name);
    const definition: ToolDefinition = {
      name: options.name,
      title: options.title,
      description: options.description,
      inputSchema: toJsonSchemaCompat(options.input, {
        strictUnions: true,
        pipeStrategy: 'input',
      }) as ToolDefinition['inputSchema'],
      annotations: options.annotations,
    };
    this.tools.set(options.name, { options, definition, handler, extraScopes });
  }

  private addResource(
    options: ResourceOptions,
    handler: ResourceHandler,
    instance: Record<string, unknown>,
    extraScopes: string[],
  ): void {
    const { name, title, description, mimeType } = options;
    this.assertUnique(
      this.resources.some((entry) => entry.options.name === name),
      'resource',
      name,
    );
    const lister = options.list ? (instance[options.list] as ResourceLister | undefined) : undefined;
    if (options.list && typeof lister !== 'function') {
      throw new Error(`Resource ${name}: list method ${options.list} does not exist`);
    }
    if (options.uriTemplate) {
      this.resources.push({
        options,
        handler,
        extraScopes,
        template: new UriTemplate(options.uriTemplate),
        templateDefinition: { name, title, description, mimeType, uriTemplate: options.uriTemplate },
        list: lister?.bind(instance),
      });
    } else if (options.uri) {
      this.resources.push({
        options,
        handler,
        extraScopes,
        definition: { name, title, description, mimeType, uri: options.uri },
      });
    } else {
      throw new Error(`Resource ${name} needs a uri or a uriTemplate`);
    }
  }

  private addPrompt(options: PromptOptions, handler: PromptHandler, extraScopes: string[]): void {
    this.assertUnique(this.prompts.has(options.name), 'prompt', options.name);
    const definition = {
      name: options.name,
      title: options.title,
      description: options.description,
      arguments: Object.entries(options.args).map(([name, schema]) => ({
        name,
        description: schema.description,
        required: !schema.safeParse(undefined).success,
      })),
    };
    this.prompts.set(options.name, { options, definition, handler, extraScopes });
  }

  private assertUnique(exists: boolean, kind: string, name: string): void {
    if (exists) throw new Error(`Duplicate MCP ${kind} name: ${name}`);
  }
}

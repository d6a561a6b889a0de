import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import {
  completable,
  UriTemplate,
  type StandardSchemaWithJSON,
  type Tool as ToolDefinition,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { missingScopes, requiredScopesOf, type AddressedItem } from '@app/scopes';
import { PROMPT_METADATA, RESOURCE_METADATA, TOOL_METADATA } from './registry.decorators';
import type { PromptEntry, ResourceEntry, ToolEntry } from './registry.entries';
import type {
  Completer,
  PromptHandler,
  PromptOptions,
  ResourceHandler,
  ResourceLister,
  ResourceOptions,
  ToolHandler,
  ToolOptions,
} from './registry.types';

type Method = (...args: never[]) => unknown;
type Instance = Record<string, unknown>;

/** The dialect MCP 2025-11-25 and 2026-07-28 assume for tool schemas (SEP-1613), and the SDK converts to. */
const JSON_SCHEMA_TARGET = 'draft-2020-12';

/** A method of the same provider named in decorator options (a lister or a completer), bound to it. */
function methodOf<T>(instance: Instance, name: string, owner: string): T {
  const method = instance[name];
  if (typeof method !== 'function') throw new Error(`${owner}: method ${name} does not exist`);
  return (method as (...args: unknown[]) => unknown).bind(instance) as T;
}

/**
 * Everything the MCP server offers, discovered once at boot from provider methods decorated with @Tool,
 * @Resource and @Prompt. List entries (with their JSON Schemas) are built here once, so answering a list is a
 * filter, and each server object only wires handlers to these entries. Tools are listed by name, so
 * tools/list is the same on every request and every replica.
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
    const tools: ToolEntry[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Instance | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const key of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[key] as Method;
        const extraScopes = requiredScopesOf(this.reflector, [method, instance.constructor as Method]);
        const tool = this.reflector.get<ToolOptions | undefined>(TOOL_METADATA, method);
        const resource = this.reflector.get<ResourceOptions | undefined>(RESOURCE_METADATA, method);
        const prompt = this.reflector.get<PromptOptions | undefined>(PROMPT_METADATA, method);
        const bound = method.bind(instance) as Method;
        if (tool) tools.push(this.toolEntry(tool, bound as unknown as ToolHandler, extraScopes));
        if (resource) this.addResource(resource, bound as unknown as ResourceHandler, instance, extraScopes);
        if (prompt) this.addPrompt(prompt, bound as unknown as PromptHandler, instance, extraScopes);
      }
    }
    for (const entry of tools.sort((a, b) => (a.options.name < b.options.name ? -1 : 1))) {
      this.assertUnique(this.tools.has(entry.options.name), 'tool', entry.options.name);
      this.tools.set(entry.options.name, entry);
    }
  }

  /** An item is visible (and usable) when the token holds every extra scope it declares. */
  isVisible(entry: { extraScopes: readonly string[] }, scopes: readonly string[]): boolean {
    return missingScopes(scopes, entry.extraScopes).length === 0;
  }

  /** Extra scopes of an item a call addresses; unknown items need none (the SDK answers "not found"). */
  itemScopes = (item: AddressedItem): readonly string[] => {
    if (item.kind === 'tool') return this.tools.get(item.name)?.extraScopes ?? [];
    if (item.kind === 'prompt') return this.prompts.get(item.name)?.extraScopes ?? [];
    return this.resourceFor(item.uri)?.extraScopes ?? [];
  };

  /**
   * The resource a URI addresses: a fixed URI first, then the first template that matches (as the SDK does).
   * A template's own text addresses it too (completion/complete names templates that way).
   */
  resourceFor(uri: string): ResourceEntry | undefined {
    return (
      this.resources.find((entry) => entry.options.uri === uri || entry.options.uriTemplate === uri) ??
      this.resources.find((entry) => entry.template?.match(uri))
    );
  }

  private toolEntry(options: ToolOptions, handler: ToolHandler, extraScopes: string[]): ToolEntry {
    const definition: ToolDefinition = {
      name: options.name,
      title: options.title,
      description: options.description,
      inputSchema: options.input['~standard'].jsonSchema.input({
        target: JSON_SCHEMA_TARGET,
      }) as ToolDefinition['inputSchema'],
      annotations: options.annotations,
    };
    return { options, definition, handler, extraScopes };
  }

  private addResource(
    options: ResourceOptions,
    handler: ResourceHandler,
    instance: Instance,
    extraScopes: string[],
  ): void {
    const { name, title, description, mimeType } = options;
    this.assertUnique(
      this.resources.some((entry) => entry.options.name === name),
      'resource',
      name,
    );
    const owner = `Resource ${name}`;
    if (options.uriTemplate) {
      const complete = Object.fromEntries(
        Object.entries(options.complete ?? {}).map(([variable, method]) => [
          variable,
          methodOf<Completer>(instance, method, owner),
        ]),
      );
      this.resources.push({
        options,
        handler,
        extraScopes,
        template: new UriTemplate(options.uriTemplate),
        templateDefinition: { name, title, description, mimeType, uriTemplate: options.uriTemplate },
        list: options.list ? methodOf<ResourceLister>(instance, options.list, owner) : undefined,
        complete,
      });
    } else if (options.uri) {
      this.resources.push({
        options,
        handler,
        extraScopes,
        definition: { name, title, description, mimeType, uri: options.uri },
      });
    } else {
      throw new Error(`${owner} needs a uri or a uriTemplate`);
    }
  }

  private addPrompt(
    options: PromptOptions,
    handler: PromptHandler,
    instance: Instance,
    extraScopes: string[],
  ): void {
    this.assertUnique(this.prompts.has(options.name), 'prompt', options.name);
    const shape: Record<string, z.ZodType> = { ...options.args };
    for (const [argument, method] of Object.entries(options.complete ?? {})) {
      const field = shape[argument];
      if (!field) throw new Error(`Prompt ${options.name}: no argument ${argument} to complete`);
      const completer = methodOf<Completer>(instance, method, `Prompt ${options.name}`);
      // The SDK finds the completer on the (unwrapped) argument schema; a copy keeps shared schemas unmarked.
      const optional = field instanceof z.ZodOptional;
      const inner = (optional ? field.unwrap() : field) as z.ZodType<string, string>;
      const marked = completable(inner.clone(), completer);
      shape[argument] = optional ? marked.optional() : marked;
    }
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
    const argsSchema = z.object(shape) as unknown as StandardSchemaWithJSON;
    this.prompts.set(options.name, { options, definition, argsSchema, handler, extraScopes });
  }

  private assertUnique(exists: boolean, kind: string, name: string): void {
    if (exists) throw new Error(`Duplicate MCP ${kind} name: ${name}`);
  }
}

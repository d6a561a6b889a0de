import type {
  CompleteResourceTemplateCallback,
  Prompt as PromptDefinition,
  ResourceTemplateType as ResourceTemplateDefinition,
  Resource as ResourceDefinition,
  StandardSchemaWithJSON,
  Tool as ToolDefinition,
  UriTemplate,
} from '@modelcontextprotocol/server';
import type {
  PromptHandler,
  PromptOptions,
  ResourceHandler,
  ResourceLister,
  ResourceOptions,
  ToolHandler,
  ToolOptions,
} from './registry.types';

/** Scopes a single item needs beyond its method's scope (declared with @RequireScopes). */
interface Guarded {
  extraScopes: readonly string[];
}

export interface ToolEntry extends Guarded {
  options: ToolOptions;
  /** The tools/list entry, JSON Schema 2020-12 included, built once at boot. */
  definition: ToolDefinition;
  handler: ToolHandler;
}

export interface ResourceEntry extends Guarded {
  options: ResourceOptions;
  /** Fixed resources have a resources/list entry; templates have a resources/templates/list entry. */
  definition?: ResourceDefinition;
  templateDefinition?: ResourceTemplateDefinition;
  template?: UriTemplate;
  handler: ResourceHandler;
  list?: ResourceLister;
  /** Template variable -> completer (completion/complete on a `ref/resource`). */
  complete?: Record<string, CompleteResourceTemplateCallback>;
}

export interface PromptEntry extends Guarded {
  options: PromptOptions;
  definition: PromptDefinition;
  /** `z.object(args)`, with completable arguments, built once: the SDK marks completable schemas in place. */
  argsSchema: StandardSchemaWithJSON;
  handler: PromptHandler;
}

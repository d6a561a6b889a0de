import type {
  Prompt as PromptDefinition,
  ResourceTemplate as ResourceTemplateDefinition,
  Resource as ResourceDefinition,
  Tool as ToolDefinition,
} from '@modelcontextprotocol/sdk/types.js';
import type { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
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
  /** The tools/list entry, JSON Schema included, built once at boot. */
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
}

export interface PromptEntry extends Guarded {
  options: PromptOptions;
  definition: PromptDefinition;
  handler: PromptHandler;
}

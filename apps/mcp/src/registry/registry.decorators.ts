import { SetMetadata } from '@nestjs/common';
import type { PromptOptions, ResourceOptions, ToolOptions } from './registry.types';

export const TOOL_METADATA = 'mcp:tool';
export const RESOURCE_METADATA = 'mcp:resource';
export const PROMPT_METADATA = 'mcp:prompt';

/** Marks a provider method as an MCP tool `(args, ctx) => CallToolResult`; found at boot by the registry. */
export const Tool = (options: ToolOptions): MethodDecorator => SetMetadata(TOOL_METADATA, options);

/** Marks a provider method as an MCP resource reader `(uri, variables, ctx) => ReadResourceResult`. */
export const Resource = (options: ResourceOptions): MethodDecorator =>
  SetMetadata(RESOURCE_METADATA, options);

/** Marks a provider method as an MCP prompt `(args, ctx) => GetPromptResult`. */
export const Prompt = (options: PromptOptions): MethodDecorator => SetMetadata(PROMPT_METADATA, options);

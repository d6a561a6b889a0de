import type {
  CallToolResult,
  GetPromptResult,
  LoggingLevel,
  ReadResourceResult,
  Resource,
  ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';

/** What a tool, resource or prompt handler knows about its caller; never the token itself. */
export interface CallContext {
  sub: string;
  clientId: string;
  scopes: readonly string[];
  /** Sends `notifications/message` on the caller's stream when `level` is at or above the chosen level. */
  log(level: LoggingLevel, data: unknown): Promise<void>;
  signal: AbortSignal;
}

export interface ToolOptions {
  name: string;
  title?: string;
  description: string;
  /** Arguments, validated by the SDK before the handler runs (invalid -> an error naming the field). */
  input: z.ZodObject;
  annotations?: ToolAnnotations;
}

export interface ResourceOptions {
  name: string;
  title?: string;
  description: string;
  mimeType?: string;
  /** A fixed URI, or an RFC 6570 template (then the handler receives the variables). */
  uri?: string;
  uriTemplate?: string;
  /** Name of a method on the same provider listing the concrete resources behind a template. */
  list?: string;
}

export interface PromptOptions {
  name: string;
  title?: string;
  description: string;
  /** Prompt arguments are strings (MCP prompts/get); optional ones use `.optional()`. */
  args: Record<string, z.ZodType<string | undefined>>;
}

export type ToolHandler = (args: Record<string, unknown>, ctx: CallContext) => Promise<CallToolResult>;
export type ResourceHandler = (
  uri: URL,
  variables: Record<string, string | string[]>,
  ctx: CallContext,
) => Promise<ReadResourceResult>;
export type ResourceLister = (ctx: CallContext) => Promise<Resource[]>;
export type PromptHandler = (
  args: Record<string, string | undefined>,
  ctx: CallContext,
) => Promise<GetPromptResult>;

import type {
  CallToolResult,
  GetPromptResult,
  InputRequiredResult,
  LoggingLevel,
  ReadResourceResult,
  Resource,
  ServerContext,
  StandardSchemaWithJSON,
  ToolAnnotations,
} from '@modelcontextprotocol/server';
import type { z } from 'zod';

/** What a tool, resource or prompt handler knows about its caller; never the token itself. */
export interface CallContext {
  sub: string;
  clientId: string;
  scopes: readonly string[];
  signal: AbortSignal;
  /**
   * Sends `notifications/message` on the caller's stream if the client asked for that level: with
   * logging/setLevel on 2025 revisions, with the request's `_meta` log level on 2026-07-28 (none: no logs).
   */
  log(level: LoggingLevel, data: unknown): Promise<void>;
  /** Sends `notifications/progress` when the request carried a progress token (MCP basic/utilities/progress). */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** The SDK's request context, for the few handlers that need more (multi-round-trip input, SSE control). */
  mcp: ServerContext;
}

export interface ToolOptions {
  name: string;
  title?: string;
  description: string;
  /**
   * Arguments as a JSON Schema 2020-12 object schema: a zod object, or a plain JSON Schema wrapped with the
   * SDK's `fromJsonSchema`. Validated before the handler runs (invalid -> an error naming the field).
   */
  input: StandardSchemaWithJSON;
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
  /** Template variable -> name of a method on the same provider suggesting its values (completion/complete). */
  complete?: Record<string, string>;
}

export interface PromptOptions {
  name: string;
  title?: string;
  description: string;
  /** Prompt arguments are strings (MCP prompts/get); optional ones use `.optional()`. */
  args: Record<string, z.ZodType<string | undefined>>;
  /** Argument -> name of a method on the same provider suggesting its values (completion/complete). */
  complete?: Record<string, string>;
}

export type ToolHandler = (
  args: Record<string, unknown>,
  ctx: CallContext,
) => Promise<CallToolResult | InputRequiredResult>;
export type ResourceHandler = (
  uri: URL,
  variables: Record<string, string | string[]>,
  ctx: CallContext,
) => Promise<ReadResourceResult | InputRequiredResult>;
export type ResourceLister = (ctx: CallContext) => Promise<Resource[]>;
export type PromptHandler = (
  args: Record<string, string | undefined>,
  ctx: CallContext,
) => Promise<GetPromptResult | InputRequiredResult>;
/** Suggests values for one argument or variable, given what was typed so far and the other arguments. */
export type Completer = (
  value: string,
  context?: { arguments?: Record<string, string> },
) => Promise<string[]>;

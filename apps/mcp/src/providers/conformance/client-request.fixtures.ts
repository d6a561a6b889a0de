import { Injectable } from '@nestjs/common';
import type { CallToolResult, ElicitRequestFormParams } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { Tool } from '../../registry/registry.decorators';
import type { CallContext } from '../../registry/registry.types';
import { text } from './fixture-media';

type RequestedSchema = ElicitRequestFormParams['requestedSchema'];

const DEFAULTS_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'Name', default: 'John Doe' },
    age: { type: 'integer', description: 'Age', default: 30 },
    score: { type: 'number', description: 'Score', default: 95.5 },
    status: {
      type: 'string',
      description: 'Status',
      enum: ['active', 'inactive', 'pending'],
      default: 'active',
    },
    verified: { type: 'boolean', description: 'Verified', default: true },
  },
} as RequestedSchema;

const ENUMS_SCHEMA = {
  type: 'object',
  properties: {
    untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    titledSingle: {
      type: 'string',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: {
      type: 'string',
      enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    },
    untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
    titledMulti: {
      type: 'array',
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
} as RequestedSchema;

/**
 * Fixtures for the 2025 scenarios in which the server sends requests to the client over the session
 * (MCP 2025-11-25 client/sampling and client/elicitation). 2026-07-28 has no such push; there the SDK refuses the
 * request and the tool reports that as its error. Test fixtures only (MCP_CONFORMANCE_FIXTURES).
 */
@Injectable()
export class ClientRequestFixtures {
  @Tool({
    name: 'test_sampling',
    description: 'Asks the client to sample an LLM with the prompt.',
    input: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }),
  })
  async sampling({ prompt }: { prompt: string }, ctx: CallContext): Promise<CallToolResult> {
    return this.pushed(async () => {
      const result = await ctx.mcp.mcpReq.requestSampling({
        messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
        maxTokens: 100,
      });
      const content = Array.isArray(result.content) ? result.content[0] : result.content;
      return text(`LLM response: ${content?.type === 'text' ? content.text : JSON.stringify(content)}`);
    });
  }

  @Tool({
    name: 'test_elicitation',
    description: 'Asks the user, through the client, for a username and an email address.',
    input: z.object({ message: z.string().describe('The message to show the user') }),
  })
  async elicitation({ message }: { message: string }, ctx: CallContext): Promise<CallToolResult> {
    const requestedSchema = {
      type: 'object',
      properties: {
        username: { type: 'string', description: "User's response" },
        email: { type: 'string', description: "User's email address" },
      },
      required: ['username', 'email'],
    } as RequestedSchema;
    return this.pushed(async () => {
      const result = await ctx.mcp.mcpReq.elicitInput({ message, requestedSchema });
      return text(`User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
    });
  }

  @Tool({
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicits a form whose fields carry default values (SEP-1034).',
    input: z.object({}),
  })
  defaults(_args: unknown, ctx: CallContext): Promise<CallToolResult> {
    return this.elicitForm(ctx, 'Please review your profile (defaults filled in).', DEFAULTS_SCHEMA);
  }

  @Tool({
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicits a form with every enum shape (SEP-1330).',
    input: z.object({}),
  })
  enums(_args: unknown, ctx: CallContext): Promise<CallToolResult> {
    return this.elicitForm(ctx, 'Please choose your options.', ENUMS_SCHEMA);
  }

  private elicitForm(
    ctx: CallContext,
    message: string,
    requestedSchema: RequestedSchema,
  ): Promise<CallToolResult> {
    return this.pushed(async () => {
      const result = await ctx.mcp.mcpReq.elicitInput({ message, requestedSchema });
      return text(
        `Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`,
      );
    });
  }

  /** A client without the capability, or a 2026 request, gets the reason as the tool's error. */
  private async pushed(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
    try {
      return await run();
    } catch (error) {
      return { ...text(`The client could not be asked: ${(error as Error).message}`), isError: true };
    }
  }
}

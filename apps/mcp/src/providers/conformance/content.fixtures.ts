import { Injectable } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { Tool } from '../../registry/registry.decorators';
import type { CallContext } from '../../registry/registry.types';
import { PNG_BASE64, text, WAV_BASE64 } from './fixture-media';

const NO_ARGS = z.object({});
const STEP_MS = 50;

/**
 * Tools the conformance suite's tools-* scenarios call by name, with the content and the notifications each
 * scenario describes (MCP server/tools, utilities/logging, utilities/progress). Test fixtures only: registered
 * when MCP_CONFORMANCE_FIXTURES is on, never in production.
 */
@Injectable()
export class ContentFixtures {
  @Tool({ name: 'test_simple_text', description: 'Returns one text block.', input: NO_ARGS })
  simpleText(): Promise<CallToolResult> {
    return Promise.resolve(text('This is a simple text response for testing.'));
  }

  @Tool({ name: 'test_image_content', description: 'Returns one PNG image block.', input: NO_ARGS })
  image(): Promise<CallToolResult> {
    return Promise.resolve({ content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }] });
  }

  @Tool({ name: 'test_audio_content', description: 'Returns one WAV audio block.', input: NO_ARGS })
  audio(): Promise<CallToolResult> {
    return Promise.resolve({ content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }] });
  }

  @Tool({ name: 'test_embedded_resource', description: 'Returns an embedded text resource.', input: NO_ARGS })
  embedded(): Promise<CallToolResult> {
    const resource = {
      uri: 'test://embedded-resource',
      mimeType: 'text/plain',
      text: 'This is an embedded resource content.',
    };
    return Promise.resolve({ content: [{ type: 'resource', resource }] });
  }

  @Tool({
    name: 'test_multiple_content_types',
    description: 'Returns text, image and embedded resource blocks.',
    input: NO_ARGS,
  })
  mixed(): Promise<CallToolResult> {
    const resource = {
      uri: 'test://mixed-content-resource',
      mimeType: 'application/json',
      text: JSON.stringify({ test: 'data', value: 123 }),
    };
    return Promise.resolve({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
        { type: 'resource', resource },
      ],
    });
  }

  @Tool({
    name: 'test_tool_with_logging',
    description: 'Logs three info messages while it runs.',
    input: NO_ARGS,
  })
  async withLogging(_args: unknown, ctx: CallContext): Promise<CallToolResult> {
    await ctx.log('info', 'Tool execution started');
    await sleep(STEP_MS);
    await ctx.log('info', 'Tool processing data');
    await sleep(STEP_MS);
    await ctx.log('info', 'Tool execution completed');
    return text('Logging tool finished');
  }

  @Tool({
    name: 'test_logging_tool',
    description: 'Logs at info level; the client decides if it hears it.',
    input: NO_ARGS,
  })
  async logging(_args: unknown, ctx: CallContext): Promise<CallToolResult> {
    await ctx.log('info', 'test_logging_tool ran');
    return text('Logged once at info level');
  }

  @Tool({ name: 'test_error_handling', description: 'Always reports a tool error.', input: NO_ARGS })
  error(): Promise<CallToolResult> {
    return Promise.resolve({
      ...text('This tool intentionally returns an error for testing'),
      isError: true,
    });
  }

  @Tool({
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50 and 100 of 100.',
    input: NO_ARGS,
  })
  async withProgress(_args: unknown, ctx: CallContext): Promise<CallToolResult> {
    for (const progress of [0, 50, 100]) {
      if (progress > 0) await sleep(STEP_MS);
      await ctx.progress(progress, 100);
    }
    return text('Progress tool finished');
  }

  /** MCP 2025-11-25 transports, "Resumability": ends its SSE stream mid-call; the result waits for a resume. */
  @Tool({ name: 'test_reconnection', description: 'Closes its SSE stream, then answers.', input: NO_ARGS })
  async reconnection(_args: unknown, ctx: CallContext): Promise<CallToolResult> {
    ctx.mcp.http?.closeSSE?.();
    await sleep(2 * STEP_MS);
    return text('Reconnection test finished');
  }
}

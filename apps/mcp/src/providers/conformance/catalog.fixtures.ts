import { Injectable } from '@nestjs/common';
import {
  fromJsonSchema,
  type CallToolResult,
  type GetPromptResult,
  type JsonSchemaType,
  type ReadResourceResult,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { ChangeEvents } from '../../registry/change-events';
import { Prompt, Resource, Tool } from '../../registry/registry.decorators';
import { PNG_BASE64, text } from './fixture-media';

const NO_ARGS = z.object({});
const userText = (value: string) => ({
  role: 'user' as const,
  content: { type: 'text' as const, text: value },
});

/** A schema using the JSON Schema 2020-12 vocabulary MCP permits (SEP-1613, SEP-2106), kept verbatim. */
const RICH_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      $anchor: 'addressDef',
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
} as JsonSchemaType;

/**
 * The resources, prompts and catalogue tools the conformance scenarios address by name (MCP server/resources,
 * server/prompts, utilities/completion, SEP-2243 custom headers, list-changed hooks). Test fixtures only:
 * registered when MCP_CONFORMANCE_FIXTURES is on, never in production.
 */
@Injectable()
export class CatalogFixtures {
  constructor(private readonly changes: ChangeEvents) {}

  @Resource({
    name: 'static-text',
    description: 'A fixed text resource.',
    uri: 'test://static-text',
    mimeType: 'text/plain',
  })
  staticText(uri: URL): Promise<ReadResourceResult> {
    const contents = [
      { uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' },
    ];
    return Promise.resolve({ contents });
  }

  @Resource({
    name: 'static-binary',
    description: 'A fixed PNG resource.',
    uri: 'test://static-binary',
    mimeType: 'image/png',
  })
  staticBinary(uri: URL): Promise<ReadResourceResult> {
    return Promise.resolve({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG_BASE64 }] });
  }

  @Resource({
    name: 'template-data',
    description: 'JSON data for an id.',
    uriTemplate: 'test://template/{id}/data',
    mimeType: 'application/json',
  })
  templateData(uri: URL, variables: Record<string, string | string[]>): Promise<ReadResourceResult> {
    const id = String(variables.id);
    const data = JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` });
    return Promise.resolve({ contents: [{ uri: uri.href, mimeType: 'application/json', text: data }] });
  }

  @Resource({
    name: 'watched',
    description: 'A resource to subscribe to.',
    uri: 'test://watched-resource',
    mimeType: 'text/plain',
  })
  watched(uri: URL): Promise<ReadResourceResult> {
    return Promise.resolve({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content' }],
    });
  }

  @Prompt({ name: 'test_simple_prompt', description: 'A prompt without arguments.', args: {} })
  simplePrompt(): Promise<GetPromptResult> {
    return Promise.resolve({ messages: [userText('This is a simple prompt for testing.')] });
  }

  @Prompt({
    name: 'test_prompt_with_arguments',
    description: 'A prompt with two arguments.',
    args: {
      arg1: z.string().describe('First test argument'),
      arg2: z.string().describe('Second test argument'),
    },
    complete: { arg1: 'completeArgument', arg2: 'completeArgument' },
  })
  promptWithArguments(args: { arg1: string; arg2: string }): Promise<GetPromptResult> {
    return Promise.resolve({
      messages: [userText(`Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'`)],
    });
  }

  completeArgument(value: string): Promise<string[]> {
    return Promise.resolve(['paris', 'park', 'party'].filter((option) => option.startsWith(value)));
  }

  @Prompt({
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt embedding a resource.',
    args: { resourceUri: z.string().describe('URI of the resource to embed') },
  })
  promptWithResource({ resourceUri }: { resourceUri: string }): Promise<GetPromptResult> {
    const resource = {
      uri: resourceUri,
      mimeType: 'text/plain',
      text: 'Embedded resource content for testing.',
    };
    return Promise.resolve({
      messages: [
        { role: 'user', content: { type: 'resource', resource } },
        userText('Please process the embedded resource above.'),
      ],
    });
  }

  @Prompt({ name: 'test_prompt_with_image', description: 'A prompt with an image.', args: {} })
  promptWithImage(): Promise<GetPromptResult> {
    return Promise.resolve({
      messages: [
        { role: 'user', content: { type: 'image', data: PNG_BASE64, mimeType: 'image/png' } },
        userText('Please analyze the image above.'),
      ],
    });
  }

  @Tool({
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features',
    input: fromJsonSchema(RICH_SCHEMA),
  })
  richSchema(args: Record<string, unknown>): Promise<CallToolResult> {
    return Promise.resolve(text(`Received ${JSON.stringify(args)}`));
  }

  /** SEP-2243: `region` travels as the `Mcp-Param-Region` header too, and must say the same. */
  @Tool({
    name: 'test_header_param',
    description: 'Echoes a region that clients also send in the Mcp-Param-Region header.',
    input: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region', description: 'A region name' }) }),
  })
  headerParam({ region }: { region: string }): Promise<CallToolResult> {
    return Promise.resolve(text(`Region: ${region}`));
  }

  @Tool({ name: 'test_trigger_tool_change', description: 'Announces a tools/list change.', input: NO_ARGS })
  triggerToolChange(): Promise<CallToolResult> {
    this.changes.toolsChanged();
    return Promise.resolve(text('tools list_changed sent'));
  }

  @Tool({
    name: 'test_trigger_prompt_change',
    description: 'Announces a prompts/list change.',
    input: NO_ARGS,
  })
  triggerPromptChange(): Promise<CallToolResult> {
    this.changes.promptsChanged();
    return Promise.resolve(text('prompts list_changed sent'));
  }
}

import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { checkHeaderAgreement, HEADER_MISMATCH, type RequestHeaders } from './header-agreement';
import { decodeMcpHeaderValue } from './header-value';

const V = '2026-07-28';
const meta = (version = V) => ({
  'io.modelcontextprotocol/protocolVersion': version,
  'io.modelcontextprotocol/clientCapabilities': {},
});
const toolCall = (name = 'echo', version = V) => ({
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name, arguments: { text: 'hi' }, _meta: meta(version) },
});
const standard = (method: string, name?: string): RequestHeaders => ({
  'mcp-protocol-version': V,
  'mcp-method': method,
  ...(name === undefined ? {} : { 'mcp-name': name }),
});

interface Case {
  title: string;
  headers: RequestHeaders;
  body: Record<string, unknown>;
  refused: boolean;
}

/** Cases from SEP-2243's table and the conformance suite's http-header-validation scenario. */
const CASES: Case[] = [
  { title: 'agreeing headers', headers: standard('tools/call', 'echo'), body: toolCall(), refused: false },
  {
    title: 'Mcp-Method naming another method',
    headers: standard('prompts/list', 'echo'),
    body: toolCall(),
    refused: true,
  },
  {
    title: 'Mcp-Method in another case',
    headers: standard('TOOLS/CALL', 'echo'),
    body: toolCall(),
    refused: true,
  },
  {
    title: 'no Mcp-Method',
    headers: { 'mcp-protocol-version': V, 'mcp-name': 'echo' },
    body: toolCall(),
    refused: true,
  },
  {
    title: 'Mcp-Name naming another tool',
    headers: standard('tools/call', 'other'),
    body: toolCall(),
    refused: true,
  },
  {
    title: 'Mcp-Name with surrounding spaces',
    headers: standard('tools/call', '  echo\t'),
    body: toolCall(),
    refused: false,
  },
  { title: 'no Mcp-Name', headers: standard('tools/call'), body: toolCall(), refused: true },
  {
    title: 'Mcp-Name in Base64',
    headers: standard('tools/call', `=?base64?${Buffer.from('echo').toString('base64')}?=`),
    body: toolCall(),
    refused: false,
  },
  {
    title: 'Mcp-Name with bad Base64 padding',
    headers: standard('tools/call', '=?base64?ZWNobw?='),
    body: toolCall(),
    refused: true,
  },
  {
    title: 'no MCP-Protocol-Version',
    headers: { 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
    body: toolCall(),
    refused: true,
  },
  {
    title: 'a version header disagreeing with the envelope',
    headers: standard('tools/call', 'echo'),
    body: toolCall('echo', '2099-01-01'),
    refused: true,
  },
  {
    title: 'initialize with a 2026 version header',
    headers: standard('initialize'),
    body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25' } },
    refused: true,
  },
  {
    title: 'a 2025 request without any of the headers',
    headers: {},
    body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: {} } },
    refused: false,
  },
];

describe('checkHeaderAgreement (SEP-2243 header/body agreement)', () => {
  it.each(CASES)('$title', ({ headers, body, refused }) => {
    const verdict = checkHeaderAgreement('POST', headers, body);
    expect(verdict !== undefined).toBe(refused);
    if (verdict) {
      expect(verdict).toMatchObject({ httpStatus: 400, code: HEADER_MISMATCH });
      expect(verdict.message).toMatch(/^Bad Request: /);
    }
  });

  it('leaves GET, batches, responses and unparseable bodies alone', () => {
    expect(checkHeaderAgreement('GET', standard('x'), toolCall())).toBeUndefined();
    expect(checkHeaderAgreement('POST', standard('x'), [toolCall()])).toBeUndefined();
    expect(
      checkHeaderAgreement('POST', standard('x'), { jsonrpc: '2.0', id: 1, result: {} }),
    ).toBeUndefined();
    expect(checkHeaderAgreement('POST', standard('x'), 'nope')).toBeUndefined();
  });

  it('needs only an agreeing Mcp-Method on a 2026 notification', () => {
    const note = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { _meta: meta() } };
    expect(checkHeaderAgreement('POST', {}, note)).toBeUndefined();
    expect(checkHeaderAgreement('POST', { 'mcp-method': 'notifications/progress' }, note)).toBeDefined();
  });

  /** The SDK applies the same rule inside its own handler; the gateway can't call it, so the two must agree. */
  it('agrees with the official SDK server on every case', async () => {
    const handler = createMcpHandler(
      () => {
        const server = new McpServer({ name: 'agreement', version: '1' });
        server.registerTool(
          'echo',
          { description: 'echo', inputSchema: z.object({ text: z.string() }) },
          ({ text }) => ({
            content: [{ type: 'text', text }],
          }),
        );
        return server;
      },
      { legacy: 'reject' },
    );
    try {
      for (const { title, headers, body } of CASES.filter((c) => c.body.method !== 'initialize')) {
        const response = await handler.fetch(
          new Request('http://localhost/mcp', {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              ...(headers as Record<string, string>),
            },
            body: JSON.stringify(body),
          }),
        );
        const answer = (await response.json()) as { error?: { code: number } };
        const sdkRefused = answer.error?.code === HEADER_MISMATCH;
        const ours = checkHeaderAgreement('POST', headers, body) !== undefined;
        expect({ title, refused: sdkRefused }).toEqual({ title, refused: ours });
      }
    } finally {
      await handler.close();
    }
  });
});

describe('decodeMcpHeaderValue', () => {
  it('decodes the Base64 sentinel and keeps anything else literal', () => {
    expect(decodeMcpHeaderValue('=?base64?SGVsbG8sIOS4lueVjA==?=')).toBe('Hello, 世界');
    expect(decodeMcpHeaderValue('us-west1')).toBe('us-west1');
    expect(decodeMcpHeaderValue('SGVsbG8=')).toBe('SGVsbG8=');
    expect(decodeMcpHeaderValue('=?base64?SGVsbG8=')).toBe('=?base64?SGVsbG8=');
  });

  it('refuses a sentinel that is not canonical Base64 or not UTF-8', () => {
    expect(decodeMcpHeaderValue('=?base64?SGVsbG8?=')).toBeUndefined();
    expect(decodeMcpHeaderValue('=?base64?SGVs!!!bG8=?=')).toBeUndefined();
    expect(
      decodeMcpHeaderValue(`=?base64?${Buffer.from([0xff, 0xfe]).toString('base64')}?=`),
    ).toBeUndefined();
  });
});

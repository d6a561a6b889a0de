import { Readable } from 'node:stream';
import { parseProtectedResources } from '@app/protected-resources';
import { ListAnswers } from './list-filter';
import { MAX_SSE_EVENT_CHARS, SseListFilter } from './sse-list-filter';

const [resource] = parseProtectedResources([
  {
    path: '/x',
    upstream: 'http://x',
    scopes: ['x:admin'],
    tools: { nuke: ['x:admin'] },
    denyTools: ['debug'],
  },
]);
const answers = ListAnswers.of([{ jsonrpc: '2.0', id: 7, method: 'tools/list' }], resource, [
  'mcp:tools:read',
])!;

async function filter(chunks: (string | Buffer)[]): Promise<string> {
  let out = '';
  const stream = Readable.from(
    chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)),
  ).pipe(new SseListFilter(answers));
  for await (const chunk of stream) out += String(chunk);
  return out;
}

const answer = JSON.stringify({
  jsonrpc: '2.0',
  id: 7,
  result: { tools: [{ name: 'échô' }, { name: 'nuke' }, { name: 'debug' }] },
});

describe('SseListFilter', () => {
  it('rewrites the answer event, cut anywhere (even inside a UTF-8 character), and keeps the rest', async () => {
    const text = `: ping\n\nretry: 1000\n\nid: 1\nevent: message\ndata: ${answer}\n\ndata: {"jsonrpc":"2.0","method":"notifications/x"}\n\n`;
    const bytes = Buffer.from(text);
    const split = bytes.indexOf(Buffer.from('é')) + 1;
    const out = await filter([
      bytes.subarray(0, split),
      bytes.subarray(split, split + 3),
      bytes.subarray(split + 3),
    ]);
    expect(out).toBe(
      ': ping\n\nretry: 1000\n\n' +
        `id: 1\nevent: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 7, result: { tools: [{ name: 'échô' }] } })}\n\n` +
        'data: {"jsonrpc":"2.0","method":"notifications/x"}\n\n',
    );
  });

  it('passes events that are not JSON, or answer other requests, untouched', async () => {
    const other = JSON.stringify({ jsonrpc: '2.0', id: 8, result: { tools: [{ name: 'nuke' }] } });
    expect(await filter([`data: not json\n\ndata: ${other}\n\n`])).toBe(
      `data: not json\n\ndata: ${other}\n\n`,
    );
  });

  it('fails the stream rather than buffering an endless event', async () => {
    const huge = 'x'.repeat(MAX_SSE_EVENT_CHARS + 10);
    await expect(filter(['data: ', huge])).rejects.toThrow(/buffer/i);
  });
});

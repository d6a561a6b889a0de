import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transform } from 'node:stream';

/**
 * How a response body is rewritten on its way to the client: `stream` through a transform (SSE, events rewritten
 * as they come, never held whole), or `buffered` up to `limit` bytes and rewritten at once (one JSON document).
 */
export type BodyRewrite =
  | { kind: 'stream'; transform: Transform }
  | { kind: 'buffered'; limit: number; rewrite: (body: Buffer) => Buffer };

/**
 * Writes a rewritten response: the length changes, so Content-Length goes (a buffered body gets its new one). A
 * compressed body cannot be read, and a body past the limit cannot be checked: both fail closed through
 * `fail` (502, called before the upstream response is dropped), never passing unread content on.
 */
export function writeRewritten(
  proxyRes: IncomingMessage,
  res: ServerResponse,
  rewrite: BodyRewrite,
  fail: () => void,
): void {
  res.removeHeader('content-length');
  const encoding = proxyRes.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    fail();
    return void proxyRes.destroy();
  }
  if (rewrite.kind === 'stream') {
    res.setHeader('X-Accel-Buffering', 'no');
    res.writeHead(proxyRes.statusCode ?? 502);
    res.flushHeaders();
    proxyRes.pipe(rewrite.transform).pipe(res);
    rewrite.transform.once('error', () => res.destroy());
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  proxyRes.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > rewrite.limit) {
      fail();
      return void proxyRes.destroy();
    }
    chunks.push(chunk);
  });
  proxyRes.once('end', () => {
    const body = rewrite.rewrite(Buffer.concat(chunks, size));
    res.setHeader('Content-Length', body.length);
    res.writeHead(proxyRes.statusCode ?? 502);
    res.end(body);
  });
}

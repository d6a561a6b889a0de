import type { ServerResponse } from 'node:http';
import type { McpRequest } from './mcp-request';

/**
 * The Node <-> fetch bridge of the 2026-07-28 handler, for the requests the front door has read and parsed: the
 * SDK's `toNodeHandler` serialises the parsed body again into the web Request (the handler then uses the parsed
 * value it is given, never those bytes) and writes every answer as a stream, chunked, in several writes. Here a
 * parsed request carries no body, and an answer that is not an event stream is written once, with its length.
 * Anything else (an unparsed body, an SSE answer) is bridged as the SDK does it.
 */
export function webRequestOf(req: McpRequest, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const name in req.headers) {
    const value = req.headers[name];
    if (value === undefined || name.charCodeAt(0) === 58 /* ':' HTTP/2 pseudo-header */) continue;
    if (typeof value === 'string') headers.set(name, value);
    else for (const item of value) headers.append(name, item);
  }
  const host = req.headers.host ?? 'localhost';
  return new Request(`http://${host}${req.url ?? '/'}`, { method: req.method, headers, signal });
}

/** Writes the handler's answer: whole when it is JSON (or empty), as a stream that honours backpressure when not. */
export async function writeWebResponse(
  res: ServerResponse,
  response: Response,
  closed: Promise<void>,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  const type = response.headers.get('content-type') ?? '';
  if (response.body === null || !type.startsWith('text/event-stream')) {
    const body = response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
    headers['content-length'] = String(body?.length ?? 0);
    res.writeHead(response.status, headers);
    res.end(body);
    return;
  }
  res.writeHead(response.status, headers);
  let aborted = false;
  void closed.then(() => (aborted = true));
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (aborted) break;
      if (!res.write(chunk)) {
        await Promise.race([new Promise((resolve) => res.once('drain', resolve)), closed]);
      }
    }
  } catch {
    // The stream failed or was cancelled: end what was sent.
  }
  res.end();
}

import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export interface OpenStream {
  req: ClientRequest;
  res: IncomingMessage;
  /** Each chunk as it arrived, with the time it arrived. */
  chunks: { at: number; text: string }[];
  /** Resolves when the stream ends or breaks. */
  ended: Promise<void>;
}

/** Opens a streaming GET through the gateway and records chunks as they arrive. */
export function openStream(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: { accept: 'text/event-stream', ...headers },
      agent: false,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: OpenStream['chunks'] = [];
      res.setEncoding('utf8');
      res.on('data', (text: string) => chunks.push({ at: Date.now(), text }));
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
        res.on('error', () => done());
      });
      resolve({ req, res, chunks, ended });
    });
    req.end();
  });
}

/** Resolves once `predicate` holds, polling briefly; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

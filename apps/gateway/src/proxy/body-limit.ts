import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Counts a body whose size was not declared up front (chunked) on its way upstream. Past the limit it
 * forwards nothing more and calls `onExceeded` once; ending the stream normally would hand the upstream a
 * truncated but well-formed body, so the caller must abort the upstream request instead.
 */
export class BodyLimit extends Transform {
  private received = 0;
  private exceeded = false;

  constructor(
    private readonly limit: number,
    private readonly onExceeded: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.exceeded) return callback();
    this.received += chunk.length;
    if (this.received > this.limit) {
      this.exceeded = true;
      this.onExceeded();
      return callback();
    }
    callback(null, chunk);
  }
}

/**
 * Reads a whole request body of at most `limit` bytes, for the requests the gateway must see (checked MCP routes)
 * or may have to send twice (a pool of several instances). `too-large` past the limit (the rest is left unread:
 * answer and close); `aborted` when the client went away.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | 'too-large' | 'aborted') => {
      req.off('data', onData).off('end', onEnd).off('error', onAborted).off('aborted', onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) done('too-large');
      else chunks.push(chunk);
    };
    const onEnd = () => done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    const onAborted = () => done('aborted');
    req.on('data', onData).on('end', onEnd).on('error', onAborted).on('aborted', onAborted);
  });
}

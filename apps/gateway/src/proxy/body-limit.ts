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

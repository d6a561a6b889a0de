/** Reads JSON-RPC messages off an SSE response body as they arrive. */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private readonly queue: Record<string, unknown>[] = [];

  constructor(response: Response) {
    if (!response.body) throw new Error(`no body (HTTP ${response.status})`);
    this.reader = response.body.getReader();
  }

  /** The next message that satisfies `wanted`, skipping others; fails after `timeoutMs`. */
  async next(
    wanted: (message: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex(wanted);
      if (index !== -1) return this.queue.splice(index, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching SSE message within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no matching SSE message within ${timeoutMs} ms`)), left);
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error('the SSE stream ended');
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
      const events = this.buffer.split('\n\n');
      this.buffer = events.pop() ?? '';
      for (const event of events) {
        const data = event
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('');
        if (data) this.queue.push(JSON.parse(data) as Record<string, unknown>);
      }
    }
  }

  /** Messages already received and not yet taken. */
  get pending(): readonly Record<string, unknown>[] {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}

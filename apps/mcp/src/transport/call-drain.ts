import { Injectable } from '@nestjs/common';
import type { ServerContext, Transport } from '@modelcontextprotocol/server';
import type { ServerResponse } from 'node:http';

/** JSON-RPC 2.0 §5.1: -32000 to -32099 are the server's own errors; this one means "try again elsewhere or later". */
export const SHUTTING_DOWN_CODE = -32000;
export const SHUTTING_DOWN_MESSAGE = 'Server shutting down: the call could not finish; retry it';

type Answer = () => Promise<void>;

/**
 * The tool, resource and prompt calls running right now, and the POSTs on their way to one, so a shutdown can let
 * them finish and answer the calls that cannot (MCP: every request gets a response). The answer is a JSON-RPC
 * error sent on the call's own exchange (its transport, captured when the call started: pooled servers move on
 * to other exchanges); the SDK then drops the call's late result, as the request already has its response.
 */
@Injectable()
export class CallDrain {
  private readonly running = new Set<Answer>();
  /** POST exchanges not answered yet (still authenticating, or serving a call); streams are not counted. */
  private exchanges = 0;
  private onIdle?: () => void;

  /** Calls running now. */
  get size(): number {
    return this.running.size;
  }

  /**
   * Counts an exchange until its response closes (or `release` is called), so a drain also waits for requests
   * that have not reached a handler yet.
   */
  track(res: ServerResponse): () => void {
    this.exchanges++;
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      this.exchanges--;
      this.checkIdle();
    };
    res.once('close', release);
    return release;
  }

  async run<T>(ctx: ServerContext, transport: Transport | undefined, work: () => Promise<T>): Promise<T> {
    const answer: Answer = async () => {
      const error = { code: SHUTTING_DOWN_CODE, message: SHUTTING_DOWN_MESSAGE };
      await transport?.send({ jsonrpc: '2.0', id: ctx.mcpReq.id, error });
    };
    this.running.add(answer);
    try {
      return await work();
    } finally {
      this.running.delete(answer);
      this.checkIdle();
    }
  }

  /**
   * Waits up to `waitMs` for the running calls, then answers those still running with the shutdown error.
   * Returns how many had to be answered that way.
   */
  async drain(waitMs: number): Promise<number> {
    if (!this.idle) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const unfinished = [...this.running];
    this.running.clear();
    await Promise.allSettled(unfinished.map((answer) => answer()));
    return unfinished.length;
  }

  private get idle(): boolean {
    return this.running.size === 0 && this.exchanges === 0;
  }

  private checkIdle(): void {
    if (this.idle) this.onIdle?.();
  }
}

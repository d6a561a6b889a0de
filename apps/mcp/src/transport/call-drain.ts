import { Injectable } from '@nestjs/common';
import type { ServerContext, Transport } from '@modelcontextprotocol/server';

/** JSON-RPC 2.0 §5.1: -32000 to -32099 are the server's own errors; this one means "try again elsewhere or later". */
export const SHUTTING_DOWN_CODE = -32000;
export const SHUTTING_DOWN_MESSAGE = 'Server shutting down: the call could not finish; retry it';

type Answer = () => Promise<void>;

/**
 * The tool, resource and prompt calls running right now, so a shutdown can let them finish and answer the ones
 * that cannot (MCP: every request gets a response). The answer is a JSON-RPC error sent on the call's own
 * exchange (its transport, captured when the call started: pooled servers move on to other exchanges); the
 * SDK then drops the call's late result, as the request already has its response.
 */
@Injectable()
export class CallDrain {
  private readonly running = new Set<Answer>();
  private onIdle?: () => void;

  get size(): number {
    return this.running.size;
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
      if (this.running.size === 0) this.onIdle?.();
    }
  }

  /**
   * Waits up to `waitMs` for the running calls, then answers those still running with the shutdown error.
   * Returns how many had to be answered that way.
   */
  async drain(waitMs: number): Promise<number> {
    if (this.running.size > 0) {
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
}

import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mcpConfig } from '../../config/mcp.config';
import { Refusal } from '../../registry/refusal';
import { FairQueue } from './fair-queue';
import { MathWorker, type PendingMath } from './math-worker';

/** More waiting calculations than this, from everyone together, and new ones are refused at once. */
const MAX_QUEUED = 256;

/**
 * Evaluates expressions in a small pool of worker processes (MCP_MATH_WORKERS), each bounded in time and heap
 * (MathWorker); the server's event loop and heap never run user-chosen math. Waiting calculations are served
 * round-robin per caller (the token's subject), so a caller with many slow expressions queued delays another
 * caller's `1+1` by at most one of its own per worker. Workers start on demand.
 */
@Injectable()
export class MathSandbox implements OnApplicationShutdown {
  private readonly logger = new Logger(MathSandbox.name);
  private readonly queue = new FairQueue<PendingMath>();
  private readonly workers = new Set<MathWorker>();
  private nextId = 0;
  private closed = false;

  constructor(@Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>) {}

  /** `caller` is whom the queue is fair between: the token's subject. */
  evaluate(expression: string, caller = ''): Promise<string> {
    if (this.closed) return Promise.reject(new Refusal('The server is shutting down'));
    if (this.queue.size >= MAX_QUEUED) {
      return Promise.reject(new Refusal('The calculator is busy; try again shortly'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push(caller, { id: ++this.nextId, expression, resolve, reject });
      this.pump();
    });
  }

  /** Refuses what still waits and ends the workers (the drain has let running calls finish first). */
  onApplicationShutdown(): void {
    this.closed = true;
    for (const job of this.queue.clear()) job.reject(new Refusal('The server is shutting down'));
    for (const worker of [...this.workers]) worker.stop(new Refusal('The server is shutting down'));
  }

  private pump(): void {
    for (const worker of this.workers) {
      if (this.queue.size === 0) return;
      if (worker.idle) worker.run(this.queue.shift()!);
    }
    let starting = [...this.workers].filter((worker) => worker.starting).length;
    while (this.queue.size > starting && this.workers.size < this.config.env.MCP_MATH_WORKERS) {
      this.workers.add(this.spawn());
      starting++;
    }
  }

  private spawn(): MathWorker {
    const { MCP_MATH_MEMORY_MB, MCP_MATH_TIMEOUT_MS } = this.config.env;
    return new MathWorker(MCP_MATH_MEMORY_MB, MCP_MATH_TIMEOUT_MS, {
      idle: () => this.pump(),
      exited: (worker, started) => {
        this.workers.delete(worker);
        if (this.closed) return;
        // A worker that dies before it is ready would die again: refuse the waiting jobs instead of respawning.
        if (!started) {
          this.logger.error('math worker did not start');
          for (const job of this.queue.clear()) job.reject(new Refusal('The calculator is unavailable'));
        }
        this.pump();
      },
    });
  }
}

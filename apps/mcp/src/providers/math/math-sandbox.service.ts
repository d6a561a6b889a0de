import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { extname, join } from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { mcpConfig } from '../../config/mcp.config';
import { Refusal } from '../../registry/refusal';
import type { MathAnswer, MathJob } from './math.worker';

interface Pending extends MathJob {
  resolve(result: string): void;
  reject(error: Error): void;
}

/** More waiting calculations than this and new ones are refused at once instead of queueing without end. */
const MAX_QUEUED = 64;

/**
 * Evaluates expressions in one worker process, one at a time, each bounded in time (MCP_MATH_TIMEOUT_MS) and the
 * worker in heap (MCP_MATH_MEMORY_MB). A calculation past either bound is refused and the worker replaced;
 * the server's event loop and heap never run user-chosen math. The worker starts on first use.
 */
@Injectable()
export class MathSandbox implements OnModuleDestroy {
  private readonly logger = new Logger(MathSandbox.name);
  private readonly queue: Pending[] = [];
  private worker?: ChildProcess;
  private ready = false;
  private running?: Pending;
  private timer?: NodeJS.Timeout;
  private nextId = 0;

  constructor(@Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>) {}

  evaluate(expression: string): Promise<string> {
    if (this.queue.length >= MAX_QUEUED) {
      return Promise.reject(new Refusal('The calculator is busy; try again shortly'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.nextId, expression, resolve, reject });
      this.pump();
    });
  }

  onModuleDestroy(): void {
    for (const job of this.queue.splice(0)) job.reject(new Refusal('The server is shutting down'));
    this.stop(new Refusal('The server is shutting down'));
  }

  private pump(): void {
    if (!this.worker) this.worker = this.spawn();
    if (!this.ready || this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    const ms = this.config.env.MCP_MATH_TIMEOUT_MS;
    this.timer = setTimeout(
      () => this.stop(new Refusal(`Expression refused: took longer than ${ms} ms`)),
      ms,
    );
    this.worker.send({ id: job.id, expression: job.expression } satisfies MathJob);
  }

  private spawn(): ChildProcess {
    const worker = forkWorker(this.config.env.MCP_MATH_MEMORY_MB);
    // Never what keeps the server (or a test run) alive; onModuleDestroy ends it.
    worker.unref();
    worker.channel?.unref();
    worker.on('message', (message: MathAnswer | 'ready') => {
      if (message === 'ready') this.ready = true;
      else this.settle(message);
      this.pump();
    });
    worker.on('error', (error) => {
      this.logger.error(`math worker failed: ${error.message}`);
      this.stop(new Refusal('Cannot evaluate expression'), worker);
    });
    // Killed by V8 for want of heap (or by anything else) while a job ran: that job is the reason.
    worker.on('exit', () =>
      this.stop(new Refusal('Expression refused: it needs more memory than allowed'), worker),
    );
    return worker;
  }

  private settle(answer: MathAnswer): void {
    const job = this.running;
    if (!job || job.id !== answer.id) return;
    clearTimeout(this.timer);
    this.running = undefined;
    if ('result' in answer) job.resolve(answer.result);
    else job.reject(new Refusal(answer.refusal));
  }

  /** Ends the current worker (if it is still `which`), refusing the job it was running; the next job respawns. */
  private stop(reason: Error, which: ChildProcess | undefined = this.worker): void {
    if (!which || which !== this.worker) return;
    clearTimeout(this.timer);
    const started = this.ready;
    this.worker = undefined;
    this.ready = false;
    const job = this.running;
    this.running = undefined;
    job?.reject(reason);
    which.kill('SIGKILL');
    // A worker that dies before it is ready would die again: refuse the waiting jobs instead of respawning.
    if (!started) {
      this.logger.error('math worker did not start');
      for (const waiting of this.queue.splice(0))
        waiting.reject(new Refusal('The calculator is unavailable'));
    }
    if (this.queue.length > 0) this.pump();
  }
}

/** What ts-node and the TypeScript compiler occupy in a worker that runs from source. */
const TS_NODE_HEAP_MB = 256;

/**
 * The compiled app forks `math.worker.js` with the configured heap limit. Under ts-node or Jest the source is
 * TypeScript, so the worker preloads ts-node (a development dependency) and gets room for the compiler.
 */
function forkWorker(memoryMb: number): ChildProcess {
  const source = extname(__filename) === '.ts';
  const heap = `--max-old-space-size=${memoryMb + (source ? TS_NODE_HEAP_MB : 0)}`;
  return fork(join(__dirname, `math.worker${extname(__filename)}`), [], {
    execArgv: source ? [heap, '-r', 'ts-node/register/transpile-only'] : [heap],
    env: {},
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'json',
  });
}

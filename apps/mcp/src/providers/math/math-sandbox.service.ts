import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { McpConfig } from '../../config/mcp.config';
import { MCP_CONFIG_TOKEN } from '../../config/mcp-config.token';
import { Refusal } from '../../registry/refusal';
import type { MathAnswer, MathJob } from './math.worker';

interface Pending extends MathJob {
  resolve(result: string): void;
  reject(error: Error): void;
}

/** More waiting calculations than this and new ones are refused at once instead of queueing without end. */
const MAX_QUEUED = 64;

/**
 * Evaluates expressions in one worker thread, one at a time, each bounded in time (MCP_MATH_TIMEOUT_MS) and the
 * worker in heap (MCP_MATH_MEMORY_MB). A calculation past either bound is refused and the worker replaced;
 * the event loop serving every other request never runs user-chosen math. The worker starts on first use.
 */
@Injectable()
export class MathSandbox implements OnModuleDestroy {
  private readonly logger = new Logger(MathSandbox.name);
  private readonly queue: Pending[] = [];
  private worker?: Worker;
  private ready = false;
  private running?: Pending;
  private timer?: NodeJS.Timeout;
  private nextId = 0;

  constructor(@Inject(MCP_CONFIG_TOKEN) private readonly config: McpConfig) {}

  evaluate(expression: string): Promise<string> {
    if (this.queue.length >= MAX_QUEUED) {
      return Promise.reject(new Refusal('The calculator is busy; try again shortly'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.nextId, expression, resolve, reject });
      this.pump();
    });
  }

  onModuleDestroy(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new Refusal('The server is shutting down'));
    return this.stop(new Refusal('The server is shutting down'));
  }

  private pump(): void {
    if (!this.worker) this.worker = this.spawn();
    if (!this.ready || this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    const ms = this.config.env.MCP_MATH_TIMEOUT_MS;
    this.timer = setTimeout(
      () => void this.stop(new Refusal(`Expression refused: took longer than ${ms} ms`)),
      ms,
    );
    this.worker.postMessage({ id: job.id, expression: job.expression } satisfies MathJob);
  }

  private spawn(): Worker {
    const worker = createWorker(this.config.env.MCP_MATH_MEMORY_MB);
    // worker.unref();
    worker.on('message', (message: MathAnswer | 'ready') => {
      if (message === 'ready') this.ready = true;
      else this.settle(message);
      this.pump();
    });
    worker.on('error', (error: NodeJS.ErrnoException) => {
      const refusal =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new Refusal('Expression refused: it needs more memory than allowed')
          : new Refusal('Cannot evaluate expression');
      if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY')
        this.logger.error(`math worker failed: ${error.message}`);
      void this.stop(refusal, worker);
    });
    worker.on('exit', () => void this.stop(new Refusal('Cannot evaluate expression'), worker));
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
  private async stop(reason: Error, which: Worker | undefined = this.worker): Promise<void> {
    if (!which || which !== this.worker) return;
    clearTimeout(this.timer);
    this.worker = undefined;
    this.ready = false;
    const job = this.running;
    this.running = undefined;
    job?.reject(reason);
    await which.terminate();
    if (this.queue.length > 0) this.pump();
  }
}

/**
 * The compiled app runs `math.worker.js`; under ts-node or Jest the source is TypeScript, so the worker
 * registers ts-node (a development dependency) before loading it.
 */
function createWorker(memoryMb: number): Worker {
  const script = join(__dirname, `math.worker${extname(__filename)}`);
  const resourceLimits = { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 8, stackSizeMb: 4 };
  if (extname(__filename) !== '.ts') return new Worker(script, { resourceLimits });
  const bootstrap =
    `require('ts-node').register({ transpileOnly: true, projectSearchDir: ${JSON.stringify(__dirname)} });` +
    `require(${JSON.stringify(script)});`;
  return new Worker(bootstrap, { eval: true, resourceLimits });
}

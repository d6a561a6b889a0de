import { fork, type ChildProcess } from 'node:child_process';
import { extname, join } from 'node:path';
import { Refusal } from '../../registry/refusal';
import type { MathAnswer, MathJob } from './math.worker';

export interface PendingMath extends MathJob {
  resolve(result: string): void;
  reject(error: Error): void;
}

export interface MathWorkerEvents {
  /** The worker can take a job (it started, or finished one). */
  idle(worker: MathWorker): void;
  /** The worker is gone; `started` says whether it had ever become ready. Its job, if any, was refused. */
  exited(worker: MathWorker, started: boolean): void;
}

/** What ts-node and the TypeScript compiler occupy in a worker that runs from source. */
const TS_NODE_HEAP_MB = 256;

/**
 * One child process evaluating one expression at a time, each bounded in time (`timeoutMs`) and the process in
 * heap (`memoryMb`): past either bound the job is refused and the process killed; its owner starts another.
 */
export class MathWorker {
  private readonly child: ChildProcess;
  private ready = false;
  private alive = true;
  private job?: PendingMath;
  private timer?: NodeJS.Timeout;

  constructor(
    memoryMb: number,
    private readonly timeoutMs: number,
    private readonly events: MathWorkerEvents,
  ) {
    this.child = forkWorker(memoryMb);
    // Never what keeps the server (or a test run) alive; the sandbox ends it on shutdown.
    this.child.unref();
    this.child.channel?.unref();
    this.child.on('message', (message: MathAnswer | 'ready') => {
      if (message === 'ready') this.ready = true;
      else this.settle(message);
      if (this.idle) this.events.idle(this);
    });
    this.child.on('error', () => this.stop(new Refusal('Cannot evaluate expression')));
    // Killed by V8 for want of heap (or by anything else) while a job ran: that job is the reason.
    this.child.on('exit', () =>
      this.stop(new Refusal('Expression refused: it needs more memory than allowed')),
    );
  }

  get idle(): boolean {
    return this.alive && this.ready && this.job === undefined;
  }

  get starting(): boolean {
    return this.alive && !this.ready;
  }

  run(job: PendingMath): void {
    this.job = job;
    this.timer = setTimeout(
      () => this.stop(new Refusal(`Expression refused: took longer than ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    this.child.send({ id: job.id, expression: job.expression } satisfies MathJob);
  }

  /** Ends the process, refusing its job with `reason`. */
  stop(reason: Error): void {
    if (!this.alive) return;
    this.alive = false;
    clearTimeout(this.timer);
    const job = this.job;
    this.job = undefined;
    job?.reject(reason);
    this.child.kill('SIGKILL');
    this.events.exited(this, this.ready);
  }

  private settle(answer: MathAnswer): void {
    const job = this.job;
    if (!job || job.id !== answer.id) return;
    clearTimeout(this.timer);
    this.job = undefined;
    if ('result' in answer) job.resolve(answer.result);
    else job.reject(new Refusal(answer.refusal));
  }
}

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

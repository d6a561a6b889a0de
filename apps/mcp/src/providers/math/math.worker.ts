import { parentPort } from 'node:worker_threads';
import { Refusal } from '../../registry/refusal';
import { evaluateExpression } from './safe-math';

/** Messages between MathSandbox (main thread) and this worker. */
export interface MathJob {
  id: number;
  expression: string;
}

export type MathAnswer = { id: number; result: string } | { id: number; refusal: string };

/**
 * Runs inside a worker thread with a memory limit, so an expression that loops or allocates without end costs
 * this thread (terminated and replaced by MathSandbox), never the server's event loop or heap.
 */
parentPort?.on('message', ({ id, expression }: MathJob) => {
  let answer: MathAnswer;
  try {
    answer = { id, result: evaluateExpression(expression) };
  } catch (error) {
    const message = error instanceof Refusal ? error.message : 'Cannot evaluate expression';
    answer = { id, refusal: message };
  }
  parentPort!.postMessage(answer);
});
parentPort?.postMessage('ready');

import { Refusal } from '../../registry/refusal';
import { evaluateExpression } from './safe-math';

/** Messages between MathSandbox (the server) and this worker process. */
export interface MathJob {
  id: number;
  expression: string;
}

export type MathAnswer = { id: number; result: string } | { id: number; refusal: string };

/**
 * Runs in a child process with its own small heap: an expression that loops or allocates without end costs
 * this process (killed and replaced by MathSandbox), never the server. A worker thread is not enough, as V8
 * aborts the whole process when one allocation alone is larger than a thread's heap limit.
 */
process.on('message', ({ id, expression }: MathJob) => {
  let answer: MathAnswer;
  try {
    answer = { id, result: evaluateExpression(expression) };
  } catch (error) {
    answer = { id, refusal: error instanceof Refusal ? error.message : 'Cannot evaluate expression' };
  }
  process.send?.(answer);
});
// The server went away: nothing is left to answer.
process.on('disconnect', () => process.exit(0));
process.send?.('ready');

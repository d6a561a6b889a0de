import { loadMcpConfig } from '../../config/mcp.config';
import { Refusal } from '../../registry/refusal';
import { MathSandbox } from './math-sandbox.service';

const SLOW = Array(8).fill('isPrime(9007199254740881)').join(' + ');
/** An eighth of SLOW: about half a second of work. */
const HEAVY = 'isPrime(9007199254740881)';
const DOUBLING = `a = [1,2,3,4,5,6,7,8]; ${'a = concat(a, a); '.repeat(26)} size(a)`;

// Each test may start a worker (ts-node from source) and wait for a time or memory limit to trip.
jest.setTimeout(30_000);

describe('MathSandbox', () => {
  let sandbox: MathSandbox;

  beforeAll(() => {
    sandbox = new MathSandbox(
      loadMcpConfig({ MCP_MATH_TIMEOUT_MS: '400', MCP_MATH_MEMORY_MB: '32', MCP_MATH_WORKERS: '1' }),
    );
  });

  afterAll(() => sandbox.onApplicationShutdown());

  it('evaluates in the worker and refuses what safe-math refuses', async () => {
    await expect(sandbox.evaluate('2 * (3 + 4) ^ 2')).resolves.toBe('98');
    await expect(sandbox.evaluate('import({a: 1})')).rejects.toThrow(/import is disabled/);
  });

  it('stops a calculation past the time limit, and the next one still works', async () => {
    await expect(sandbox.evaluate(SLOW)).rejects.toThrow(/took longer than 400 ms/);
    await expect(sandbox.evaluate('1 + 1')).resolves.toBe('2');
  });

  it('stops a calculation past the memory limit without harming this process', async () => {
    const memoryBound = new MathSandbox(
      loadMcpConfig({ MCP_MATH_TIMEOUT_MS: '20000', MCP_MATH_MEMORY_MB: '32' }),
    );
    try {
      const refusal = await memoryBound.evaluate(DOUBLING).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(Refusal);
      expect((refusal as Error).message).toMatch(/more memory than allowed/);
      await expect(memoryBound.evaluate('sqrt(16)')).resolves.toBe('4');
    } finally {
      memoryBound.onApplicationShutdown();
    }
  });

  it('answers queued calculations in order once a slow one is stopped', async () => {
    const results = await Promise.allSettled([
      sandbox.evaluate(SLOW),
      sandbox.evaluate('1 + 2'),
      sandbox.evaluate('3 * 3'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(results.slice(1).map((r) => (r as PromiseFulfilledResult<string>).value)).toEqual(['3', '9']);
  });

  it("serves callers in turn: one caller's queue of heavy expressions delays another's 1+1 by one of them", async () => {
    // Heavy but within the time limit: no worker is killed and restarted, the order is the queue's alone.
    const fair = new MathSandbox(
      loadMcpConfig({ MCP_MATH_TIMEOUT_MS: '5000', MCP_MATH_MEMORY_MB: '32', MCP_MATH_WORKERS: '1' }),
    );
    try {
      await fair.evaluate('0', 'warm-up');
      const settled: string[] = [];
      const note = (label: string) => () => void settled.push(label);
      const heavy = Array.from({ length: 4 }, (_, i) =>
        fair.evaluate(HEAVY, 'mallory').then(note(`mallory-${i}`), note(`mallory-${i}`)),
      );
      await expect(fair.evaluate('1 + 1', 'alice').finally(note('alice'))).resolves.toBe('2');
      await Promise.all(heavy);
      // mallory-0 was running and mallory-1 already waiting when alice came: then alice, whatever else
      // mallory queued (first come, first served would have made alice wait for all four).
      expect(settled.slice(0, 3)).toEqual(['mallory-0', 'mallory-1', 'alice']);
    } finally {
      fair.onApplicationShutdown();
    }
  });

  it('runs expressions side by side on MCP_MATH_WORKERS processes', async () => {
    const pool = new MathSandbox(
      loadMcpConfig({ MCP_MATH_TIMEOUT_MS: '1500', MCP_MATH_MEMORY_MB: '32', MCP_MATH_WORKERS: '2' }),
    );
    try {
      // Two callers at once start both workers.
      await Promise.all([pool.evaluate('1 + 1', 'a'), pool.evaluate('2 + 2', 'b')]);
      const settled: string[] = [];
      const slow = pool.evaluate(SLOW, 'a').then(
        () => settled.push('slow'),
        () => settled.push('slow'),
      );
      // On one worker this would queue behind SLOW until its time limit; on two it is answered meanwhile.
      await expect(pool.evaluate('3 * 3', 'b').finally(() => settled.push('quick'))).resolves.toBe('9');
      await slow;
      expect(settled).toEqual(['quick', 'slow']);
    } finally {
      pool.onApplicationShutdown();
    }
  });

  it('refuses new work once shut down', async () => {
    const closed = new MathSandbox(loadMcpConfig({}));
    closed.onApplicationShutdown();
    await expect(closed.evaluate('1 + 1')).rejects.toThrow(/shutting down/);
  });
});

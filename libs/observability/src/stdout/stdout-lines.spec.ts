import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { STDOUT_BATCH } from './stdout-lines';

/** Runs `code` in a fresh Node process with stdoutLines() as `out`; resolves with its stdout as lines as they come. */
function child(code: string) {
  const script = `const out = require(${JSON.stringify(join(__dirname, 'stdout-lines.ts'))}).stdoutLines();\n${code}`;
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const seen: { line: string; at: number }[] = [];
  let partial = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    for (const line of parts) seen.push({ line, at: performance.now() });
  });
  const exited = new Promise<number | null>((resolve) => proc.once('close', resolve));
  return { seen, exited, proc };
}

describe('stdoutLines', () => {
  it('loses no line when the process exits right after writing them (process.exit, as after a graceful shutdown)', async () => {
    const { seen, exited } = child(
      'for (let i = 0; i < 20000; i++) out.write(JSON.stringify({ i, msg: "x".repeat(100) }) + "\\n");\nprocess.exit(0);',
    );
    expect(await exited).toBe(0);
    expect(seen.map(({ line }) => (JSON.parse(line) as { i: number }).i)).toEqual(
      Array.from({ length: 20000 }, (_, i) => i),
    );
  }, 30_000);

  it('writes a lone line within the flush period, while the process idles', async () => {
    const { seen, exited, proc } = child('out.write("alone\\n");\nsetTimeout(() => {}, 10000);');
    const started = performance.now();
    while (seen.length === 0 && performance.now() - started < 5000)
      await new Promise((r) => setTimeout(r, 10));
    expect(seen.map(({ line }) => line)).toEqual(['alone']);
    // The child needs a moment to start; the line itself waits at most one flush period once written.
    expect(seen[0].at - started).toBeLessThan(3000 + STDOUT_BATCH.periodicFlushMs);
    proc.kill('SIGTERM');
    await exited;
  }, 30_000);
});

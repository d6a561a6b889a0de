import { fork } from 'node:child_process';
import { join } from 'node:path';

export interface AuthzProcess {
  url: string;
  /** Memory of the authz process after a full garbage collection. */
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

/** Starts authz in its own process (TypeScript transpiled on load), so what it measures is authz alone. */
export function startAuthzProcess(env: Record<string, string>): Promise<AuthzProcess> {
  const child = fork(join(__dirname, 'authz.process.ts'), [], {
    execArgv: ['--expose-gc', '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = <T>(pick: (message: unknown) => T | undefined) =>
    new Promise<T>((resolve) => {
      const listener = (message: unknown) => {
        const picked = pick(message);
        if (picked === undefined) return;
        child.off('message', listener);
        resolve(picked);
      };
      child.on('message', listener);
    });
  return new Promise((resolve, reject) => {
    const failed = (code: number | null) => reject(new Error(`authz process exited with ${code}`));
    child.once('exit', failed);
    void next((message) => (message as { port?: number }).port).then((port) => {
      child.off('exit', failed);
      resolve({
        url: `http://127.0.0.1:${port}`,
        memory: () => {
          const answer = next((message) => (message as { memory?: NodeJS.MemoryUsage }).memory);
          child.send('memory');
          return answer;
        },
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.disconnect();
          }),
      });
    });
  });
}

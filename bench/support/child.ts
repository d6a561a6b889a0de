import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface Child {
  pid: number;
  port: number;
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs a server script (a path relative to bench/) in its own process, so the load generator, the gateway and the upstream do not
 * share an event loop. The script reports `{ port }` over IPC once it listens.
 */
export function startChild(script: string, env: Record<string, string> = {}): Promise<Child> {
  const child: ChildProcess = fork(join(__dirname, '..', script), [], {
    // Not ts-node: it loads node:domain, which slows every event in the process (see transpile.register.js).
    execArgv: ['-r', join(__dirname, 'transpile.register.js'), '-r', 'tsconfig-paths/register'],
    env: { ...process.env, ...env },
    // stdout carries the apps' JSON logs (written and discarded, as a log shipper would take them); errors show.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in time`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      resolve({
        pid: child.pid!,
        port: message.port,
        url: `http://127.0.0.1:${message.port}`,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

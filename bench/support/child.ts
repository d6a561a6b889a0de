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
function forkScript(script: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  return fork(join(__dirname, '..', script), [], {
    execArgv: [
      // TypeScript servers are compiled in memory, not by ts-node: it loads node:domain, which slows every event
      // in the process (see transpile.register.js). The apps run compiled (app.server.js), as deployed.
      ...(script.endsWith('.ts')
        ? ['-r', join(__dirname, 'transpile.register.js'), '-r', 'tsconfig-paths/register']
        : []),
      // BENCH_CPU_PROF=<dir>: every server process writes a V8 CPU profile there when it stops.
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      // BENCH_NODE_ARGS: more flags for every server process (e.g. --heapsnapshot-signal=SIGUSR2).
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...nodeArgs,
    ],
    env: { ...process.env, ...env },
    // stdout carries the apps' JSON logs (written and discarded, as a log shipper would take them); errors show.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

export function startChild(
  script: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<Child> {
  const child = forkScript(script, env, nodeArgs);
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

/** Runs a script that measures something on its own (one core, no server) and answers with one IPC message. */
export function runOnce<T>(script: string, env: Record<string, string> = {}): Promise<T> {
  const child = forkScript(script, env);
  return new Promise((resolve, reject) => {
    let answer: T | undefined;
    child.once('message', (message: T) => (answer = message));
    child.once('exit', (code) =>
      answer === undefined ? reject(new Error(`${script} exited with ${code}`)) : resolve(answer),
    );
  });
}

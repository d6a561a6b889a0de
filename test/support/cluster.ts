import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** One process of scripts/cluster-plan.js. */
export interface PlannedProcess {
  name: string;
  app: string;
  command: string[];
  env: Record<string, string>;
}

export interface ClusterPorts {
  gateway: number;
  gatewayAdmin: number;
  authz: number[];
  mcp: number[];
}

interface ClusterPlanModule {
  clusterPlan(options: {
    storeUrl: string;
    keysEncryptionKey: string;
    ports: ClusterPorts;
    publicUrl?: string;
    env?: Record<string, string>;
  }): PlannedProcess[];
}

const ROOT = join(__dirname, '..', '..');
// The plan is the plain CommonJS module `npm run start:cluster` and compose.yaml's test read too.
const load = createRequire(__filename);
export const { clusterPlan } = load(join(ROOT, 'scripts', 'cluster-plan.js')) as ClusterPlanModule;

const READY = /listening on http/;
const START_TIMEOUT_MS = 60_000;

/** `node scripts/build-if-stale.js`, as `npm start` and `npm run start:cluster` do: compiles only when stale. */
export function buildIfStale(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.js')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * The planned processes, run as the compiled apps with exactly the plan's command and environment (plus PATH);
 * every line they print is kept, and shown when one fails to start.
 */
export class ProcessCluster {
  readonly lines: string[] = [];
  private readonly running = new Map<string, Running>();

  constructor(private readonly plan: PlannedProcess[]) {}

  /** Starts every process not running; resolves once each has logged that it listens. */
  async start(): Promise<void> {
    const waits = this.plan
      .filter((entry) => !this.running.has(entry.name))
      .map((entry) => this.spawn(entry));
    await Promise.all(waits);
  }

  /** Ends one process now (SIGKILL: a crash, nothing drained); resolves once it is gone. */
  async kill(name: string): Promise<void> {
    const running = this.running.get(name);
    running?.child.kill('SIGKILL');
    await running?.exited;
  }

  /** SIGTERM to every process (they drain), resolves once all have exited. */
  async stop(): Promise<void> {
    for (const { child } of this.running.values()) child.kill('SIGTERM');
    await Promise.all([...this.running.values()].map(({ exited }) => exited));
  }

  private spawn(entry: PlannedProcess): Promise<void> {
    const [, ...args] = entry.command; // `node`: the Node running the tests (the project's Node 24)
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...entry.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        this.lines.push(`${entry.name} | exited with ${signal ?? `code ${code}`}`);
        resolve();
      }),
    );
    this.running.set(entry.name, { child, exited });
    void exited.then(() => this.running.delete(entry.name));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(`did not listen within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new Error(`${entry.name} ${why}:\n${this.lines.join('\n')}`));
      };
      for (const stream of [child.stdout!, child.stderr!]) {
        createInterface({ input: stream }).on('line', (line) => {
          this.lines.push(`${entry.name} | ${line}`);
          if (READY.test(line)) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
      void exited.then(() => fail('exited'));
    });
  }
}

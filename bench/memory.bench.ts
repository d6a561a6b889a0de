import { setTimeout as sleep } from 'node:timers/promises';
import { ADD, startMcpStack } from './scenarios';
import { measure, type Sample } from './support/measure';
import { rssMiB } from './support/proc-stats';

export interface MemoryResult {
  /**
   * RSS in MiB per app: idle after boot, idle after a warm-up, idle after `calls` more tools/call; then the same
   * after a full garbage collection (V8 keeps the heap it grew under load until it needs it back).
   */
  rssMiB: Record<'boot' | 'warm' | 'after', Record<string, number>>;
  rssAfterGcMiB: Record<'boot' | 'warm' | 'after', Record<string, number>>;
  warmUpCalls: number;
  calls: number;
  load: Sample;
}

const IDLE_MS = 3000;
const rssOf = (processes: Record<string, { pid: number }>) =>
  Object.fromEntries(Object.entries(processes).map(([name, { pid }]) => [name, rssMiB(pid) ?? Number.NaN]));

/** RSS now, then after a full collection in each app (support/app.server.js, started with --expose-gc). */
async function measureRss(processes: Record<string, { pid: number }>) {
  await sleep(IDLE_MS);
  const raw = rssOf(processes);
  for (const { pid } of Object.values(processes)) process.kill(pid, 'SIGUSR2');
  await sleep(1000);
  return { raw, collected: rssOf(processes) };
}

/**
 * Resident memory of each app (compiled, as deployed): idle after boot, after a warm-up (JIT code, pools and
 * caches filled), then after `calls` tools/call through the gateway (MCP 2026-07-28, one token): memory that
 * grows with the number of requests served, rather than with the load, shows between the last two.
 */
export async function runMemory(
  connections: number,
  calls: number,
  warmUpCalls: number,
): Promise<MemoryResult> {
  const run = await startMcpStack('modern', { tool: ADD, nodeArgs: ['--expose-gc'] });
  try {
    const { gateway, mcp, authz } = run.processes;
    const apps = { gateway, mcp, authz };
    const boot = await measureRss(apps);
    const options = { durationSeconds: 0, connections };
    await measure(run.gateway, run.request, { ...options, amount: warmUpCalls });
    const warm = await measureRss(apps);
    const load = await measure(run.gateway, run.request, { ...options, amount: calls }, apps);
    const after = await measureRss(apps);
    for (const [name, m] of Object.entries({ boot, warm, after })) {
      console.log(
        `  RSS MiB ${name} ${JSON.stringify(m.raw)}, after a full GC ${JSON.stringify(m.collected)}`,
      );
    }
    return {
      rssMiB: { boot: boot.raw, warm: warm.raw, after: after.raw },
      rssAfterGcMiB: { boot: boot.collected, warm: warm.collected, after: after.collected },
      warmUpCalls,
      calls,
      load,
    };
  } finally {
    await run.stop();
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { startMcpStack } from './scenarios';
import { ADD } from './scenarios';
import { measure, type Sample } from './support/measure';
import { rssMiB } from './support/proc-stats';

export interface MemoryResult {
  /** RSS in MiB per app: idle after boot, idle after a warm-up, idle after `calls` more tools/call. */
  rssMiB: Record<'boot' | 'warm' | 'after', Record<string, number>>;
  warmUpCalls: number;
  calls: number;
  load: Sample;
}

const IDLE_MS = 3000;
const rssOf = (processes: Record<string, { pid: number }>) =>
  Object.fromEntries(Object.entries(processes).map(([name, { pid }]) => [name, rssMiB(pid) ?? Number.NaN]));

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
  const run = await startMcpStack('modern', { tool: ADD });
  try {
    const { gateway, mcp, authz } = run.processes;
    const apps = { gateway, mcp, authz };
    await sleep(IDLE_MS);
    const boot = rssOf(apps);
    const options = { durationSeconds: 0, connections };
    await measure(run.gateway, run.request, { ...options, amount: warmUpCalls });
    await sleep(IDLE_MS);
    const warm = rssOf(apps);
    const load = await measure(run.gateway, run.request, { ...options, amount: calls }, apps);
    await sleep(IDLE_MS);
    const after = rssOf(apps);
    console.log(
      `  RSS MiB boot ${JSON.stringify(boot)} warm ${JSON.stringify(warm)} after ${JSON.stringify(after)}`,
    );
    return { rssMiB: { boot, warm, after }, warmUpCalls, calls, load };
  } finally {
    await run.stop();
  }
}

import type { ClusterResult } from '../cluster.bench';
import type { MemoryResult } from '../memory.bench';
import type { StoreResult } from '../store.bench';
import type { TokenResult } from '../token.bench';
import type { ScenarioResult } from './report';

/** One target of issue 15, as this run measured it. */
export interface TargetRow {
  target: string;
  measured: string;
  met: boolean;
}

export interface BenchResults {
  throughput: ScenarioResult[];
  token?: TokenResult;
  memory?: MemoryResult;
  store?: StoreResult;
  cluster?: ClusterResult;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fixed = (value: number, digits = 2) => value.toFixed(digits);
const ERAS: Record<string, string> = {
  'add-2026': '2026-07-28',
  'add-session': '2025-11-25, session',
  'add-stateless': '2025-11-25, stateless',
};

/** The targets, each checked against this run's numbers (a target whose section did not run is left out). */
export function checkTargets({ throughput, token, memory, store }: BenchResults): TargetRow[] {
  const rows: TargetRow[] = [];
  const byName = new Map(throughput.map((r) => [r.name, r]));
  for (const [name, era] of Object.entries(ERAS)) {
    const r = byName.get(name);
    if (!r?.vsReference) continue;
    rows.push({
      target: `tools/call through the gateway >= 2x the SDK stateless example (${era})`,
      measured: `${fixed(r.vsReference.gateway)}x (${r.gateway.requestsPerSecond.toFixed(0)} vs ${r.reference!.requestsPerSecond.toFixed(0)} req/s)`,
      met: r.vsReference.gateway >= 2,
    });
    rows.push({
      target: `tools/call through the gateway >= 0.9x mcp direct (${era})`,
      measured: `${fixed(r.throughputRatio)}x`,
      met: r.throughputRatio >= 0.9,
    });
  }
  const proxied = ['echo-call', 'add-2026', 'add-session', 'add-stateless'].filter((n) => byName.has(n));
  for (const name of proxied) {
    const us = byName.get(name)!.gateway.cpuUsPerRequest?.gateway ?? Number.NaN;
    rows.push({
      target: `gateway CPU per proxied /mcp request <= 150 us (${name})`,
      measured: `${us} us`,
      met: us <= 150,
    });
  }
  const enforced = byName.get('echo-call-enforced')?.gateway.cpuUsPerRequest?.gateway;
  if (enforced !== undefined) {
    rows.push({
      target: 'gateway CPU per request, enforcing <= 250 us (echo-call-enforced)',
      measured: `${enforced} us`,
      met: enforced <= 250,
    });
  }
  const calls = throughput.filter((r) => r.gateway.counted?.authzRequests !== undefined);
  if (calls.length > 0) {
    const served = calls.reduce(
      (sum, r) => sum + r.rounds.gateway.reduce((s, g) => s + (g.counted?.authzRequests ?? 0), 0),
      0,
    );
    rows.push({
      target: 'no request to authz on the tools/call hot path',
      measured: `${served} authz requests during ${calls.length} scenarios' gateway runs`,
      met: served === 0,
    });
  }
  if (token) {
    const signing = token.signingPerSecond.reduce((a, b) => a + b, 0) / token.signingPerSecond.length;
    for (const grant of ['authorizationCode', 'refreshToken'] as const) {
      for (const via of ['gateway', 'direct'] as const) {
        const rate = token[grant][via].requestsPerSecond;
        rows.push({
          target: `/token ${grant === 'authorizationCode' ? 'authorization_code' : 'refresh_token'} (${via}) >= 0.8x raw RS256 signing on one core`,
          measured: `${fixed(rate / signing)}x (${rate.toFixed(0)}/s vs ${signing.toFixed(0)} signatures/s)`,
          met: rate / signing >= 0.8,
        });
      }
    }
    const p50 = median(token.flowMs.map((f) => f.total));
    rows.push({
      target: 'full flow (register -> authorize -> consent -> token -> first tools/call) p50 < 25 ms',
      measured: `${fixed(p50, 1)} ms`,
      met: p50 < 25,
    });
  }
  if (memory) {
    for (const app of Object.keys(memory.rssMiB.boot)) {
      const { boot, warm, after } = memory.rssMiB;
      const gc = memory.rssAfterGcMiB;
      rows.push({
        target: `idle RSS < 90 MiB (${app})`,
        measured: `${boot[app]} MiB (${gc.boot[app]} after a full GC)`,
        met: boot[app] < 90,
      });
      // Growth is judged after a full collection: what V8 keeps of a heap grown under load is not a leak.
      const growth = gc.after[app] / gc.warm[app] - 1;
      rows.push({
        target: `RSS growth over ${memory.calls / 1000}k tools/call <= 10% (${app})`,
        measured:
          `${fixed(growth * 100, 1)}% after a full GC (${gc.warm[app]} -> ${gc.after[app]} MiB); without one ` +
          `${warm[app]} -> ${after[app]} MiB (${boot[app]} at boot)`,
        met: growth <= 0.1,
      });
    }
  }
  if (store) {
    for (const [backend, sizes] of Object.entries(store)) {
      const [small, large] = [sizes[0], sizes[sizes.length - 1]];
      const worst = Math.max(
        ...Object.keys(small.medianUs).map((op) => large.medianUs[op] / small.medianUs[op]),
      );
      rows.push({
        target: `store operations within 2x from ${small.live} to ${large.live} live entries (${backend})`,
        measured: `worst ${fixed(worst)}x`,
        met: worst <= 2,
      });
    }
  }
  const eras = Object.keys(ERAS)
    .filter((n) => byName.has(n))
    .map((n) => ERAS[n]);
  // A run without the throughput section (BENCH_SECTIONS) says nothing about the eras.
  if (throughput.length > 0)
    rows.push({
      target: 'both MCP eras reported',
      measured: eras.join('; ') || 'none',
      met: eras.length === Object.keys(ERAS).length,
    });
  return rows;
}

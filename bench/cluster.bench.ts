import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer } from '@app/oauth-store/testing';
import { clusterPlan, type PlannedProcess } from '../test/support/cluster';
import { GatewayOAuthClient } from '../test/support/gateway-oauth';
import { reservePort } from '../test/support/ports';
import { ADD, toolCallRequest } from './scenarios';
import { startChild, type Child } from './support/child';
import { measure, type MeasureOptions, type Sample } from './support/measure';
import { average } from './support/report';
import { REDIRECT_URI, runGrants } from './support/token-runs';

/** One rate measured through the gateway with a pool of one instance, then of two. */
export interface ClusterComparison {
  one: Sample;
  two: Sample;
  /** two / one, req/s. */
  ratio: number;
}

export interface ClusterResult {
  /** tools/call add (2026-07-28) through the gateway: MCP_UPSTREAM_URL lists 1, then 2 mcp instances. */
  toolsCall: ClusterComparison;
  /** /token through the gateway: AUTHZ_UPSTREAM_URL lists 1, then 2 authz instances. */
  authorizationCode: ClusterComparison;
  refreshToken: ClusterComparison;
  codesPerRun: number;
  cores: number;
  /** 1-minute load average when the section started and ended: other jobs share the cores. */
  loadAverage: number[];
}

/** What every process of the cluster gets besides the plan: limits lifted so capacity, not a limiter, is measured. */
const BENCH_ENV = {
  AUTHZ_RATE_LIMIT_MAX: '100000000',
  AUTHZ_RATE_LIMIT_WINDOW_MS: '1000',
  MCP_TOOL_RATE_LIMIT: '1000000000',
  MCP_TOOL_MAX_CONCURRENT: '10000',
};
/** mcp and the gateway run as deployed; authz as the other sections run it (scenarios.ts). */
const PRODUCTION: Record<string, Record<string, string>> = {
  mcp: { NODE_ENV: 'production' },
  gateway: { NODE_ENV: 'production' },
};
/** /token runs use as many connections as the token section's (run.ts). */
const TOKEN_CONNECTIONS = 10;
const PORT_VARIABLE: Record<string, string> = {
  authz: 'AUTHZ_PORT',
  mcp: 'MCP_PORT',
  gateway: 'GATEWAY_PORT',
};

const compare = (one: Sample, two: Sample): ClusterComparison => ({
  one,
  two,
  ratio: two.requestsPerSecond / one.requestsPerSecond,
});
const rate = (s: Sample) => `${s.requestsPerSecond.toFixed(0)}/s ${JSON.stringify(s.cpuUsPerRequest)}`;

/** redis-server's pid, so its CPU per request is counted like every other process on the path. */
async function redisProcess(url: string): Promise<{ pid: number }> {
  const redis = new Redis(url);
  try {
    const info = await redis.info('server');
    return { pid: Number(/^process_id:(\d+)/m.exec(info)?.[1]) };
  } finally {
    redis.disconnect();
  }
}

/**
 * The cluster of scripts/cluster-plan.js around a real redis-server: two authz and two mcp instances (compiled, one
 * process each, on the plan's ports), and in front of them a gateway whose pools list one instance of each, then one
 * listing both (the gateway is restarted between the two; the instances and Redis stay up). Alternating rounds of
 * tools/call add, then one bounded /token run per pool size (authorization_code, then refresh_token).
 */
export async function runCluster(
  options: MeasureOptions,
  rounds: number,
  codes: number,
): Promise<ClusterResult> {
  const startLoad = loadavg()[0];
  const redis = await startRedisServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-cluster-'));
  const ports = {
    gateway: await reservePort(),
    gatewayAdmin: await reservePort(),
    authz: [await reservePort(), await reservePort()],
    mcp: [await reservePort(), await reservePort()],
  };
  const base = `http://127.0.0.1:${ports.gateway}`;
  // One encryption key for every authz instance: they share the signing keys, sealed, in Redis.
  const keysEncryptionKey = randomBytes(32).toString('base64');
  const plan = (instances: number) =>
    clusterPlan({
      storeUrl: redis.url,
      keysEncryptionKey,
      ports: { ...ports, authz: ports.authz.slice(0, instances), mcp: ports.mcp.slice(0, instances) },
      publicUrl: base,
      env: { ...BENCH_ENV, AUTHZ_DATA_DIR: dataDir },
    });
  const start = (entry: PlannedProcess) =>
    startChild('support/app.server.js', {
      ...entry.env,
      ...PRODUCTION[entry.app],
      BENCH_APP: entry.app,
      BENCH_PORT: entry.env[PORT_VARIABLE[entry.app]],
    });
  const gatewayEntry = (instances: number) => plan(instances).find((entry) => entry.app === 'gateway')!;
  const instances: Record<string, Child> = {};
  try {
    for (const entry of plan(2).filter((e) => e.app !== 'gateway'))
      instances[entry.name] = await start(entry);
    const watched = { ...instances, redis: await redisProcess(redis.url) };
    const withGateway = async <T>(pool: number, run: (gateway: Child) => Promise<T>): Promise<T> => {
      const gateway = await start(gatewayEntry(pool));
      try {
        return await run(gateway);
      } finally {
        await gateway.stop();
      }
    };

    // A client and its token, and one tools/call checked, before anything is measured.
    const { client, request } = await withGateway(2, async () => {
      const client = await GatewayOAuthClient.register(base, REDIRECT_URI);
      const { code, verifier } = await client.authorize();
      const { access_token: token } = (await (await client.redeem(code, verifier)).json()) as {
        access_token: string;
      };
      const call = toolCallRequest('modern', ADD, token, new URL(base).host);
      const answer = await fetch(base + call.path, {
        method: 'POST',
        headers: call.headers,
        body: call.body,
      });
      const text = await answer.text();
      if (answer.status !== 200 || !text.includes('"sum":5'))
        throw new Error(`tools/call through the cluster answered ${answer.status}: ${text.slice(0, 200)}`);
      return { client, request: call };
    });

    const calls: Record<number, Sample[]> = { 1: [], 2: [] };
    const tokens: Record<number, Awaited<ReturnType<typeof runGrants>>> = {};
    for (let round = 1; round <= rounds; round++) {
      const parts: string[] = [];
      for (const pool of [1, 2]) {
        await withGateway(pool, async (gateway) => {
          // Warm-up: the fresh gateway's JIT and keep-alive pools to every instance.
          await measure(base, request, { ...options, durationSeconds: 1 });
          const sample = await measure(base, request, options, { gateway, ...watched });
          calls[pool].push(sample);
          parts.push(`${pool} mcp: ${rate(sample)}`);
          if (round === 1)
            tokens[pool] = await runGrants(client, { url: base }, codes, TOKEN_CONNECTIONS, {
              gateway,
              ...watched,
            });
        });
      }
      console.log(`  tools/call round ${round}: ${parts.join(' | ')}`);
    }
    for (const pool of [1, 2]) {
      const { authorizationCode, refreshToken } = tokens[pool];
      console.log(
        `  /token, ${pool} authz: authorization_code ${rate(authorizationCode)}, refresh_token ${rate(refreshToken)}`,
      );
    }
    return {
      toolsCall: compare(average(calls[1]), average(calls[2])),
      authorizationCode: compare(tokens[1].authorizationCode, tokens[2].authorizationCode),
      refreshToken: compare(tokens[1].refreshToken, tokens[2].refreshToken),
      codesPerRun: codes,
      cores: cpus().length,
      loadAverage: [startLoad, loadavg()[0]],
    };
  } finally {
    for (const child of Object.values(instances)) await child.stop();
    await redis.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

import type { ClusterComparison, ClusterResult } from '../cluster.bench';
import type { Sample } from './measure';
import { cpuText } from './report';

/** CPU per request of the processes that stay one however many instances there are. */
const FIXED = ['gateway', 'loadgen', 'redis'];
const sum = (cpu: Record<string, number> = {}, names = Object.keys(cpu)) =>
  names.reduce((total, name) => total + (cpu[name] ?? 0), 0);

/** Cores the processes on the path kept busy: CPU per request times requests per second. */
export const coresBusy = (s: Sample) => (sum(s.cpuUsPerRequest) * s.requestsPerSecond) / 1e6;

/**
 * What limits the ratio, from the run's own numbers: how many of the machine's cores the path kept busy with two
 * instances, what the instances together spent per request with one and with two, and the rate the gateway, Redis
 * and the load generator alone would allow were the instances free.
 */
export function clusterLimit(cluster: ClusterResult): string {
  const { toolsCall, authorizationCode, cores } = cluster;
  const [calls, token] = [toolsCall.two, authorizationCode.two];
  const instances = (s: Sample) =>
    sum(
      s.cpuUsPerRequest,
      Object.keys(s.cpuUsPerRequest ?? {}).filter((name) => !FIXED.includes(name)),
    );
  const ceiling = (s: Sample) => ((cores * 1e6) / sum(s.cpuUsPerRequest, FIXED)).toFixed(0);
  const [start, end] = cluster.loadAverage.map((value) => value.toFixed(1));
  return (
    `What limits the ratio: the load generator, the gateway, Redis and every instance share this machine's ${cores} ` +
    `cores, and other jobs did too (load average ${start} -> ${end} during this section). With two instances the ` +
    `path kept ${coresBusy(calls).toFixed(2)} cores busy for tools/call and ${coresBusy(token).toFixed(2)} for ` +
    'authorization_code: a second instance adds no core, it splits the same CPU, and the instances together spent ' +
    `${instances(toolsCall.one)} -> ${instances(calls)} us per tools/call and ${instances(authorizationCode.one)} -> ` +
    `${instances(token)} us per /token (one -> two). The processes that do not multiply (gateway, Redis, load ` +
    `generator: ${sum(calls.cpuUsPerRequest, FIXED)} us per tools/call, ${sum(token.cpuUsPerRequest, FIXED)} us per ` +
    `/token) would cap the rate at ${ceiling(calls)} tools/call/s and ${ceiling(token)} /token/s on ${cores} cores ` +
    'even if the instances cost nothing. Instances on other machines (or more cores) are what a second instance is for.'
  );
}

const row = (name: string, c: ClusterComparison) =>
  `| ${name} | ${c.one.requestsPerSecond.toFixed(0)} | ${c.two.requestsPerSecond.toFixed(0)} | ` +
  `${c.ratio.toFixed(2)} | ${cpuText(c.one.cpuUsPerRequest)} | ${cpuText(c.two.cpuUsPerRequest)} | ` +
  `${c.one.errors + c.one.non2xx + c.two.errors + c.two.non2xx} |`;

/** The cluster row of issue 11: one instance behind the gateway's pool, then two. */
export function renderCluster(cluster: ClusterResult | undefined): string[] {
  if (!cluster) return [];
  return [
    '## Cluster (issue 11)',
    '',
    'Two authz and two mcp instances as `npm run start:cluster` runs them (scripts/cluster-plan.js, compiled, one ' +
      'process each) around a real redis-server; the gateway in front lists one instance of each in its pools, then ' +
      `both (restarted in between). tools/call add (2026-07-28) in alternating rounds; /token: ${cluster.codesPerRun} ` +
      'codes per run, then the refresh tokens they handed out, each spent once, 10 connections.',
    '',
    '| through the gateway | 1 instance req/s | 2 instances req/s | ratio | CPU us/request, 1 | CPU us/request, 2 | errors+non2xx |',
    '| --- | ---: | ---: | ---: | --- | --- | ---: |',
    row('tools/call add (mcp pool)', cluster.toolsCall),
    row('/token authorization_code (authz pool)', cluster.authorizationCode),
    row('/token refresh_token (authz pool)', cluster.refreshToken),
    '',
    clusterLimit(cluster),
    '',
  ];
}

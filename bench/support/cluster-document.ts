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
 * instances, and the rate the gateway, Redis and the load generator alone would allow were the instances free.
 */
export function clusterLimit(cluster: ClusterResult): string {
  const calls = cluster.toolsCall.two;
  const token = cluster.authorizationCode.two;
  const ceiling = (s: Sample) => (cluster.cores * 1e6) / sum(s.cpuUsPerRequest, FIXED);
  return (
    `What limits the ratio: the load generator, the gateway, Redis and every instance share the same ${cluster.cores} ` +
    `cores. With two instances the path kept ${coresBusy(calls).toFixed(2)} cores busy for tools/call and ` +
    `${coresBusy(token).toFixed(2)} for authorization_code, so a second instance can only use what the first left ` +
    `idle; the processes that do not multiply (gateway, Redis, load generator: ` +
    `${sum(calls.cpuUsPerRequest, FIXED)} us per tools/call, ${sum(token.cpuUsPerRequest, FIXED)} us per /token) ` +
    `would cap the rate at ${ceiling(calls).toFixed(0)} tools/call/s and ${ceiling(token).toFixed(0)} /token/s ` +
    'even if the instances cost nothing. A second instance pays off on another machine (or more cores), not here.'
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
      'codes per run, then the refresh tokens they handed out, each spent once.',
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

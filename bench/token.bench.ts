import { GatewayOAuthClient } from '../test/support/gateway-oauth';
import { ADD, callBody, startMcpStack } from './scenarios';
import { runOnce } from './support/child';
import type { Sample } from './support/measure';
import { REDIRECT_URI, runGrants } from './support/token-runs';

export interface TokenResult {
  /** Raw RS256 signatures per second on one core (support/rs256-signing.run.ts), before and after. */
  signingPerSecond: number[];
  codesPerRun: number;
  /** `/token` with grant_type=authorization_code, then refresh_token with the refresh tokens it handed out. */
  authorizationCode: { gateway: Sample; direct: Sample };
  refreshToken: { gateway: Sample; direct: Sample };
  /** One full flow per sample, in ms: register -> authorize and consent -> token -> first tools/call. */
  flowMs: { register: number; authorize: number; token: number; toolsCall: number; total: number }[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const signing = () => runOnce<{ perSecond: number }>('support/rs256-signing.run.ts');

/**
 * The token endpoint at capacity, beside the rate one core signs RS256 at (the ceiling: every token is one
 * signature), through the gateway and straight at authz; then the whole first-hour path of a new client, one
 * flow at a time, through the gateway. Every request goes through the rate limiter, its limit raised and its
 * window cut to a second: @nestjs/throttler's memory storage scans a key's hits in the window on each request,
 * and one client at thousands of requests a second is not what a 120-a-minute limit is sized for.
 */
export async function runToken(connections: number, count: number, flows: number): Promise<TokenResult> {
  const signingPerSecond = [(await signing()).perSecond];
  // BENCH_AUTHZ_STORE=memory|sqlite picks authz's store (default: its default, SQLite).
  const store: Record<string, string> = process.env.BENCH_AUTHZ_STORE
    ? { AUTHZ_STORE: process.env.BENCH_AUTHZ_STORE }
    : {};
  const run = await startMcpStack('modern', {
    authzEnv: { AUTHZ_RATE_LIMIT_MAX: '100000000', AUTHZ_RATE_LIMIT_WINDOW_MS: '1000', ...store },
  });
  try {
    const base = run.gateway;
    const client = await GatewayOAuthClient.register(base, REDIRECT_URI);
    // authz names the issuer after the alias the request came by: direct requests say they came through the gateway.
    const targets = {
      gateway: { url: base },
      direct: {
        url: run.processes.authz.url,
        headers: { 'x-forwarded-host': new URL(base).host },
      },
    };
    const result = { authorizationCode: {}, refreshToken: {} } as Pick<
      TokenResult,
      'authorizationCode' | 'refreshToken'
    >;
    for (const [name, target] of Object.entries(targets) as [
      keyof typeof targets,
      typeof targets.gateway,
    ][]) {
      const samples = await runGrants(client, target, count, connections, run.processes);
      result.authorizationCode[name] = samples.authorizationCode;
      result.refreshToken[name] = samples.refreshToken;
      console.log(
        `  /token via ${name}: authorization_code ${samples.authorizationCode.requestsPerSecond.toFixed(0)}/s ` +
          `${JSON.stringify(samples.authorizationCode.cpuUsPerRequest)}, refresh_token ` +
          `${samples.refreshToken.requestsPerSecond.toFixed(0)}/s ${JSON.stringify(samples.refreshToken.cpuUsPerRequest)}`,
      );
    }
    const flowMs = [];
    for (let i = 0; i < flows; i++) flowMs.push(await fullFlow(base));
    console.log(`  full flow p50 ${median(flowMs.map((f) => f.total)).toFixed(1)} ms`);
    signingPerSecond.push((await signing()).perSecond);
    console.log(
      `  raw RS256 signing ${signingPerSecond.map((rate) => rate.toFixed(0)).join(', ')}/s on one core`,
    );
    return { signingPerSecond, codesPerRun: count, ...result, flowMs };
  } finally {
    await run.stop();
  }
}

/** A new client's first minutes, as an MCP client lives them: each step timed. */
async function fullFlow(base: string): Promise<TokenResult['flowMs'][number]> {
  const t0 = performance.now();
  const client = await GatewayOAuthClient.register(base, REDIRECT_URI);
  const t1 = performance.now();
  const { code, verifier } = await client.authorize();
  const t2 = performance.now();
  const response = await client.redeem(code, verifier);
  const { access_token: token } = (await response.json()) as { access_token: string };
  const t3 = performance.now();
  const call = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': ADD.name,
    },
    body: callBody('modern', ADD).replace('"[<id>]"', '1'),
  });
  const answer = await call.text();
  if (call.status !== 200 || !answer.includes('"sum":5'))
    throw new Error(`tools/call answered ${call.status}`);
  const t4 = performance.now();
  return { register: t1 - t0, authorize: t2 - t1, token: t3 - t2, toolsCall: t4 - t3, total: t4 - t0 };
}

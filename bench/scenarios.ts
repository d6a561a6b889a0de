import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { startChild, type Child } from './support/child';
import type { Counter, RequestShape } from './support/measure';
import { servedRequests } from './support/served-requests';

/** What a started scenario offers: the same request, sent straight to the upstream or through the gateway. */
export interface ScenarioRun {
  direct: string;
  gateway: string;
  /** The SDK's stateless example shape answering the same request (support/sdk-example.server.ts). */
  reference?: string;
  request: RequestShape;
  /** Processes whose CPU time per request is reported. */
  processes: Record<string, Child>;
  /** Read before and after each run: requests authz served meanwhile (none may be per request). */
  counters?: Record<string, Counter>;
  stop(): Promise<void>;
}

export interface Scenario {
  name: string;
  description: string;
  start(): Promise<ScenarioRun>;
}

const PROTOCOL_VERSION = '2025-11-25';

const MODERN_VERSION = '2026-07-28';
/** What MCP 2026-07-28 adds to every request: the revision in a `_meta` envelope (and SEP-2243 headers). */
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

export type Wire = 'stateless' | 'session' | 'modern';

/** The cheapest tool, the one the issue compares with the SDK example: no worker, no log notification. */
export const ADD = { name: 'add', arguments: { a: 2, b: 3 } };
const CALC = { name: 'calculate', arguments: { expression: '2 * (3 + 4) ^ 2' } };
export interface Tool {
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * A tools/call as each wire sends it. A unique JSON-RPC id per request (autocannon replaces "[<id>]"): a session
 * matches answers to requests by id.
 */
export function callBody(wire: Wire, tool: Tool): string {
  const params = wire === 'modern' ? { ...tool, _meta: MODERN_META } : tool;
  return JSON.stringify({ jsonrpc: '2.0', id: '[<id>]', method: 'tools/call', params });
}

/**
 * A tools/call with a bearer token, as one wire sends it to /mcp. Direct requests carry the X-Forwarded-Host the
 * gateway would set (`host`, the gateway's), so one token is valid on both paths.
 */
export function toolCallRequest(wire: Wire, tool: Tool, token: string, host: string): RequestShape {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'x-forwarded-host': host,
    'mcp-protocol-version': wire === 'modern' ? MODERN_VERSION : PROTOCOL_VERSION,
  };
  if (wire === 'modern') Object.assign(headers, { 'mcp-method': 'tools/call', 'mcp-name': tool.name });
  return { method: 'POST', path: '/mcp', headers, body: callBody(wire, tool) };
}

/** mcp and the gateway run as deployed (authz cannot: the benchmark takes its token from the dev-token endpoint). */
const PRODUCTION = { NODE_ENV: 'production' };

async function stopAll(children: Child[]): Promise<void> {
  for (const child of children.reverse()) await child.stop();
}

/**
 * The real stack: authz (dev tokens on, a throw-away data dir), mcp pointed at it, and the gateway in front of
 * both. The token is issued through the gateway, so its issuer is the gateway's alias; direct requests carry
 * the X-Forwarded-Host the gateway would set, so one token is valid on both paths.
 */
export async function startMcpStack(
  wire: Wire,
  options: { tool?: Tool; reference?: boolean; authzEnv?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<ScenarioRun> {
  const tool = options.tool ?? CALC;
  const stateless = wire === 'stateless';
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-authz-'));
  const authz = await startChild(
    'support/app.server.js',
    {
      BENCH_APP: 'authz',
      AUTHZ_DATA_DIR: dataDir,
      ...options.authzEnv,
    },
    options.nodeArgs,
  );
  const mcp = await startChild(
    'support/app.server.js',
    {
      ...PRODUCTION,
      BENCH_APP: 'mcp',
      AUTHZ_INTERNAL_URL: authz.url,
      MCP_STATELESS: String(stateless),
      // One token drives every connection: lift the per-subject tool-call limits so the server's throughput,
      // not the limiter, is measured.
      MCP_TOOL_RATE_LIMIT: '1000000000',
      MCP_TOOL_MAX_CONCURRENT: '10000',
    },
    options.nodeArgs,
  );
  const gateway = await startChild(
    'support/app.server.js',
    {
      ...PRODUCTION,
      BENCH_APP: 'gateway',
      AUTHZ_UPSTREAM_URL: authz.url,
      MCP_UPSTREAM_URL: mcp.url,
    },
    options.nodeArgs,
  );
  const token = (await (await fetch(`${gateway.url}/auth/token`, { method: 'POST' })).json()) as {
    access_token: string;
  };
  const request = toolCallRequest(wire, tool, token.access_token, new URL(gateway.url).host);
  const headers = request.headers!;
  if (wire === 'session') headers['mcp-session-id'] = await openSession(mcp.url, headers);
  const claims = decodeJwt(token.access_token);
  // Verifies the same token as mcp does: signature by authz's JWKS, issuer and audience.
  const reference = options.reference
    ? await startChild('support/sdk-example.server.ts', {
        BENCH_JWKS_URL: `${authz.url}/.well-known/jwks.json`,
        BENCH_ISSUER: String(claims.iss),
        BENCH_AUDIENCE: String(claims.aud),
      })
    : undefined;
  return {
    direct: mcp.url,
    gateway: gateway.url,
    reference: reference?.url,
    request,
    processes: { gateway, mcp, authz, ...(reference ? { reference } : {}) },
    counters: { authzRequests: servedRequests(`${authz.url}/metrics`) },
    stop: async () => {
      await stopAll([authz, mcp, gateway, ...(reference ? [reference] : [])]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** initialize + notifications/initialized, as a client does; the session then serves every request. */
async function openSession(mcpUrl: string, headers: Record<string, string>): Promise<string> {
  const init = await fetch(`${mcpUrl}/mcp`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    }),
  });
  await init.text();
  const id = init.headers.get('mcp-session-id');
  if (init.status !== 200 || !id) throw new Error(`initialize failed with ${init.status}`);
  const session = { ...headers, 'mcp-session-id': id };
  const ready = await fetch(`${mcpUrl}/mcp`, {
    method: 'POST',
    headers: session,
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await ready.text();
  return id;
}

const ECHO_2026 = callBody('modern', { name: 'echo', arguments: { text: 'hello' } });

/**
 * A third-party MCP server (no auth of its own) behind the gateway, the request a 2026-07-28 tools/call. Without
 * `enforced` the gateway only proxies it (no resources file: /echo/mcp is not a route, so the upstream is
 * reached as MCP_UPSTREAM_URL at /mcp); with it, the gateway checks the token (JWKS signature cached per token,
 * grant status pushed), the header/body agreement and the scopes, and signs X-MCP-Identity for the upstream.
 */
async function startEchoStack(enforced: boolean): Promise<ScenarioRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-authz-'));
  const echo = await startChild('support/echo-upstream.server.ts');
  const file = join(dataDir, 'resources.json');
  writeFileSync(
    file,
    JSON.stringify([{ path: '/echo/mcp', upstream: `${echo.url}/echo/mcp`, name: 'Echo' }]),
  );
  // authz reads the gateway's resources file, so it issues tokens for /echo/mcp.
  const authz = await startChild('support/app.server.js', {
    BENCH_APP: 'authz',
    AUTHZ_DATA_DIR: dataDir,
    ...(enforced ? { GATEWAY_RESOURCES_FILE: file } : {}),
  });
  const path = enforced ? '/echo/mcp' : '/mcp';
  const gateway = await startChild('support/app.server.js', {
    ...PRODUCTION,
    BENCH_APP: 'gateway',
    AUTHZ_UPSTREAM_URL: authz.url,
    MCP_UPSTREAM_URL: echo.url,
    ...(enforced ? { GATEWAY_RESOURCES_FILE: file } : {}),
  });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN_VERSION,
    'mcp-method': 'tools/call',
    'mcp-name': 'echo',
  };
  const minted = await fetch(`${gateway.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ resource: `${gateway.url}${path}` }),
  });
  const { access_token: token } = (await minted.json()) as { access_token: string };
  headers.authorization = `Bearer ${token}`;
  return {
    direct: echo.url,
    gateway: gateway.url,
    request: { method: 'POST', path, headers, body: ECHO_2026 },
    processes: { gateway, echo, authz },
    stop: async () => {
      await stopAll([authz, echo, gateway]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The scenario list. Each one starts its processes on ephemeral loopback ports and stops them afterwards.
 */
export const SCENARIOS: Scenario[] = [
  {
    name: 'add-2026',
    description:
      'tools/call add as MCP 2026-07-28 on the real mcp app; reference: the SDK stateless example, same request',
    start: () => startMcpStack('modern', { tool: ADD, reference: true }),
  },
  {
    name: 'add-session',
    description:
      'tools/call add as MCP 2025-11-25 in a session (Mcp-Session-Id); reference: the SDK example (stateless)',
    start: () => startMcpStack('session', { tool: ADD, reference: true }),
  },
  {
    name: 'add-stateless',
    description:
      'tools/call add as MCP 2025-11-25 without sessions (MCP_STATELESS=true); reference: the same',
    start: () => startMcpStack('stateless', { tool: ADD, reference: true }),
  },
  {
    name: 'discovery-get',
    description:
      'GET of a small JSON document from a minimal upstream: the pure cost of the proxy hop (upstream does ~nothing)',
    async start() {
      const upstream = await startChild('support/static-upstream.server.ts');
      const gateway = await startChild('support/app.server.js', {
        ...PRODUCTION,
        BENCH_APP: 'gateway',
        AUTHZ_UPSTREAM_URL: upstream.url,
        MCP_UPSTREAM_URL: upstream.url,
      });
      return {
        direct: upstream.url,
        gateway: gateway.url,
        request: { path: '/.well-known/oauth-authorization-server' },
        processes: { gateway, upstream },
        stop: () => stopAll([upstream, gateway]),
      };
    },
  },
  {
    name: 'mcp-call-stateless',
    description:
      'tools/call calculate on the real mcp app (MCP_STATELESS=true; JWT, token status at real authz, scope check)',
    start: () => startMcpStack('stateless'),
  },
  {
    name: 'mcp-call-session',
    description: 'tools/call calculate on the real mcp app in an initialized session (Mcp-Session-Id)',
    start: () => startMcpStack('session'),
  },
  {
    name: 'echo-call',
    description:
      'tools/call (2026-07-28) on a third-party MCP server through the gateway, no enforcement (plain proxy)',
    start: () => startEchoStack(false),
  },
  {
    name: 'echo-call-enforced',
    description:
      'the same through an enforcing gateway (resources file): token, header agreement, scopes, X-MCP-Identity',
    start: () => startEchoStack(true),
  },
  {
    name: 'mcp-call-2026',
    description: 'tools/call calculate as MCP 2026-07-28 (per-request _meta, standard headers, no session)',
    start: () => startMcpStack('modern'),
  },
];

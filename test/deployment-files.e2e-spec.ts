import { getMetadataStorage } from 'class-validator';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuthzConfig } from '../apps/authz/src/config/authz.config';
import { AuthzEnv } from '../apps/authz/src/config/authz.env';
import { loadGatewayConfig } from '../apps/gateway/src/config/gateway.config';
import { GatewayEnv } from '../apps/gateway/src/config/gateway.env';
import { loadMcpConfig } from '../apps/mcp/src/config/mcp.config';
import { McpEnv } from '../apps/mcp/src/config/mcp.env';
import {
  clusterPlanModule,
  interpolate,
  readCompose,
  readDockerfileStages,
  type AppName,
  type ComposeService,
} from './support/deployment-files';
import { fromRoot } from './support/paths';
import { reservePort } from './support/ports';

const { appCommand, clusterPlan } = clusterPlanModule;
const APPS: AppName[] = ['gateway', 'authz', 'mcp'];
const ENV_CLASSES = { gateway: GatewayEnv, authz: AuthzEnv, mcp: McpEnv };
const plan = clusterPlan({
  storeUrl: 'redis://127.0.0.1:6379',
  keysEncryptionKey: randomBytes(32).toString('base64'),
  ports: { gateway: 3002, gatewayAdmin: 3005, authz: [3003, 3013], mcp: [3004, 3014] },
});
const compose = readCompose();
const stages = readDockerfileStages();
const [build, runtime] = [stages.get('build')!, stages.get('runtime')!];
const args = (stage: typeof build, keyword: string) =>
  stage.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);

/** The environment `docker compose` would run in: only the two secrets compose.yaml requires. */
const hostEnv = {
  AUTHZ_KEYS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  MCP_REQUEST_STATE_KEY: randomBytes(32).toString('base64'),
};
/** The image's ENV lines (runtime stage) under the service's `environment`, as a container sees them. */
function containerEnv(service: ComposeService): Record<string, string> {
  const image = Object.fromEntries(
    args(runtime, 'ENV').flatMap((line) => [...line.matchAll(/([A-Z_]+)=(\S+)/g)].map(([, k, v]) => [k, v])),
  );
  const own = Object.entries(service.environment ?? {}).map(([name, value]) => [
    name,
    interpolate(String(value ?? ''), hostEnv),
  ]);
  return { ...image, ...Object.fromEntries(own) };
}
const variablesOf = (envClass: new () => object) =>
  new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(envClass, '', true, false)
      .map((m) => m.propertyName),
  );
const servicesOf = (app: AppName) => plan.filter((process) => process.app === app).map(({ name }) => name);
const instanceUrls = (app: AppName, portVariable: string) =>
  servicesOf(app)
    .map((name) => `http://${name}:${compose.services[name].environment![portVariable]}`)
    .join(',');

describe('compose.yaml runs what clusterPlan runs', () => {
  it('has one service per planned process, besides Redis, each running appCommand of its app', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...plan.map(({ name }) => name), 'redis'].sort());
    for (const process of plan) {
      expect(process.command).toEqual(appCommand(process.app));
      expect({ [process.name]: compose.services[process.name].command }).toEqual({
        [process.name]: appCommand(process.app),
      });
    }
  });

  it('gives every service each variable clusterPlan gives that process', () => {
    for (const process of plan) {
      const missing = Object.keys(process.env).filter(
        (name) => compose.services[process.name].environment?.[name] === undefined,
      );
      expect({ [process.name]: missing }).toEqual({ [process.name]: [] });
    }
  });

  it('sets no variable the app does not read (clusterPlan aside)', () => {
    for (const process of plan) {
      const known = variablesOf(ENV_CLASSES[process.app]);
      const unknown = Object.keys(compose.services[process.name].environment ?? {}).filter(
        (name) => !known.has(name) && !(name in process.env),
      );
      expect({ [process.name]: unknown }).toEqual({ [process.name]: [] });
    }
  });

  it('points the gateway, mcp and authz at the instances compose runs', () => {
    const env = (name: string) => compose.services[name].environment!;
    expect(env('gateway').AUTHZ_UPSTREAM_URL).toBe(instanceUrls('authz', 'AUTHZ_PORT'));
    expect(env('gateway').MCP_UPSTREAM_URL).toBe(instanceUrls('mcp', 'MCP_PORT'));
    for (const name of [...servicesOf('authz'), ...servicesOf('mcp')]) {
      expect(env(name).AUTHZ_INTERNAL_URL).toBe(instanceUrls('authz', 'AUTHZ_PORT'));
      expect(env(name).STORE_URL).toBe('redis://redis:6379');
    }
  });

  it('boots every app in production mode, listening on every interface, with what compose and the image give', () => {
    for (const name of servicesOf('authz')) {
      const config = loadAuthzConfig(containerEnv(compose.services[name]));
      expect([config.production, config.devTokens, config.autoLogin]).toEqual([true, false, false]);
      expect([config.host, config.store.backend]).toEqual(['0.0.0.0', 'redis']);
    }
    for (const name of servicesOf('mcp')) {
      const config = loadMcpConfig(containerEnv(compose.services[name]));
      expect([config.production, config.host, config.conformanceFixtures]).toEqual([true, '0.0.0.0', false]);
    }
    const gateway = loadGatewayConfig(containerEnv(compose.services.gateway));
    // Unset host: the production default, every address (IPv6 too).
    expect([
      gateway.env.NODE_ENV,
      gateway.host,
      gateway.upstreams.authz.length,
      gateway.upstreams.mcp.length,
    ]).toEqual(['production', undefined, 2, 2]);
  });

  it('refuses to start without the shared secrets rather than inventing them', () => {
    const authz = compose.services['authz-1'];
    expect(String(authz.environment!.AUTHZ_KEYS_ENCRYPTION_KEY)).toMatch(/^\$\{AUTHZ_KEYS_ENCRYPTION_KEY:\?/);
    expect(() => interpolate(String(authz.environment!.AUTHZ_KEYS_ENCRYPTION_KEY), {})).toThrow(
      /AUTHZ_KEYS_ENCRYPTION_KEY: set AUTHZ_KEYS_ENCRYPTION_KEY/,
    );
    expect(String(compose.services['mcp-1'].environment!.MCP_REQUEST_STATE_KEY)).toMatch(
      /^\$\{MCP_REQUEST_STATE_KEY:\?/,
    );
  });

  it('publishes only the gateway port, and keeps Redis on an append-only volume that never evicts', () => {
    const published = Object.entries(compose.services).filter(([, service]) => service.ports?.length);
    expect(published.map(([name]) => name)).toEqual(['gateway']);
    expect(compose.services.gateway.ports).toEqual([
      `\${GATEWAY_BIND:-127.0.0.1}:${compose.services.gateway.environment!.GATEWAY_PORT}:3002`,
    ]);
    const redis = compose.services.redis as ComposeService & { volumes: string[] };
    expect(redis.command!.join(' ')).toContain('--appendonly yes --maxmemory-policy noeviction');
    expect(redis.volumes).toEqual(['redis-data:/data']);
  });
});

describe('Dockerfile builds the image compose runs', () => {
  beforeAll(() => {
    // Builds only when a source is newer than dist/ (the image's `npm run build` runs the same compile).
    execFileSync(process.execPath, [fromRoot('scripts/build-if-stale.js')], { stdio: 'ignore' });
  }, 180_000);

  it('installs with npm ci and runs npm run build, whose output holds every command the image runs', () => {
    expect(args(build, 'RUN')).toEqual([expect.stringMatching(/^npm ci\b/), 'npm run build']);
    expect(JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')).scripts.build).toContain(
      'build-if-stale.js',
    );
    for (const app of APPS) expect(existsSync(fromRoot(appCommand(app)[1]))).toBe(true);
    expect(args(runtime, 'COPY')).toContain('--from=build /app/dist ./dist');
  });

  it('runs production dependencies only, in production mode, as a non-root user, the gateway by default', () => {
    expect(args(runtime, 'RUN')[0]).toMatch(/^npm ci --omit=dev\b/);
    expect(args(runtime, 'ENV')).toContain('NODE_ENV=production');
    expect(args(runtime, 'USER')).toEqual(['node']);
    expect(JSON.parse(args(runtime, 'CMD')[0])).toEqual(appCommand('gateway'));
    const exposed = args(runtime, 'EXPOSE')[0].split(/\s+/);
    for (const [name, variable] of [
      ['gateway', 'GATEWAY_PORT'],
      ['authz-1', 'AUTHZ_PORT'],
      ['mcp-1', 'MCP_PORT'],
    ]) {
      expect(exposed).toContain(String(compose.services[name].environment![variable]));
    }
  });

  it('sends the build context only what the Dockerfile copies from it', () => {
    const rules = readFileSync(fromRoot('.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(rules[0]).toBe('*');
    const sources = [...args(build, 'COPY'), ...args(runtime, 'COPY')]
      .filter((line) => !line.startsWith('--from'))
      .flatMap((line) => line.split(/\s+/).slice(0, -1));
    for (const source of sources) {
      const admitted = rules.includes(`!${source}`) || rules.includes(`!${source.split('/')[0]}/`);
      expect({ [source]: admitted }).toEqual({ [source]: true });
    }
    expect(rules.filter((rule) => /^!(\.env|node_modules|dist|data)\b/.test(rule))).toEqual([]);
  });
});

describe('the image HEALTHCHECK (scripts/healthcheck.js)', () => {
  const healthcheck = createRequire(__filename)(fromRoot('scripts/healthcheck.js')) as {
    runningApp(procDir: string): string | undefined;
    check(env: Record<string, string>, procDir: string): Promise<number>;
  };
  let procDir: string;
  let server: Server;
  let status = 200;

  beforeAll(async () => {
    procDir = mkdtempSync(join(tmpdir(), 'proc-'));
    server = createServer((req, res) => res.writeHead(req.url === '/healthz' ? status : 404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    rmSync(procDir, { recursive: true, force: true });
    await new Promise((resolve) => server.close(resolve));
  });
  const runs = (pid: string, argv: string[]) => {
    mkdirSync(join(procDir, pid), { recursive: true });
    writeFileSync(join(procDir, pid, 'cmdline'), `${argv.join('\0')}\0`);
  };

  it('is the image HEALTHCHECK and is copied into it', () => {
    expect(args(runtime, 'HEALTHCHECK')[0]).toMatch(/CMD \["node", "scripts\/healthcheck\.js"\]$/);
    expect(args(runtime, 'COPY')).toContain('scripts/healthcheck.js ./scripts/healthcheck.js');
  });

  it('finds which app the container runs from the process command lines', () => {
    writeFileSync(join(procDir, 'uptime'), '1 1');
    runs('7', ['sleep', '1']);
    expect(healthcheck.runningApp(procDir)).toBeUndefined();
    runs('1', appCommand('mcp'));
    expect(healthcheck.runningApp(procDir)).toBe('mcp');
  });

  it("answers 0 only while that app's /healthz on its own port variable answers 200", async () => {
    const { port } = server.address() as AddressInfo;
    const silent = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await healthcheck.check({ MCP_PORT: String(port) }, procDir)).toBe(0);
      status = 503;
      expect(await healthcheck.check({ MCP_PORT: String(port) }, procDir)).toBe(1);
      // Another app's port variable is not the running app's.
      status = 200;
      const closed = String(await reservePort());
      expect(await healthcheck.check({ GATEWAY_PORT: String(port), MCP_PORT: closed }, procDir)).toBe(1);
      expect(silent).toHaveBeenLastCalledWith(`mcp: http://127.0.0.1:${closed}/healthz: ECONNREFUSED`);
    } finally {
      silent.mockRestore();
    }
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { RevocationFeed } from '@app/resource-server';
import { startRedisServer, type RedisServerHandle } from '@app/oauth-store/testing';
import { GatewayOAuthClient, initializeMcp, refusedAfter } from './support/gateway-oauth';
import { TEST_KEYS_ENCRYPTION_KEY } from '../apps/authz/test/support/authz-harness';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(60_000);

const ROOT = process.cwd();
/** README "Revocation": pushed revocations reach resource servers within this. */
const PUSH_BOUND_MS = 250;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as `npm run admin` runs it (ts-node on this Node), with the stack's environment. */
function admin(env: Record<string, string>, args: string[], viaNpm = false): Promise<Run> {
  const command = viaNpm ? 'npm' : process.execPath;
  const argv = viaNpm
    ? ['run', '-s', 'admin', '--', ...args]
    : [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'apps/authz/src/admin/admin.cli.ts',
        ...args,
      ];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function json<T>(run: Promise<Run>): Promise<T> {
  const result = await run;
  if (result.code !== 0) throw new Error(`admin exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

const grantOf = (token: string) => decodeJwt(token).grant_id as string;

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function accepted(stack: Stack, token: string): Promise<number> {
  const response = await initializeMcp(stack.mcpUrl(), token);
  await response.arrayBuffer();
  return response.status;
}

/** The flows both store modes share: an operator revokes a grant, then a client, while mcp serves its tokens. */
function describeRevocations(
  settings: () => { stack: Stack; env: Record<string, string>; announced: string },
) {
  it("revokes one grant: its tokens are refused at once, the client's other grants keep working", async () => {
    const { stack, env, announced } = settings();
    const oauth = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:41801/callback');
    const first = await oauth.tokens();
    const second = await oauth.tokens();
    expect(await accepted(stack, first.access_token)).toBe(200);
    expect(await accepted(stack, second.access_token)).toBe(200);

    const listed = await json<{ grant_id: string; status: string }[]>(
      admin(env, ['grants', 'list', '--client', oauth.client.clientId, '--json']),
    );
    expect(listed.map((grant) => grant.grant_id).sort()).toEqual(
      [grantOf(first.access_token), grantOf(second.access_token)].sort(),
    );
    expect(listed.every((grant) => grant.status === 'active')).toBe(true);
    const bySubject = await json<{ grant_id: string }[]>(
      admin(env, ['grants', 'list', '--subject', 'developer', '--json']),
    );
    expect(bySubject.map((grant) => grant.grant_id)).toContain(grantOf(first.access_token));

    const revoked = await json<{ announced: string; was: string }>(
      admin(env, ['grants', 'revoke', grantOf(first.access_token), '--json']),
    );
    expect(revoked).toMatchObject({ was: 'active', announced });
    expect(await refusedAfter(stack.mcpUrl(), first.access_token, PUSH_BOUND_MS)).toBeLessThan(PUSH_BOUND_MS);
    expect((await oauth.refresh(first.refresh_token)).status).toBe(400);
    expect(await accepted(stack, second.access_token)).toBe(200);
  });

  it('revokes a client: registration deleted, every grant revoked, its tokens refused at once', async () => {
    const { stack, env, announced } = settings();
    const oauth = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:41802/callback');
    const bystander = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:41803/callback');
    const tokens = [await oauth.tokens(), await oauth.tokens()];
    const other = await bystander.tokens();
    for (const set of [...tokens, other]) expect(await accepted(stack, set.access_token)).toBe(200);

    const shown = await json<{ kind: string; grants: { active: number } }>(
      admin(env, ['clients', 'show', oauth.client.clientId, '--json']),
    );
    expect(shown).toMatchObject({ kind: 'registered', grants: { active: 2, revoked: 0 } });

    const done = await json<{ registration_deleted: boolean; grants_revoked: string[]; announced: string }>(
      admin(env, ['clients', 'revoke', oauth.client.clientId, '--json']),
    );
    expect(done.registration_deleted).toBe(true);
    expect(done.grants_revoked.sort()).toEqual(tokens.map((set) => grantOf(set.access_token)).sort());
    expect(done.announced).toBe(announced);
    for (const set of tokens) {
      expect(await refusedAfter(stack.mcpUrl(), set.access_token, PUSH_BOUND_MS)).toBeLessThan(PUSH_BOUND_MS);
    }
    // Its registration is gone: no refresh, no new authorization.
    expect((await oauth.refresh(tokens[1].refresh_token)).status).toBe(401);
    expect(await accepted(stack, other.access_token)).toBe(200);
    const gone = await admin(env, ['clients', 'show', oauth.client.clientId]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`no client ${oauth.client.clientId}`);
  });
}

describe('admin CLI against a running stack (SQLite store, revocations announced by authz)', () => {
  let stack: Stack;
  let env: Record<string, string>;
  const auditDir = mkdtempSync(join(tmpdir(), 'admin-audit-'));
  const auditFile = join(auditDir, 'admin.log');

  beforeAll(async () => {
    stack = await startStack();
    env = {
      NODE_ENV: 'test',
      PUBLIC_URL: stack.baseUrl(),
      AUTHZ_DATA_DIR: stack.dataDir,
      AUTHZ_INTERNAL_URL: stack.authzUrl,
      MCP_INTERNAL_URL: stack.mcpUpstreamUrl,
      AUDIT_SINK: 'file',
      AUDIT_FILE: auditFile,
    };
    await until(() => stack.mcpApp().get(RevocationFeed).up);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(auditDir, { recursive: true, force: true });
  });

  it('lists configured and registered clients, through `npm run admin`', async () => {
    const oauth = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:41800/callback');
    const clients = await json<{ client_id: string; kind: string }[]>(
      admin(env, ['clients', 'list', '--json'], true),
    );
    expect(clients).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ client_id: 'mcp-inspector-client', kind: 'configured' }),
        expect.objectContaining({ client_id: oauth.client.clientId, kind: 'registered' }),
      ]),
    );
    const text = await admin(env, ['clients', 'list']);
    expect(text.stdout.split('\n')[0]).toMatch(/^client_id\s+kind\s+client_name/);
  });

  describeRevocations(() => ({ stack, env, announced: 'authz' }));

  it('lists the open MCP sessions of the running mcp, ids shortened', async () => {
    const oauth = await GatewayOAuthClient.register(stack.baseUrl(), 'http://127.0.0.1:41804/callback');
    const { access_token } = await oauth.tokens();
    const response = await initializeMcp(stack.mcpUrl(), access_token);
    const sessionId = response.headers.get('mcp-session-id')!;
    await response.arrayBuffer();
    const listed = await json<{
      stateless: boolean;
      sessions: { id: string; client_id: string; sub: string }[];
    }>(admin(env, ['sessions', 'list', '--json']));
    expect(listed.stateless).toBe(false);
    expect(listed.sessions).toContainEqual(
      expect.objectContaining({
        id: `${sessionId.slice(0, 8)}…`,
        client_id: oauth.client.clientId,
        sub: 'developer',
      }),
    );
    expect(JSON.stringify(listed)).not.toContain(sessionId);
  });

  it('rotates the signing key; the running authz publishes the new one and keeps the old', async () => {
    const before = await json<{ kid: string; status: string }[]>(admin(env, ['keys', 'list', '--json']));
    expect(before.filter((key) => key.status === 'active')).toHaveLength(1);
    const rotated = await json<{ active: string; previous: string }>(
      admin(env, ['keys', 'rotate', '--json']),
    );
    expect(rotated.previous).toBe(before.find((key) => key.status === 'active')!.kid);
    const jwksKids = async () =>
      (
        (await (await fetch(`${stack.baseUrl()}/.well-known/jwks.json`)).json()) as {
          keys: { kid: string }[];
        }
      ).keys.map((key) => key.kid);
    await until(async () => (await jwksKids()).includes(rotated.active));
    expect(await jwksKids()).toContain(rotated.previous);
    const after = await json<{ kid: string; status: string }[]>(admin(env, ['keys', 'list', '--json']));
    expect(after).toEqual([
      expect.objectContaining({ kid: rotated.active, status: 'active' }),
      expect.objectContaining({
        kid: rotated.previous,
        status: 'published',
        published_until: expect.any(String),
      }),
    ]);
  });

  it('audits what the operator did, in the configured sink', () => {
    const events = readFileSync(auditFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; app: string });
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          app: 'admin',
          type: 'client.revoked',
          registration_deleted: true,
          grants_revoked: 2,
        }),
        expect.objectContaining({ app: 'admin', type: 'token.revoked', sub: 'developer' }),
      ]),
    );
  });

  it('answers a usage error with exit 2 and the usage, an unknown grant with exit 1 and one line', async () => {
    const usage = await admin(env, ['grants', 'list']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: npm run admin -- <command> [--json]');
    const unknown = await admin(env, ['grants', 'revoke', 'no-such-grant']);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr.trim()).toBe('admin: no grant no-such-grant (unknown, or expired)');
  });

  it('refuses the memory store, which lives inside authz', async () => {
    const refused = await admin({ ...env, AUTHZ_STORE: 'memory' }, ['clients', 'list']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^invalid configuration: AUTHZ_STORE: memory/);
  });
});

describe('admin CLI against a running stack (Redis store, revocations on Redis pub/sub)', () => {
  let redis: RedisServerHandle;
  let stack: Stack;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startRedisServer();
    stack = await startStack({ authz: { STORE_URL: redis.url }, mcp: { STORE_URL: redis.url } });
    env = {
      NODE_ENV: 'test',
      PUBLIC_URL: stack.baseUrl(),
      AUTHZ_DATA_DIR: stack.dataDir,
      STORE_URL: redis.url,
      AUTHZ_KEYS_ENCRYPTION_KEY: TEST_KEYS_ENCRYPTION_KEY,
      // Nothing listens here: in cluster mode the CLI never needs authz.
      AUTHZ_INTERNAL_URL: 'http://127.0.0.1:9',
    };
    await until(() => stack.mcpApp().get(RevocationFeed).up);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await redis?.close();
  });

  describeRevocations(() => ({ stack, env, announced: 'redis' }));
});

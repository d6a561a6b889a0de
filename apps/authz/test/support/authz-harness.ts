import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { computeS256Challenge, generateCodeVerifier } from '@app/pkce';
import { createAuthzApp } from '../../src/authz.app';

export interface RunningAuthz {
  app: INestApplication;
  server: Server;
  port: number;
  /** The issuer a request on 127.0.0.1 gets (an alias, so the port is the one we listen on). */
  issuer: string;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

export const tempDataDir = () => mkdtempSync(join(tmpdir(), 'authz-e2e-'));
export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

/**
 * AUTHZ_KEYS_ENCRYPTION_KEY for tests (required with STORE_URL, unused without): the signing keys an instance
 * keeps in Redis are sealed with it, and every instance of one test cluster shares it.
 */
export const TEST_KEYS_ENCRYPTION_KEY = 'SVAgMXZcfPhmjAyYO7L+UQgkiq8DVPmX1jxKxYs59pA=';

export function baseEnv(dataDir: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // Production-mode tests would otherwise write audit lines to stdout (the default sink outside NODE_ENV=test).
    AUDIT_SINK: 'off',
    PUBLIC_URL: 'http://localhost:3002',
    AUTHZ_DATA_DIR: dataDir,
    AUTHZ_KEYS_ENCRYPTION_KEY: TEST_KEYS_ENCRYPTION_KEY,
    ...overrides,
  };
}

export async function startAuthz(env: Record<string, string>): Promise<RunningAuthz> {
  const { app } = await createAuthzApp(env);
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  const port = (server.address() as AddressInfo).port;
  return {
    app,
    server,
    port,
    issuer: `http://127.0.0.1:${port}`,
    http: () => request(server),
    close: () => app.close(),
  };
}

/**
 * One authz for a describe block, on its own data dir: started before the block's tests, closed (and the dir
 * removed) after them. The returned object reads through to the running instance. Overrides may be a function,
 * read when authz starts (e.g. the URL of a Redis started by an earlier beforeAll).
 */
export function useAuthz(
  overrides: Record<string, string> | (() => Record<string, string>) = {},
): RunningAuthz {
  const dataDir = tempDataDir();
  let running: RunningAuthz | undefined;
  beforeAll(async () => {
    running = await startAuthz(baseEnv(dataDir, typeof overrides === 'function' ? overrides() : overrides));
  });
  afterAll(async () => {
    await running?.close();
    removeDir(dataDir);
  });
  const current = () => {
    if (!running) throw new Error('authz is used outside a test');
    return running;
  };
  return {
    get app() {
      return current().app;
    },
    get server() {
      return current().server;
    },
    get port() {
      return current().port;
    },
    get issuer() {
      return current().issuer;
    },
    http: () => current().http(),
    close: () => current().close(),
  };
}

export function pkce() {
  const verifier = generateCodeVerifier();
  return { verifier, challenge: computeS256Challenge(verifier) };
}

/** Pulls a named hidden field out of the consent or login page. */
export function formField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no field ${name} in page:\n${html.slice(0, 500)}`);
  return match[1];
}

export function formAction(html: string): string {
  const match = /<form method="post" action="([^"]+)"/.exec(html);
  if (!match) throw new Error('no form on the page');
  return match[1];
}

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope?: string;
  resource?: string;
  state?: string;
}

export function authorizeQuery(params: AuthorizeParams): Record<string, string> {
  return {
    response_type: 'code',
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    code_challenge: params.challenge,
    code_challenge_method: 'S256',
    state: params.state ?? 'state-123',
    ...(params.scope ? { scope: params.scope } : {}),
    ...(params.resource ? { resource: params.resource } : {}),
  };
}

/** GET /authorize then Approve on the consent page; returns the parsed redirect. */
export async function authorizeAndApprove(
  authz: RunningAuthz,
  params: AuthorizeParams,
  headers: Record<string, string> = {},
): Promise<URL> {
  const page = await authz.http().get('/authorize').set(headers).query(authorizeQuery(params));
  if (page.status !== 200)
    throw new Error(`authorize answered ${page.status}: ${page.text ?? ''} ${page.headers.location ?? ''}`);
  const decision = await authz
    .http()
    .post('/authorize/decision')
    .set(headers)
    .type('form')
    .send({ interaction_id: formField(page.text, 'interaction_id'), decision: 'approve' });
  if (decision.status !== 303) throw new Error(`decision answered ${decision.status}: ${decision.text}`);
  return new URL(decision.headers.location);
}

export function exchangeCode(
  authz: RunningAuthz,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return authz
    .http()
    .post('/token')
    .set(headers)
    .type('form')
    .send({ grant_type: 'authorization_code', ...form });
}

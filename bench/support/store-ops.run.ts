import { NestFactory } from '@nestjs/core';
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  AuthorizationCodeRepository,
  GrantRepository,
  OAuthStoreModule,
  RefreshTokenRepository,
  type OAuthStoreOptions,
} from '@app/oauth-store';

/**
 * The store's hot operations timed at each size of BENCH_SIZES live entries (half grants, half refresh tokens),
 * in the backend BENCH_STORE names (memory, sqlite with BENCH_STORE_FILE, redis with BENCH_STORE_URL), through
 * the repositories authz uses. Answers `{ sizes: [{ live, fillSeconds, medianUs: { op: us } }] }` over IPC.
 */
const backend = process.env.BENCH_STORE as OAuthStoreOptions['backend'];
const sizes = (process.env.BENCH_SIZES ?? '1000,1000000').split(',').map(Number);
const OPS = Number(process.env.BENCH_STORE_OPS ?? 2000);
const DAY = 86_400_000;
const hash = (value: string) => createHash('sha256').update(value).digest('hex');
const scopes = ['mcp:tools', 'mcp:resources', 'mcp:prompts'];
const resource = 'http://127.0.0.1:3002/mcp';

const options: OAuthStoreOptions =
  backend === 'memory'
    ? { backend, maxClients: 10_000, memory: { maxGrants: 2 * Math.max(...sizes) } }
    : backend === 'sqlite'
      ? { backend, maxClients: 10_000, file: process.env.BENCH_STORE_FILE! }
      : { backend, maxClients: 10_000, url: process.env.BENCH_STORE_URL! };

const grantOf = (i: number) => ({
  grantId: `grant-${i}`,
  clientId: `client-${i % 1000}`,
  subject: `user-${i % 5000}`,
  scopes,
  resource,
  createdAt: Date.now(),
  expiresAt: Date.now() + DAY,
});
const refreshOf = (i: number, id = hash(`refresh-${i}`)) => ({
  id,
  grantId: `grant-${i}`,
  clientId: `client-${i % 1000}`,
  scopes,
  resource,
  issuedAt: Date.now(),
  expiresAt: Date.now() + DAY,
});

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(OAuthStoreModule.forRoot(options), {
    logger: false,
  });
  const grants = app.get(GrantRepository);
  const refresh = app.get(RefreshTokenRepository);
  const codes = app.get(AuthorizationCodeRepository);
  const results = [];
  let filled = 0;
  let rotated = 0;
  for (const live of sizes) {
    const started = performance.now();
    // Written in batches, concurrently where the backend is networked.
    for (; filled < live / 2;) {
      const batch = [];
      for (let end = Math.min(live / 2, filled + 500); filled < end; filled++) {
        batch.push(grants.save(grantOf(filled)), refresh.save(refreshOf(filled)));
      }
      await Promise.all(batch);
    }
    const fillSeconds = (performance.now() - started) / 1000;
    collect();
    await sleep(500);
    const timings: Record<string, number[]> = {
      'grant find': [],
      'refresh find': [],
      'code save+consume': [],
    };
    timings['refresh rotate'] = [];
    const time = async (name: string, op: () => Promise<unknown>) => {
      const t = performance.now();
      await op();
      timings[name].push((performance.now() - t) * 1000);
    };
    for (let n = 0; n < OPS; n++) {
      const i = Math.floor(Math.random() * filled);
      await time('grant find', () => grants.find(`grant-${i}`));
      await time('refresh find', () => refresh.find(hash(`refresh-${i}`)));
      const code = { ...codeOf(n), id: hash(randomUUID()) };
      await time('code save+consume', async () => {
        await codes.save(code);
        await codes.consume(code.id);
      });
      // Each rotation spends a different token, from the newest down.
      const spent = filled - 1 - rotated++;
      await time('refresh rotate', () =>
        refresh.rotate({
          presentedId: hash(`refresh-${spent}`),
          successor: { ...refreshOf(spent, hash(randomUUID())), parentId: hash(`refresh-${spent}`) },
          now: Date.now(),
          graceMs: 30_000,
        }),
      );
    }
    const medianUs = Object.fromEntries(
      Object.entries(timings).map(([name, values]) => [name, Math.round(median(values) * 10) / 10]),
    );
    results.push({ live, fillSeconds: Math.round(fillSeconds * 10) / 10, medianUs });
  }
  await app.close();
  process.send?.({ sizes: results }, () => process.exit(0));
}

// The fill leaves a large heap behind: each size is timed once a full collection has settled it.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const codeOf = (n: number) => ({
  clientId: `client-${n % 1000}`,
  redirectUri: 'http://127.0.0.1:9/callback',
  redirectUriProvided: true,
  scopes,
  resource,
  codeChallenge: hash(`challenge-${n}`),
  codeChallengeMethod: 'S256',
  subject: `user-${n % 5000}`,
  grantId: `grant-${n}`,
  issuer: 'http://127.0.0.1:3002',
  authTime: Date.now(),
  expiresAt: Date.now() + 60_000,
});

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

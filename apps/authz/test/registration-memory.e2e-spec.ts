import { Agent, request } from 'node:http';
import { authorizeQuery, pkce, removeDir, tempDataDir } from './support/authz-harness';
import { startAuthzProcess, type AuthzProcess } from './support/authz-process';

/** The bound the README states for 10,000 maximal registrations in memory mode (measured there too). */
const RSS_GROWTH_BOUND_MB = 150;
const REGISTRATIONS = 10_000;
const WARM_UP = 200;
/** Past the cap: enough to evict the first clients and show memory stays put. */
const OVERFLOW = 100;
const CONCURRENCY = 16;
const MB = 1024 * 1024;

const uri = (i: number, prefix: string) =>
  `${prefix}${String(i).padStart(6, '0')}/${'u'.repeat(512 - prefix.length - 7)}`;

/** Every field at its limit: the most memory a single registration can claim. */
const maximalClient = (i: number) => ({
  redirect_uris: Array.from({ length: 8 }, (_, j) => uri(i, `http://127.0.0.1:${5000 + j}/`)),
  client_name: `Client ${'n'.repeat(193)}`,
  client_uri: uri(i, 'https://client.example/'),
  logo_uri: uri(i, 'https://logo.example/'),
  tos_uri: uri(i, 'https://tos.example/'),
  policy_uri: uri(i, 'https://policy.example/'),
  contacts: Array.from({ length: 5 }, (_, j) => `${j}${'c'.repeat(241)}@app.example`),
  software_id: 's'.repeat(128),
  software_version: 'v'.repeat(64),
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['authorization_code', 'refresh_token'],
});

describe('authz: a registration flood in memory mode', () => {
  let dataDir: string;
  let authz: AuthzProcess;
  const clientIds: string[] = [];
  beforeAll(async () => {
    dataDir = tempDataDir();
    authz = await startAuthzProcess({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      AUTHZ_DATA_DIR: dataDir,
      AUTHZ_STORE: 'memory',
      AUTHZ_RATE_LIMIT_MAX: '1000000',
      AUTHZ_DCR_MAX_CLIENTS: String(REGISTRATIONS),
    });
  }, 60_000);
  afterAll(async () => {
    agent.destroy();
    await authz.stop();
    removeDir(dataDir);
  });

  // node:http on kept-alive sockets: a fraction of fetch's CPU per request in this process, which over 10,000
  // registrations is most of the test's cost next to authz's own.
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const send = (i: number) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = JSON.stringify(maximalClient(i));
      const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
      const req = request(`${authz.url}/register`, { method: 'POST', agent, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  // A kept-alive socket the server closed just as it was reused fails the request unanswered: send it again.
  const post = (i: number) => send(i).catch(() => send(i));

  async function registerMany(from: number, count: number): Promise<void> {
    let next = from;
    const worker = async () => {
      while (next < from + count) {
        const i = next++;
        const response = await post(i);
        if (response.status !== 201) throw new Error(`registration ${i}: ${response.status}`);
        clientIds[i] = (JSON.parse(response.body) as { client_id: string }).client_id;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }

  const authorizeStatus = async (i: number) =>
    (
      await fetch(
        `${authz.url}/authorize?${new URLSearchParams(
          authorizeQuery({
            clientId: clientIds[i],
            redirectUri: uri(i, 'http://127.0.0.1:5000/'),
            challenge: pkce().challenge,
          }),
        )}`,
        { redirect: 'manual' },
      )
    ).status;

  it(`grows RSS by less than ${RSS_GROWTH_BOUND_MB} MB for ${REGISTRATIONS} maximal registrations; the cap holds`, async () => {
    await registerMany(0, WARM_UP); // JIT, pools, first allocations
    const before = await authz.memory();
    await registerMany(WARM_UP, REGISTRATIONS - WARM_UP);
    const after = await authz.memory();
    const grownMb = (after.rss - before.rss) / MB;
    // Printed so the README's figures can be checked on any machine.
    process.stdout.write(
      `authz after ${REGISTRATIONS} maximal registrations: RSS +${grownMb.toFixed(1)} MB, ` +
        `heap used +${((after.heapUsed - before.heapUsed) / MB).toFixed(1)} MB\n`,
    );
    expect(grownMb).toBeLessThan(RSS_GROWTH_BOUND_MB);

    // More than the cap: the never-used clients registered first are evicted, the newest are there, memory stays put.
    await registerMany(REGISTRATIONS, OVERFLOW);
    expect(await authorizeStatus(0)).toBe(400);
    expect(await authorizeStatus(REGISTRATIONS + OVERFLOW - 1)).toBe(200);
    const final = await authz.memory();
    expect((final.rss - before.rss) / MB).toBeLessThan(RSS_GROWTH_BOUND_MB);
  }, 180_000);
});

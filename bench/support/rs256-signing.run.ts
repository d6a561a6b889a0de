import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';

/**
 * The ceiling of the token endpoint: how many RS256 signatures one core makes per second over a header and
 * claims shaped like authz's access tokens (2048-bit key, the key object parsed once, `crypto.sign` in a loop,
 * no JWT library). BENCH_SIGN_MS long; answers `{ perSecond }` over IPC.
 */
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = b64({ alg: 'RS256', typ: 'at+jwt', kid: 'k'.repeat(43) });
const now = Math.floor(Date.now() / 1000);
const input = (jti: string) =>
  `${header}.${b64({
    iss: 'http://127.0.0.1:3002',
    sub: 'developer',
    aud: 'http://127.0.0.1:3002/mcp',
    iat: now,
    exp: now + 3600,
    jti,
    client_id: 'c'.repeat(22),
    scope: 'mcp:tools mcp:resources mcp:prompts mcp:logging',
    grant_id: 'g'.repeat(43),
  })}`;

const durationMs = Number(process.env.BENCH_SIGN_MS ?? 3000);
// Warm-up, then the measured loop.
for (let i = 0; i < 50; i++) sign('sha256', Buffer.from(input(randomUUID())), privateKey);
let count = 0;
const started = performance.now();
while (performance.now() - started < durationMs) {
  sign('sha256', Buffer.from(input(randomUUID())), privateKey).toString('base64url');
  count++;
}
process.send?.({ perSecond: (count * 1000) / (performance.now() - started) }, () => process.exit(0));

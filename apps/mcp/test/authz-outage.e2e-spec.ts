import { PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';
import { INITIALIZE, postMcp, startHarness, type Harness } from './support/mcp-harness';

interface LogLine {
  level: number;
  msg: string;
  context?: string;
  req?: unknown;
}

const CAUSES = ['JWKS unavailable', 'grant status unavailable', 'revocation channel down'];

/**
 * With authz gone, mcp fails closed (503 + Retry-After) and says so once per cause and interval, not one error
 * line (with headers) per request. Its own file: nestjs-pino keeps one root logger per process, and this one
 * must log warnings as JSON.
 */
describe('mcp with authz down', () => {
  let harness: Harness;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    harness = await startHarness({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json', MCP_STATELESS: 'true' });
    const stream = (PinoLogger.root as unknown as Record<symbol, { write(line: string): boolean }>)[
      symbols.streamSym
    ];
    jest.spyOn(stream, 'write').mockImplementation((line: string) => lines.push(JSON.parse(line)) > 0);
  });
  afterAll(() => harness?.close());

  it('answers every request 503 with Retry-After and logs at most one warning per cause per interval', async () => {
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
    const warm = await harness.authz.token({ base: harness.base });
    expect((await postMcp(harness.base, INITIALIZE, bearer(warm))).status).toBe(200);
    const rotated = await harness.authz.addKey();
    await harness.authz.close();

    // A burst well inside one 10 s warning interval: many refusals, one warning per cause.
    for (let requests = 0; requests < 30; requests++) {
      // New grants (their status cannot be asked) and a key never fetched (the JWKS cannot be had).
      const token = await harness.authz.token({
        base: harness.base,
        grantId: `grant-${requests}`,
        key: requests % 2 === 0 ? undefined : rotated,
      });
      const response = await postMcp(harness.base, INITIALIZE, bearer(token));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
    }

    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    const warnings = lines.filter((line) => line.level === 40);
    for (const cause of CAUSES) {
      const about = warnings.filter((line) => line.msg.startsWith(`${cause}:`));
      expect(about).toHaveLength(1);
      expect(about[0]).toMatchObject({ context: 'ResourceServer' });
      expect(about[0].req).toBeUndefined();
    }
    expect(warnings).toHaveLength(CAUSES.length);
  });
});

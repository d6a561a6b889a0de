import { PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';
import { INITIALIZE, postMcp, startHarness, type Harness } from './support/mcp-harness';

interface LogLine {
  msg: string;
  context?: string;
  req?: { id?: string; path?: string };
}

/**
 * A service's log lines written while the /mcp front door handles a request carry that request, as they do on a
 * Nest route: the door runs in nestjs-pino's per-request context. Its own file: nestjs-pino keeps one root logger
 * per process, built with the first app's settings, and this one must log warnings as JSON.
 */
describe('mcp request log context', () => {
  let harness: Harness;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    harness = await startHarness({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json', MCP_MAX_SESSIONS: '1' });
    const stream = (PinoLogger.root as unknown as Record<symbol, { write(line: string): boolean }>)[
      symbols.streamSym
    ];
    jest.spyOn(stream, 'write').mockImplementation((line: string) => lines.push(JSON.parse(line)) > 0);
  });

  afterAll(() => harness?.close());

  it("tags SessionStore's warning with the id of the request that evicted a session", async () => {
    const bearer = { Authorization: `Bearer ${await harness.authz.token({ base: harness.base })}` };
    expect((await postMcp(harness.base, INITIALIZE, bearer)).status).toBe(200);
    const id = 'evicting-request-0001';
    const second = await postMcp(harness.base, INITIALIZE, { ...bearer, 'X-Request-Id': id });
    expect(second.status).toBe(200);
    expect(second.headers.get('x-request-id')).toBe(id);

    const warning = lines.find((line) => line.msg.includes('session limit reached'));
    expect(warning).toMatchObject({ context: 'SessionStore', req: { id, path: '/mcp' } });
  });
});

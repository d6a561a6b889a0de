import { Logger } from '@nestjs/common';
import { OutageLog } from './outage-log';
import { resolveResourceServerOptions } from './resource-server.options';

describe('OutageLog (one warning per cause and interval)', () => {
  let log: OutageLog;
  let warn: jest.SpyInstance;
  let info: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    info = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    log = new OutageLog(
      resolveResourceServerOptions({
        authzInternalUrls: ['http://authz'],
        clockToleranceSeconds: 0,
        jwksCooldownMs: 0,
        jwksCacheMaxAgeMs: 1000,
        authzTimeoutMs: 100,
        warnIntervalMs: 10_000,
      }),
    );
  });
  afterEach(() => {
    log.onApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('logs the first failure of a cause at once and only counts the rest of the interval', () => {
    for (let i = 0; i < 1000; i++) log.report('grant status unavailable', `attempt ${i}`);
    log.report('JWKS unavailable', 'timeout');
    expect(warn.mock.calls.map(([line]) => line)).toEqual([
      'grant status unavailable: attempt 0',
      'JWKS unavailable: timeout',
    ]);
  });

  it('writes one summary per interval while the cause lasts, then nothing once it stops', () => {
    log.report('cause', 'first');
    log.report('cause', 'second');
    jest.advanceTimersByTime(10_000);
    expect(warn).toHaveBeenLastCalledWith('cause: 1 more in the last 10 s (last: second)');
    log.report('cause', 'third');
    log.report('cause', 'fourth');
    jest.advanceTimersByTime(10_000);
    expect(warn).toHaveBeenLastCalledWith('cause: 2 more in the last 10 s (last: fourth)');
    jest.advanceTimersByTime(30_000);
    expect(warn).toHaveBeenCalledTimes(3);
    log.report('cause', 'again');
    expect(warn).toHaveBeenLastCalledWith('cause: again');
  });

  it('summarises and announces a recovery, after which a new failure is logged at once', () => {
    log.report('channel', 'down');
    log.report('channel', 'still down');
    log.recovered('channel', 'channel up again');
    expect(warn).toHaveBeenLastCalledWith('channel: 1 more in the last 10 s (last: still down)');
    expect(info).toHaveBeenCalledWith('channel up again');
    log.report('channel', 'down again');
    expect(warn).toHaveBeenLastCalledWith('channel: down again');
    log.recovered('other', 'never failed');
    expect(info).not.toHaveBeenCalledWith('never failed');
  });
});

import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { HealthController, type ReadinessCheck } from './health.controller';

function fakeResponse() {
  const res = { statusCode: 0, body: undefined as unknown };
  const chain = {
    status: (code: number) => ((res.statusCode = code), chain),
    setHeader: () => chain,
    json: (body: unknown) => ((res.body = body), chain),
  };
  return { res, response: chain as unknown as Response };
}

describe('HealthController readiness logging', () => {
  let ok = false;
  const check: ReadinessCheck = {
    name: 'upstream',
    check: async () => ({ ok, detail: { status: ok ? 200 : 503 } }),
  };
  const controller = new HealthController([check]);
  const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  afterAll(() => jest.restoreAllMocks());

  const probe = async () => {
    const { res, response } = fakeResponse();
    await controller.readyz(response);
    return res.statusCode;
  };

  it('stays quiet while the app is still starting (not ready yet is expected)', async () => {
    expect(await probe()).toBe(503);
    expect(await probe()).toBe(503);
    expect(log).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('says so once when it becomes ready, and warns once when a dependency is lost later', async () => {
    ok = true;
    expect(await probe()).toBe(200);
    expect(await probe()).toBe(200);
    expect(log.mock.calls).toEqual([['ready']]);
    ok = false;
    expect(await probe()).toBe(503);
    expect(await probe()).toBe(503);
    expect(warn.mock.calls).toEqual([['not ready: upstream {"status":503}']]);
    ok = true;
    await probe();
    expect(log.mock.calls).toEqual([['ready'], ['ready again']]);
  });
});

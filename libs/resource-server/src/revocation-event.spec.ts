import { isGrantId, parseRevocationEvent } from './revocation-event';

describe('revocation events (the wire format between authz and resource servers)', () => {
  it('reads the three events', () => {
    expect(parseRevocationEvent('{"type":"hello","epoch":"e1","heartbeat_ms":5000}')).toEqual({
      type: 'hello',
      epoch: 'e1',
      heartbeat_ms: 5000,
    });
    expect(parseRevocationEvent('{"type":"hello","epoch":"e1"}')).toEqual({ type: 'hello', epoch: 'e1' });
    expect(parseRevocationEvent('{"type":"grant-revoked","grant_id":"Ab_-9"}')).toEqual({
      type: 'grant-revoked',
      grant_id: 'Ab_-9',
    });
    expect(parseRevocationEvent('{"type":"client-revoked","client_id":"c","at":12}')).toEqual({
      type: 'client-revoked',
      client_id: 'c',
      at: 12,
    });
  });

  it('ignores anything malformed rather than guessing', () => {
    for (const text of [
      'not json',
      'null',
      '[]',
      '{"type":"grant-revoked","grant_id":"a/b"}',
      '{"type":"grant-revoked"}',
      '{"type":"client-revoked","client_id":"c","at":"12"}',
      '{"type":"client-revoked","client_id":"","at":1}',
      '{"type":"hello"}',
      '{"type":"other"}',
    ]) {
      expect(parseRevocationEvent(text)).toBeUndefined();
    }
  });

  it('accepts as grant ids only what authz issues: 1-128 base64url characters', () => {
    expect(isGrantId('a'.repeat(128))).toBe(true);
    for (const value of ['', 'a'.repeat(129), '../x', 'a b', 'a%2F', 42, undefined]) {
      expect(isGrantId(value)).toBe(false);
    }
  });
});

import { redactArguments } from './redact-arguments';

describe('redactArguments (the documented audit redaction rule)', () => {
  it('hides the value of any property named like a credential, whatever its type', () => {
    expect(
      redactArguments({
        password: 'hunter2',
        API_KEY: 12345,
        clientSecret: { nested: true },
        'x-auth-token': 'abc',
        session_id: 's',
        path: 'src/index.ts',
      }),
    ).toEqual({
      password: '[REDACTED]',
      API_KEY: '[REDACTED]',
      clientSecret: '[REDACTED]',
      'x-auth-token': '[REDACTED]',
      session_id: '[REDACTED]',
      path: 'src/index.ts',
    });
  });

  it('hides strings that are credentials wherever they are', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl';
    expect(
      redactArguments({
        text: jwt,
        header: 'Bearer abc.def',
        list: ['Basic dXNlcjpwdw==', '-----BEGIN PRIVATE KEY-----\nMIIB'],
        url: 'https://alice:s3cret@example.com/path',
      }),
    ).toEqual({
      text: '[REDACTED]',
      header: '[REDACTED]',
      list: ['[REDACTED]', '[REDACTED]'],
      url: 'https://[REDACTED]@example.com/path',
    });
  });

  it('bounds what it keeps: long strings, long arrays, many properties, deep nesting', () => {
    const long = 'x'.repeat(500);
    expect(redactArguments(long)).toBe(`${'x'.repeat(200)}…(500 chars)`);
    const array = redactArguments(Array.from({ length: 25 }, (_, i) => i)) as unknown[];
    expect(array).toHaveLength(21);
    expect(array[20]).toBe('…(5 more)');
    const wide = redactArguments(Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i])));
    expect(Object.keys(wide as object)).toHaveLength(51);
    expect(redactArguments({ a: { b: { c: { d: { e: { f: 1 } } } } } })).toEqual({
      a: { b: { c: { d: { e: '[…]' } } } },
    });
  });

  it('keeps plain values as they are', () => {
    expect(redactArguments({ expression: '2 + 3 * 4', n: 3, ok: true, none: null })).toEqual({
      expression: '2 + 3 * 4',
      n: 3,
      ok: true,
      none: null,
    });
  });
});

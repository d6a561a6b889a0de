import {
  basicChallenge,
  bearerInsufficientScope,
  bearerUnauthorized,
  quoteAuthParam,
  toErrorDescription,
} from './bearer-challenge';

/** Reads a challenge back the way a client must (RFC 9110 §11.2 / §5.6.4), to prove values round-trip. */
function parseParams(challenge: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of challenge.matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)) {
    params[match[1]] = match[2].replace(/\\(.)/g, '$1');
  }
  return params;
}

const PRM = 'https://gw.example/.well-known/oauth-protected-resource/mcp';

describe('quoteAuthParam', () => {
  it('escapes a double quote and a backslash as quoted-pairs', () => {
    expect(quoteAuthParam('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(parseParams(`realm=${quoteAuthParam('a "b" \\c')}`).realm).toBe('a "b" \\c');
  });

  it('drops characters a quoted-string cannot carry, so the header can never be split', () => {
    expect(quoteAuthParam('a\r\nSet-Cookie: x\u0000\u007f é\tb')).toBe('"aSet-Cookie: x \tb"');
  });
});

describe('toErrorDescription', () => {
  it('keeps printable ASCII, turns " into \' and drops \\ and everything outside RFC 6750 §3', () => {
    expect(toErrorDescription('the "aud" claim\\ is wrong\n — é')).toBe("the 'aud' claim is wrong  ");
  });
});

describe('bearerUnauthorized', () => {
  it('tells a client without credentials where to discover and what to ask for, with no error (RFC 6750 §3.1)', () => {
    const refusal = bearerUnauthorized(
      { resourceMetadata: PRM, scope: ['mcp:tools:read', 'mcp:tools:read', 'mcp:tools:execute'] },
      undefined,
      'Unauthorized: a Bearer access token is required',
    );
    expect(refusal.status).toBe(401);
    expect(refusal.challenge).toBe(
      `Bearer resource_metadata="${PRM}", scope="mcp:tools:read mcp:tools:execute"`,
    );
    expect(refusal.body).toEqual({
      error: 'unauthorized',
      error_description: 'Unauthorized: a Bearer access token is required',
    });
  });

  it('names the error and its cleaned description in the challenge and the body alike', () => {
    const refusal = bearerUnauthorized({ resourceMetadata: PRM }, 'invalid_token', 'the "kid" is \\ unknown');
    expect(refusal.challenge).toBe(
      `Bearer resource_metadata="${PRM}", error="invalid_token", error_description="the 'kid' is  unknown"`,
    );
    expect(refusal.body).toEqual({ error: 'invalid_token', error_description: "the 'kid' is  unknown" });
  });

  it('carries a realm and leaves out what was not given', () => {
    expect(bearerUnauthorized({ realm: 'authz' }, 'invalid_token').challenge).toBe(
      'Bearer realm="authz", error="invalid_token"',
    );
    expect(bearerUnauthorized({ realm: 'authz' }, 'invalid_token').body).toEqual({ error: 'invalid_token' });
  });
});

describe('bearerInsufficientScope', () => {
  it('asks for held plus required scopes and names what is missing (RFC 6750 §3.1 insufficient_scope)', () => {
    const refusal = bearerInsufficientScope(
      { resourceMetadata: PRM },
      {
        granted: ['mcp:tools:read'],
        required: ['mcp:tools:read', 'mcp:tools:execute'],
        missing: ['mcp:tools:execute'],
      },
    );
    expect(refusal.status).toBe(403);
    expect(refusal.challenge).toBe(
      `Bearer error="insufficient_scope", scope="mcp:tools:read mcp:tools:execute", resource_metadata="${PRM}", ` +
        'error_description="Forbidden: this request requires the scope mcp:tools:execute"',
    );
    expect(parseParams(refusal.challenge)).toMatchObject({
      error: 'insufficient_scope',
      resource_metadata: PRM,
    });
    expect(refusal.body).toEqual({
      error: 'insufficient_scope',
      error_description: 'Forbidden: this request requires the scope mcp:tools:execute',
      scope: 'mcp:tools:execute',
    });
  });
});

describe('basicChallenge', () => {
  it('quotes the realm with the same rule', () => {
    expect(basicChallenge('authz')).toBe('Basic realm="authz"');
    expect(basicChallenge('a"b')).toBe('Basic realm="a\\"b"');
  });
});

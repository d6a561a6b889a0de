import { parseChallenge } from './www-authenticate';

describe('parseChallenge', () => {
  it('reads the scheme and quoted or bare parameters', () => {
    expect(
      parseChallenge(
        'Bearer resource_metadata="https://a.example/.well-known/oauth-protected-resource/mcp", scope="a b"',
      ),
    ).toEqual({
      scheme: 'Bearer',
      params: {
        resource_metadata: 'https://a.example/.well-known/oauth-protected-resource/mcp',
        scope: 'a b',
      },
    });
    expect(parseChallenge('Bearer realm=mcp, error="invalid_token"')?.params).toEqual({
      realm: 'mcp',
      error: 'invalid_token',
    });
  });

  it('unescapes quoted-pairs and lower-cases parameter names', () => {
    expect(parseChallenge('Bearer Error_Description="say \\"hi\\""')?.params).toEqual({
      error_description: 'say "hi"',
    });
  });

  it('reads a bare scheme, and nothing from an empty header', () => {
    expect(parseChallenge('Bearer')).toEqual({ scheme: 'Bearer', params: {} });
    expect(parseChallenge('')).toBeUndefined();
  });
});

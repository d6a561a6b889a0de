import { authorizeQuery, pkce, useAuthz } from './support/authz-harness';

describe('authz: dynamic client registration (RFC 7591)', () => {
  const authz = useAuthz();

  it('registers a confidential client by default (client_secret_basic) and echoes its metadata', async () => {
    const response = await authz
      .http()
      .post('/register')
      .send({
        redirect_uris: ['https://app.example/cb', 'http://[::1]:8080/cb'],
        client_name: 'Example',
        client_uri: 'https://app.example',
        contacts: ['ops@app.example'],
        scope: 'mcp:tools:read',
        unknown_field: 'ignored',
      })
      .expect(201);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({
      client_id: expect.any(String),
      client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      client_secret_expires_at: 0,
      client_id_issued_at: expect.any(Number),
      redirect_uris: ['https://app.example/cb', 'http://[::1]:8080/cb'],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      client_name: 'Example',
      scope: 'mcp:tools:read',
      client_uri: 'https://app.example',
      contacts: ['ops@app.example'],
    });
    expect(Math.abs(response.body.client_id_issued_at - Date.now() / 1000)).toBeLessThan(60);
  });

  it('shows an attacker-chosen client_name escaped on the consent page', async () => {
    const name = '<img src=x onerror=alert(1)>"\'&';
    const registered = await authz
      .http()
      .post('/register')
      .send({ redirect_uris: ['http://127.0.0.1/cb'], client_name: name, token_endpoint_auth_method: 'none' })
      .expect(201);
    const page = await authz
      .http()
      .get('/authorize')
      .query(
        authorizeQuery({
          clientId: registered.body.client_id,
          redirectUri: 'http://127.0.0.1:5555/cb',
          challenge: pkce().challenge,
        }),
      )
      .expect(200);
    expect(page.text).not.toContain('<img');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
  });

  it('refuses a JSON array body with invalid_request', async () => {
    const response = await authz
      .http()
      .post('/register')
      .send([{ redirect_uris: ['https://a.example/cb'] }]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
  });

  describe('refusals', () => {
    it.each([
      [{ redirect_uris: ['http://app.example/cb'] }, 'invalid_redirect_uri'],
      [{ redirect_uris: ['https://app.example/cb#frag'] }, 'invalid_redirect_uri'],
      [{ redirect_uris: [] }, 'invalid_client_metadata'],
      [
        { redirect_uris: ['https://app.example/cb'], grant_types: ['client_credentials'] },
        'invalid_client_metadata',
      ],
      [{ redirect_uris: ['https://app.example/cb'], response_types: ['token'] }, 'invalid_client_metadata'],
      [
        { redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'private_key_jwt' },
        'invalid_client_metadata',
      ],
      [{ redirect_uris: ['https://app.example/cb'], scope: 'admin' }, 'invalid_client_metadata'],
      [{ redirect_uris: ['https://app.example/cb'], client_name: 42 }, 'invalid_client_metadata'],
      [
        { redirect_uris: ['https://app.example/cb'], client_name: 'Good\u202eevil' },
        'invalid_client_metadata',
      ],
      [{ redirect_uris: ['https://app.example/cb'], client_name: 'a\u0000b' }, 'invalid_client_metadata'],
      [
        { redirect_uris: ['https://app.example/cb'], client_uri: 'javascript:alert(1)' },
        'invalid_client_metadata',
      ],
      [
        { redirect_uris: ['https://app.example/cb'], logo_uri: 'data:image/png;base64,AA' },
        'invalid_client_metadata',
      ],
      [{ redirect_uris: ['https://user:pw@app.example/cb'] }, 'invalid_redirect_uri'],
      [
        { redirect_uris: Array.from({ length: 21 }, (_, i) => `https://app.example/${i}`) },
        'invalid_client_metadata',
      ],
      [{ redirect_uris: ['https://app.example/cb'], contacts: [1] }, 'invalid_client_metadata'],
    ])('refuses %j with %s', async (body, error) => {
      const response = await authz.http().post('/register').send(body);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe(error);
    });
  });
});

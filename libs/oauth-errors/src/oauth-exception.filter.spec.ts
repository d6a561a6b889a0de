import { BadRequestException, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { InvalidClientError, InvalidGrantError } from './oauth-error';
import { OAuthExceptionFilter, toOAuthError } from './oauth-exception.filter';

function fakeHost() {
  const headers: Record<string, string> = {};
  const response = {
    headersSent: false,
    statusCode: 0,
    body: undefined as unknown,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    json(body: unknown) {
      this.body = body;
    },
    end() {},
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, response, headers };
}

describe('OAuthExceptionFilter', () => {
  it('renders an OAuth error with its status, body and no-store', () => {
    const { host, response, headers } = fakeHost();
    new OAuthExceptionFilter().catch(new InvalidGrantError('code reused'), host);
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_grant', error_description: 'code reused' });
    expect(headers['cache-control']).toBe('no-store');
  });

  it('adds the Basic challenge of an invalid_client raised for Basic credentials', () => {
    const { host, response, headers } = fakeHost();
    new OAuthExceptionFilter().catch(
      new InvalidClientError('bad', { scheme: 'Basic', realm: 'authz' }),
      host,
    );
    expect(response.statusCode).toBe(401);
    expect(headers['www-authenticate']).toBe('Basic realm="authz"');
  });

  it('never echoes the message of an unexpected error', () => {
    const { host, response } = fakeHost();
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    new OAuthExceptionFilter().catch(new Error('secret internals at /srv/app.js:1'), host);
    expect(response.statusCode).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('internals');
    expect(response.body).toMatchObject({ error: 'server_error' });
  });

  it.each([
    [new NotFoundException('Cannot GET /x'), 404, 'not_found'],
    [Object.assign(new Error('too big'), { type: 'entity.too.large', status: 413 }), 413, 'invalid_request'],
    [
      Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 }),
      400,
      'invalid_request',
    ],
    [Object.assign(new Error('x'), { status: 429 }), 429, 'temporarily_unavailable'],
    [new BadRequestException('whatever'), 400, 'invalid_request'],
  ])('maps %p to %i %s', (exception, status, error) => {
    const mapped = toOAuthError(exception);
    expect(mapped.status).toBe(status);
    expect(mapped.errorCode).toBe(error);
    expect(mapped.description).not.toContain('Cannot GET');
  });
});

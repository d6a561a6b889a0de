import {
  BadRequestException,
  HttpException,
  Logger,
  NotFoundException,
  type ArgumentsHost,
} from '@nestjs/common';
import { InvalidClientError, InvalidGrantError, TemporarilyUnavailableError } from './oauth-error';
import { OAuthExceptionFilter, toOAuthError } from './oauth-exception.filter';

function fakeHost() {
  const headers: Record<string, string> = {};
  // What the filter may use of a Node ServerResponse (it writes with writeJson, not Express's res.json).
  const response = {
    headersSent: false,
    statusCode: 0,
    body: undefined as unknown,
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    end(text?: string) {
      if (text !== undefined) this.body = JSON.parse(text);
    },
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
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('renders an unavailable store as 503 temporarily_unavailable with Retry-After', () => {
    const { host, response, headers } = fakeHost();
    new OAuthExceptionFilter().catch(new TemporarilyUnavailableError('store down', 5), host);
    expect(response.statusCode).toBe(503);
    expect(response.body).toEqual({ error: 'temporarily_unavailable', error_description: 'store down' });
    expect(headers['retry-after']).toBe('5');
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
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    new OAuthExceptionFilter().catch(new Error('secret internals at /srv/app.js:1'), host);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('secret internals'));
    logged.mockRestore();
    expect(response.statusCode).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('internals');
    expect(response.body).toMatchObject({ error: 'server_error' });
  });

  it('names a malformed body even when Nest wrapped the body-parser error', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected end of JSON input'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    const wrapped = new BadRequestException(parseError.message, { cause: parseError });
    expect(toOAuthError(wrapped).toResponseObject()).toEqual({
      error: 'invalid_request',
      error_description: 'The request body is malformed.',
    });
    const tooLarge = new HttpException('request entity too large', 413, {
      cause: Object.assign(new Error('too large'), { type: 'entity.too.large' }),
    });
    expect(toOAuthError(tooLarge)).toMatchObject({
      status: 413,
      description: 'The request body is too large.',
    });
    expect(toOAuthError(null)).toMatchObject({ status: 500, errorCode: 'server_error' });
  });

  it("keeps the throttler's own Retry-After instead of inventing one", () => {
    const { host, response, headers } = fakeHost();
    headers['retry-after'] = '17';
    new OAuthExceptionFilter().catch(Object.assign(new Error('x'), { status: 429 }), host);
    expect(response.statusCode).toBe(429);
    expect(headers['retry-after']).toBe('17');
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

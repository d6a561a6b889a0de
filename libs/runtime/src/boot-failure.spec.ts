import { ConfigValidationError } from '@app/config';
import { describeBootFailure, ListenError } from './boot-failure';

const errno = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${code}: something`), { code, ...extra }) as NodeJS.ErrnoException;

describe('describeBootFailure', () => {
  const variables = { port: 'GATEWAY_PORT', host: 'GATEWAY_HOST' };

  it('names the port variable for a port in use or a privileged port, the host variable for a foreign address', () => {
    expect(describeBootFailure(new ListenError(errno('EADDRINUSE'), 3002, '127.0.0.1', variables), {})).toBe(
      '127.0.0.1 port 3002 is already in use: set GATEWAY_PORT to a free port, or stop what holds it.',
    );
    expect(describeBootFailure(new ListenError(errno('EACCES'), 80, undefined, variables), {})).toContain(
      'set GATEWAY_PORT to a port above 1023',
    );
    expect(
      describeBootFailure(new ListenError(errno('EADDRNOTAVAIL'), 3002, '10.9.9.9', variables), {}),
    ).toBe('10.9.9.9 is not an address of this machine: change GATEWAY_HOST.');
  });

  it('names the variable pointing at a folder that cannot be used, the most specific one', () => {
    const env = { HOME: '/home/me', AUTHZ_DATA_DIR: './data/authz', AUDIT_FILE: './data/audit/authz.log' };
    const failure = errno('EACCES', { path: `${process.cwd()}/data/authz/oauth-store.sqlite` });
    expect(describeBootFailure(failure, env)).toBe(
      `cannot use ${process.cwd()}/data/authz/oauth-store.sqlite (EACCES): change AUTHZ_DATA_DIR or the permissions of that folder.`,
    );
  });

  it('puts every config problem on one line', () => {
    const error = new ConfigValidationError(['MCP_PORT: must be an integer', 'MCP_HOST: must be a string']);
    expect(describeBootFailure(error, {})).toBe(
      'invalid configuration: MCP_PORT: must be an integer; MCP_HOST: must be a string',
    );
  });

  it('keeps a message that names its variable, and says so when no setting explains a failure', () => {
    expect(describeBootFailure(new Error('AUDIT_SINK: redis needs STORE_URL'), {})).toBe(
      'cannot start: AUDIT_SINK: redis needs STORE_URL',
    );
    expect(describeBootFailure(new Error('ENOTSUP: no\nstack'), {})).toBe(
      'failed to start: ENOTSUP: no (no setting explains this; LOG_LEVEL=debug also prints the stack).',
    );
  });
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { DoctorReport } from '../tools/doctor/run-doctor';
import { runDoctor } from '../tools/doctor/run-doctor';
import { REPO_ROOT } from './support/paths';
import { startStack, type Stack } from './support/stack';
import { TamperingProxy, type ProxiedAnswer } from './support/tampering-proxy';

const run = promisify(execFile);

/** `npm run doctor -- <args>` as an operator (or CI) runs it; resolves whatever the exit status. */
async function doctorCli(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run('npm', ['run', '-s', 'doctor', '--', ...args], {
      cwd: REPO_ROOT,
      timeout: 60_000,
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '' };
  }
}

const check = (report: DoctorReport, id: string) => {
  const found = report.checks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};

describe('npm run doctor', () => {
  describe('against a healthy stack', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack();
    });
    afterAll(() => stack?.stop());

    it('passes every check on both loopback names', async () => {
      for (const host of ['localhost', '127.0.0.1'] as const) {
        const report = await runDoctor(stack.mcpUrl(host));
        expect(report.checks.filter((result) => result.status !== 'pass')).toEqual([]);
        expect(report.ok).toBe(true);
      }
    });

    it('exits 0 and prints a JSON report for CI', async () => {
      const { code, stdout } = await doctorCli(stack.mcpUrl(), '--json');
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as DoctorReport;
      expect(report).toMatchObject({ url: stack.mcpUrl(), ok: true });
      expect(report.checks.map((result) => result.id)).toEqual([
        'tls',
        'challenge',
        'resource-metadata',
        'resource-match',
        'issuer',
        'registration',
        'pkce',
        'iss',
        'jwks',
        'cors',
        'clock',
      ]);
    });

    describe('behind a proxy that breaks things', () => {
      let proxy: TamperingProxy;
      beforeAll(async () => {
        proxy = await new TamperingProxy(stack.gatewayPort).start();
      });
      afterAll(() => proxy.stop());

      async function doctorWith(
        tamper: (path: string, method: string, answer: ProxiedAnswer) => ProxiedAnswer,
      ) {
        proxy.tamper = tamper;
        return runDoctor(proxy.mcpUrl());
      }
      const json = (
        answer: ProxiedAnswer,
        change: (body: Record<string, unknown>) => void,
      ): ProxiedAnswer => {
        const body = JSON.parse(answer.body.toString()) as Record<string, unknown>;
        change(body);
        return { ...answer, body: Buffer.from(JSON.stringify(body)) };
      };

      it('passes through an honest proxy', async () => {
        expect((await doctorWith((_path, _method, answer) => answer)).ok).toBe(true);
      });

      it('names a dropped WWW-Authenticate header', async () => {
        const report = await doctorWith((path, _method, answer) => {
          if (path === '/mcp') delete answer.headers['www-authenticate'];
          return answer;
        });
        expect(report.ok).toBe(false);
        expect(check(report, 'challenge')).toMatchObject({
          status: 'fail',
          fix: expect.stringMatching(/drops WWW-Authenticate/),
        });
      });

      it('names an issuer that is not byte-identical', async () => {
        const report = await doctorWith((path, _method, answer) =>
          path === '/.well-known/oauth-authorization-server'
            ? json(answer, (body) => (body.issuer = `${String(body.issuer)}/`))
            : answer,
        );
        expect(check(report, 'issuer')).toMatchObject({
          status: 'fail',
          fix: expect.stringMatching(/byte for byte/),
        });
      });

      it('names missing PKCE S256 and iss support', async () => {
        const report = await doctorWith((path, _method, answer) =>
          path === '/.well-known/oauth-authorization-server'
            ? json(answer, (body) => {
                body.code_challenge_methods_supported = ['plain'];
                delete body.authorization_response_iss_parameter_supported;
              })
            : answer,
        );
        expect(check(report, 'pkce')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/S256/) });
        expect(check(report, 'iss')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/iss/) });
      });

      it('names an unreachable JWKS', async () => {
        const report = await doctorWith((path, _method, answer) =>
          path === '/.well-known/jwks.json'
            ? { status: 502, headers: {}, body: Buffer.from('bad gateway') }
            : answer,
        );
        expect(check(report, 'jwks')).toMatchObject({
          status: 'fail',
          fix: expect.stringMatching(/jwks\.json/),
        });
      });

      it('names hidden response headers for browsers', async () => {
        const report = await doctorWith((path, method, answer) => {
          if (path === '/mcp' && method === 'POST')
            answer.headers['access-control-expose-headers'] = 'X-Request-Id';
          return answer;
        });
        expect(check(report, 'cors')).toMatchObject({
          status: 'fail',
          detail: expect.stringMatching(/cannot read www-authenticate/),
          fix: expect.stringMatching(/Expose-Headers/),
        });
      });

      it('names a skewed clock', async () => {
        const report = await doctorWith((_path, _method, answer) => ({
          ...answer,
          headers: { ...answer.headers, date: new Date(Date.now() + 5 * 60_000).toUTCString() },
        }));
        expect(check(report, 'clock')).toMatchObject({
          status: 'fail',
          detail: expect.stringMatching(/(299|300|301) s ahead/),
          fix: expect.stringMatching(/NTP/),
        });
      });
    });
  });

  it('names PUBLIC_URL when clients reach the gateway at another origin, and exits 1', async () => {
    const stack = await startStack({
      common: { PUBLIC_URL: 'https://mcp.example.com', PUBLIC_HOST_ALIASES: 'localhost' },
    });
    try {
      const url = stack.mcpUrl('127.0.0.1');
      const report = await runDoctor(url);
      expect(check(report, 'resource-match')).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining(
          `PUBLIC_URL says https://mcp.example.com but clients reach http://127.0.0.1:${stack.gatewayPort}: set PUBLIC_URL, or GATEWAY_TRUSTED_PROXIES`,
        ),
      });
      const { code, stdout } = await doctorCli(url);
      expect(code).toBe(1);
      expect(stdout).toMatch(/FAIL\s+resource = the URL used/);
      expect(stdout).toContain('fix: PUBLIC_URL says https://mcp.example.com');
    } finally {
      await stack.stop();
    }
  });

  it('names the CORS lists and the CIMD switch when they are off', async () => {
    const stack = await startStack({
      authz: { AUTHZ_CIMD_ENABLED: 'false' },
      gateway: { GATEWAY_CORS_ORIGINS: 'https://other.example' },
      mcp: { MCP_ALLOWED_ORIGINS: 'https://other.example' },
    });
    try {
      const report = await runDoctor(stack.mcpUrl());
      expect(report.ok).toBe(false);
      expect(check(report, 'cors')).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining(
          'Add http://localhost:6274 to GATEWAY_CORS_ORIGINS and MCP_ALLOWED_ORIGINS',
        ),
      });
      expect(check(report, 'registration')).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining('AUTHZ_CIMD_ENABLED=true'),
      });
      expect(
        (await runDoctor(stack.mcpUrl(), { browserOrigin: 'https://other.example' })).checks,
      ).toContainEqual(expect.objectContaining({ id: 'cors', status: 'pass' }));
    } finally {
      await stack.stop();
    }
  });

  it('refuses a bad command line with exit status 2', async () => {
    expect((await doctorCli()).code).toBe(2);
    expect((await doctorCli('not-a-url')).code).toBe(2);
  });
});

import { metadataUrlsFor } from './checks/authorization-server.check';
import { resourceMetadataUrls } from './checks/resource-metadata.check';
import { isLoopbackHost, transportSecurityCheck } from './checks/transport-security.check';
import type { DoctorContext } from './doctor-context';
import { parseArguments } from './doctor.cli';
import { HttpProbe } from './http-probe';
import { formatReport } from './report';

const contextFor = (url: string): DoctorContext => ({
  mcpUrl: new URL(url),
  browserOrigin: 'http://localhost:6274',
  http: new HttpProbe(1000),
  found: {},
});

describe('doctor', () => {
  it('accepts plain http only on loopback', async () => {
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('127.0.0.9')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(isLoopbackHost('mcp.example.com')).toBe(false);
    expect((await transportSecurityCheck.run(contextFor('https://mcp.example.com/mcp'))).status).toBe('pass');
    expect((await transportSecurityCheck.run(contextFor('http://127.0.0.1:3002/mcp'))).status).toBe('pass');
    const insecure = await transportSecurityCheck.run(contextFor('http://mcp.example.com/mcp'));
    expect(insecure.status).toBe('fail');
    expect(insecure.fix).toMatch(/PUBLIC_URL.*GATEWAY_TRUSTED_PROXIES/);
  });

  it('knows both well-known forms of the resource metadata (RFC 9728 §3.1)', () => {
    expect(resourceMetadataUrls(new URL('https://a.example/mcp'))).toEqual([
      'https://a.example/.well-known/oauth-protected-resource/mcp',
      'https://a.example/.well-known/oauth-protected-resource',
    ]);
    expect(resourceMetadataUrls(new URL('https://a.example/'))).toEqual([
      'https://a.example/.well-known/oauth-protected-resource',
    ]);
  });

  it('looks for issuer metadata where the MCP SDK does (RFC 8414 §3.1, OIDC Discovery)', () => {
    expect(metadataUrlsFor('https://a.example')).toEqual([
      'https://a.example/.well-known/oauth-authorization-server',
      'https://a.example/.well-known/openid-configuration',
    ]);
    expect(metadataUrlsFor('https://a.example/tenant')).toEqual([
      'https://a.example/.well-known/oauth-authorization-server/tenant',
      'https://a.example/.well-known/openid-configuration/tenant',
      'https://a.example/tenant/.well-known/openid-configuration',
    ]);
  });

  it('parses its command line, refusing what it cannot use', () => {
    expect(
      parseArguments(['https://a.example/mcp', '--json', '--origin', 'https://app.example', '--timeout=500']),
    ).toEqual({
      url: 'https://a.example/mcp',
      json: true,
      origin: 'https://app.example',
      timeoutMs: 500,
    });
    expect(parseArguments([])).toMatch(/^usage/);
    expect(parseArguments(['ftp://a.example'])).toMatch(/not an http\(s\) URL/);
    expect(parseArguments(['https://a.example', '--bogus'])).toMatch(/unknown option/);
    expect(parseArguments(['https://a.example', '--timeout', '-1'])).toMatch(/positive/);
  });

  it('prints each check with its fix and a summary', () => {
    const text = formatReport({
      url: 'https://a.example/mcp',
      ok: false,
      checks: [
        { id: 'tls', title: 'HTTPS', status: 'pass', detail: 'https' },
        { id: 'cors', title: 'CORS', status: 'fail', detail: 'no', fix: 'Add it.' },
      ],
    });
    expect(text).toContain('PASS  HTTPS  https');
    expect(text).toContain('FAIL  CORS   no');
    expect(text).toContain('fix: Add it.');
    expect(text).toContain('1 passed, 0 warnings, 1 failed, 0 skipped');
  });
});

import { bindingCookie, bindingValue, clearBindingCookie, readCookie } from './browser-binding';

describe('browser binding cookie', () => {
  const value = 'A'.repeat(43);

  it('reads one cookie out of a Cookie header, ignoring look-alike names', () => {
    expect(readCookie(`other=1; mcp-login=${value}; x=y`, 'mcp-login')).toBe(value);
    expect(readCookie(`xmcp-login=${value}`, 'mcp-login')).toBeUndefined();
    expect(readCookie(undefined, 'mcp-login')).toBeUndefined();
    expect(readCookie(`mcp-login=${value}; ${'a'.repeat(9000)}`, 'mcp-login')).toBeUndefined();
  });

  it("keeps the browser's well-formed value and replaces anything else with 256 random bits", () => {
    expect(bindingValue(`mcp-login=${value}`, false)).toBe(value);
    const fresh = bindingValue('mcp-login=short', false);
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(bindingValue(undefined, false)).not.toBe(fresh);
    // Over https only the __Host- cookie counts: a plain one may have been planted by a sibling host.
    expect(bindingValue(`mcp-login=${value}`, true)).not.toBe(value);
    expect(bindingValue(`__Host-mcp-login=${value}`, true)).toBe(value);
  });

  it('is HttpOnly and SameSite=Lax, Secure with the __Host- prefix over https', () => {
    expect(bindingCookie(value, false, 600)).toBe(
      `mcp-login=${value}; Max-Age=600; Path=/; HttpOnly; SameSite=Lax`,
    );
    expect(bindingCookie(value, true, 600)).toBe(
      `__Host-mcp-login=${value}; Max-Age=600; Path=/; HttpOnly; SameSite=Lax; Secure`,
    );
    expect(clearBindingCookie(false)).toContain('mcp-login=; Max-Age=0');
  });
});

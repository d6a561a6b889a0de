import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_MCP_SCOPES, requiredScopesFor } from '@app/scopes';
import { DEFAULT_RESOURCE } from './protected-resource';
import { isToolHidden, itemScopeLookup, listsNeedFiltering, scopesSupported } from './resource-rules';
import { loadProtectedResources, parseProtectedResources, ResourcesFileError } from './resources-file';

const ECHO_YAML = `
resources:
  - path: /mcp
  - path: /echo/mcp
    upstream: [http://127.0.0.1:9001/mcp, http://127.0.0.1:9002/mcp]
    name: Echo
    description: Says things back
    scopes: [echo:admin]
    tools:
      delete_everything: [echo:admin]
    prompts:
      secret_prompt: echo:admin
    resources:
      "file:///secret/*": [echo:admin, mcp:resources:read]
    denyTools: [debug]
`;

function problemsOf(document: unknown): string[] {
  try {
    parseProtectedResources(document, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ResourcesFileError);
    return (error as ResourcesFileError).problems;
  }
  throw new Error('the document was accepted');
}

describe('GATEWAY_RESOURCES_FILE', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'resources-file-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('is the bundled /mcp alone when unset', () => {
    expect(loadProtectedResources(undefined)).toEqual([DEFAULT_RESOURCE]);
    expect(DEFAULT_RESOURCE.forward).toBe('token');
  });

  it('reads YAML under a resources key, with defaults for what an entry leaves out', () => {
    const [mcp, echo] = loadProtectedResources(write('r.yaml', ECHO_YAML));
    expect(mcp).toMatchObject({ path: '/mcp', name: DEFAULT_RESOURCE.name, forward: 'token', scopes: [] });
    expect(mcp.upstream).toBeUndefined();
    expect(echo).toMatchObject({
      path: '/echo/mcp',
      upstream: ['http://127.0.0.1:9001/mcp', 'http://127.0.0.1:9002/mcp'],
      name: 'Echo',
      description: 'Says things back',
      scopes: ['echo:admin'],
      forward: 'headers',
    });
    expect(echo.tools.get('delete_everything')).toEqual(['echo:admin']);
    expect(echo.prompts.get('secret_prompt')).toEqual(['echo:admin']);
    expect(scopesSupported(echo)).toEqual([...ALL_MCP_SCOPES, 'echo:admin']);
  });

  it('reads a JSON top-level list, one upstream URL as a string', () => {
    const file = write(
      'r.json',
      JSON.stringify([{ path: '/a/mcp', upstream: 'https://a.example/mcp', forward: 'none' }]),
    );
    expect(loadProtectedResources(file)).toMatchObject([
      { path: '/a/mcp', upstream: ['https://a.example/mcp'], forward: 'none' },
    ]);
  });

  it('adds per-item scopes to the method scope, and hides denied and unlisted tools', () => {
    const echo = loadProtectedResources(write('r2.yaml', ECHO_YAML))[1];
    const lookup = itemScopeLookup(echo);
    const call = (name: string) => requiredScopesFor({ method: 'tools/call', params: { name } }, lookup);
    expect(call('echo')).toEqual(['mcp:tools:execute']);
    expect(call('delete_everything')).toEqual(['mcp:tools:execute', 'echo:admin']);
    const read = (uri: string) => requiredScopesFor({ method: 'resources/read', params: { uri } }, lookup);
    expect(read('file:///secret/a/b.txt')).toEqual(['mcp:resources:read', 'echo:admin']);
    expect(read('file:///public.txt')).toEqual(['mcp:resources:read']);
    expect(isToolHidden(echo, 'debug')).toBe(true);
    expect(isToolHidden(echo, 'echo')).toBe(false);
    const allowed = parseProtectedResources([{ path: '/x', upstream: 'http://x', allowTools: ['echo'] }])[0];
    expect(isToolHidden(allowed, 'echo')).toBe(false);
    expect(isToolHidden(allowed, 'other')).toBe(true);
    expect(listsNeedFiltering(echo)).toBe(true);
    expect(listsNeedFiltering(DEFAULT_RESOURCE)).toBe(false);
  });

  it('names the entry and the field of every problem', () => {
    expect(
      problemsOf([
        { path: '/ok', upstream: 'http://ok', tools: { nuke: ['nuke:all'] }, colour: 'red' },
        { path: 'relative', upstream: 'ftp://x' },
        { path: '/b', upstream: [], scopes: ['mcp:tools:read', 'bad scope'], forward: 'cookie' },
        { path: '/c' },
        { path: '/ok', upstream: 'http://u:p@x/mcp?q=1' },
      ]),
    ).toEqual([
      'resources[0] (/ok): colour: is not a known field',
      'resources[0] (/ok): tools.nuke: nuke:all is neither an mcp:* scope nor in scopes',
      'resources[1] (relative): path: must be an absolute path like /echo/mcp (plain segments, no trailing slash)',
      'resources[1] (relative): upstream: "ftp://x" must be http or https',
      'resources[2] (/b): upstream: must be a URL or a non-empty list of URLs',
      'resources[2] (/b): scopes: mcp:tools:read is built in; list only new scopes',
      'resources[2] (/b): scopes: "bad scope" is not a scope token',
      'resources[2] (/b): forward: must be one of token, headers, none',
      'resources[3] (/c): upstream: is required (only /mcp, the bundled MCP server, may omit it)',
      'resources[4] (/ok): upstream: "http://u:p@x/mcp?q=1" must have no credentials, query or fragment',
    ]);
    expect(
      problemsOf([
        { path: '/a', upstream: 'http://a' },
        { path: '/a', upstream: 'http://b' },
      ]),
    ).toEqual(['resources[1] (/a): path: is listed twice']);
  });

  it('refuses dot segments, trailing slashes, empty lists and other shapes', () => {
    for (const path of ['/a/../mcp', '/a/./b', '/a/', '//a', '/a%2fb'])
      expect(problemsOf([{ path, upstream: 'http://a' }])[0]).toMatch(/path: must be an absolute path/);
    expect(problemsOf([])).toEqual(['lists no resource']);
    expect(problemsOf({ resources: [], extra: 1 })).toEqual([
      'must be a list of resources, or a list under "resources"',
    ]);
    expect(problemsOf(['/mcp'])).toEqual(['resources[0]: must be an object with at least path']);
  });

  it('says which file could not be read or parsed', () => {
    expect(() => loadProtectedResources(join(dir, 'missing.yaml'))).toThrow(
      /GATEWAY_RESOURCES_FILE \(.*missing\.yaml\): cannot be read \(ENOENT\)/,
    );
    expect(() => loadProtectedResources(write('bad.yaml', 'resources: [path: /a\n  - x: ]'))).toThrow(
      /is not valid YAML or JSON/,
    );
  });
});

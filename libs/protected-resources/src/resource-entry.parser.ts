import { ALL_MCP_SCOPES } from '@app/scopes';
import {
  BUNDLED_MCP_PATH,
  DEFAULT_RESOURCE,
  FORWARD_MODES,
  type ForwardMode,
  type ProtectedResource,
} from './protected-resource';
import { compileUriPattern } from './uri-pattern';

/** RFC 3986 §3.3 segments of unreserved characters and sub-delims: nothing a proxy could read differently. */
const PATH = /^(\/[A-Za-z0-9\-._~!$&'()*+,;=:@]+)+$/;
/** RFC 6749 §3.3 scope-token. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
/** Scopes that exist without any file (offline_access is the authorization server's own, SEP-2207). */
const BUILT_IN_SCOPES = new Set<string>([...ALL_MCP_SCOPES, 'offline_access']);
const FIELDS = new Set([
  'path',
  'upstream',
  'name',
  'description',
  'scopes',
  'tools',
  'prompts',
  'resources',
  'allowTools',
  'denyTools',
  'forward',
]);

/** Collects what is wrong with one entry, each message naming the field. */
class EntryProblems {
  readonly messages: string[] = [];
  add(field: string, message: string): void {
    this.messages.push(`${field}: ${message}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function text(problems: EntryProblems, field: string, value: unknown, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    problems.add(field, `must be a non-empty string of at most ${max} characters`);
    return undefined;
  }
  return value;
}

function names(problems: EntryProblems, field: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) {
    problems.add(field, 'must be a list of names');
    return [];
  }
  return value as string[];
}

function upstreams(problems: EntryProblems, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    problems.add('upstream', 'must be a URL or a non-empty list of URLs');
    return undefined;
  }
  for (const url of list) {
    const problem = upstreamUrlProblem(url);
    if (problem) problems.add('upstream', problem);
  }
  return list as string[];
}

/** Why a string is not an upstream URL (absolute http(s), no credentials, query or fragment), or undefined. */
export function upstreamUrlProblem(url: unknown): string | undefined {
  const shown = JSON.stringify(url);
  if (typeof url !== 'string') return `${shown} is not a URL`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${shown} is not an absolute URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${shown} must be http or https`;
  if (parsed.username || parsed.password || parsed.search || parsed.hash || url.includes('#')) {
    return `${shown} must have no credentials, query or fragment`;
  }
  return undefined;
}

/** A map of item name (or URI pattern) -> scopes, each scope built in or declared by the entry. */
function scopeMap(
  problems: EntryProblems,
  field: string,
  value: unknown,
  declared: ReadonlySet<string>,
): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (value === undefined) return map;
  if (!isObject(value)) {
    problems.add(field, 'must map names to lists of scopes');
    return map;
  }
  for (const [name, scopes] of Object.entries(value)) {
    const list = typeof scopes === 'string' ? [scopes] : scopes;
    if (!Array.isArray(list) || !list.every((scope) => typeof scope === 'string')) {
      problems.add(`${field}.${name}`, 'must be a list of scope names');
      continue;
    }
    const unknown = list.filter((scope) => !BUILT_IN_SCOPES.has(scope) && !declared.has(scope));
    if (unknown.length > 0) {
      problems.add(`${field}.${name}`, `${unknown.join(', ')} is neither an mcp:* scope nor in scopes`);
    }
    map.set(name, list as string[]);
  }
  return map;
}

function extraScopes(problems: EntryProblems, value: unknown): string[] {
  const scopes = names(problems, 'scopes', value);
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope)) problems.add('scopes', `${JSON.stringify(scope)} is not a scope token`);
    else if (BUILT_IN_SCOPES.has(scope)) problems.add('scopes', `${scope} is built in; list only new scopes`);
  }
  return [...new Set(scopes)];
}

function forwardMode(problems: EntryProblems, value: unknown, bundled: boolean): ForwardMode {
  if (value === undefined) return bundled ? 'token' : 'headers';
  if (FORWARD_MODES.includes(value as ForwardMode)) return value as ForwardMode;
  problems.add('forward', `must be one of ${FORWARD_MODES.join(', ')}`);
  return 'none';
}

/** One entry of the file; `problems` receives messages naming the field (the caller names the entry). */
export function parseResourceEntry(raw: unknown): { resource?: ProtectedResource; problems: string[] } {
  const problems = new EntryProblems();
  if (!isObject(raw)) return { problems: ['must be an object with at least path'] };
  for (const key of Object.keys(raw)) if (!FIELDS.has(key)) problems.add(key, 'is not a known field');
  const path = raw.path;
  if (typeof path !== 'string' || !PATH.test(path) || /\/\.\.?(\/|$)/.test(path) || path.length > 256) {
    problems.add('path', 'must be an absolute path like /echo/mcp (plain segments, no trailing slash)');
  }
  const upstream = upstreams(problems, raw.upstream);
  // The bundled server checks `aud` = base + /mcp itself, so it can live nowhere else.
  if (upstream === undefined && raw.upstream === undefined && path !== BUNDLED_MCP_PATH) {
    problems.add('upstream', `is required (only ${BUNDLED_MCP_PATH}, the bundled MCP server, may omit it)`);
  }
  const scopes = extraScopes(problems, raw.scopes);
  const declared = new Set(scopes);
  const patterns = scopeMap(problems, 'resources', raw.resources, declared);
  const allowTools = raw.allowTools === undefined ? undefined : names(problems, 'allowTools', raw.allowTools);
  const resource: ProtectedResource = {
    path: path as string,
    ...(upstream ? { upstream } : {}),
    name:
      text(problems, 'name', raw.name, 200) ??
      (upstream === undefined ? DEFAULT_RESOURCE.name : (path as string)),
    ...(raw.description === undefined
      ? {}
      : { description: text(problems, 'description', raw.description, 1000) }),
    scopes,
    tools: scopeMap(problems, 'tools', raw.tools, declared),
    prompts: scopeMap(problems, 'prompts', raw.prompts, declared),
    resources: [...patterns].map(([pattern, needed]) => ({
      pattern,
      scopes: needed,
      matches: compileUriPattern(pattern),
    })),
    ...(allowTools ? { allowTools: new Set(allowTools) } : {}),
    denyTools: new Set(names(problems, 'denyTools', raw.denyTools)),
    forward: forwardMode(problems, raw.forward, upstream === undefined),
  };
  return problems.messages.length > 0 ? { problems: problems.messages } : { resource, problems: [] };
}

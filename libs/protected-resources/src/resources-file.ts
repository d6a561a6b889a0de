import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_RESOURCE, type ProtectedResource } from './protected-resource';
import { parseResourceEntry } from './resource-entry.parser';

/** The file is unusable; each problem names the entry (index and path) and the field. */
export class ResourcesFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`GATEWAY_RESOURCES_FILE (${file}): ${problems.join('; ')}`);
    this.name = 'ResourcesFileError';
  }
}

/** The list itself: top level, or under `resources`. */
function entriesOf(document: unknown): unknown[] | undefined {
  if (Array.isArray(document)) return document;
  if (typeof document === 'object' && document !== null && !Array.isArray(document)) {
    const keys = Object.keys(document);
    const list = (document as { resources?: unknown }).resources;
    if (keys.length === 1 && Array.isArray(list)) return list;
  }
  return undefined;
}

/** Validates a parsed document (a list of entries, or `{resources: [...]}`); throws ResourcesFileError. */
export function parseProtectedResources(document: unknown, file = '<inline>'): ProtectedResource[] {
  const entries = entriesOf(document);
  if (!entries)
    throw new ResourcesFileError(file, ['must be a list of resources, or a list under "resources"']);
  if (entries.length === 0) throw new ResourcesFileError(file, ['lists no resource']);
  const problems: string[] = [];
  const resources: ProtectedResource[] = [];
  const seen = new Set<string>();
  entries.forEach((raw, index) => {
    const path = (raw as { path?: unknown } | null)?.path;
    const label = `resources[${index}]${typeof path === 'string' ? ` (${path})` : ''}`;
    const parsed = parseResourceEntry(raw);
    problems.push(...parsed.problems.map((problem) => `${label}: ${problem}`));
    if (!parsed.resource) return;
    if (seen.has(parsed.resource.path)) problems.push(`${label}: path: is listed twice`);
    seen.add(parsed.resource.path);
    resources.push(parsed.resource);
  });
  if (problems.length > 0) throw new ResourcesFileError(file, problems);
  return resources;
}

/**
 * THE reader of GATEWAY_RESOURCES_FILE, for the gateway and authz alike: YAML or JSON (YAML 1.2 reads JSON as
 * is), read once at boot. Without a file: `/mcp`, the bundled MCP server.
 */
export function loadProtectedResources(file: string | undefined): readonly ProtectedResource[] {
  if (file === undefined) return [DEFAULT_RESOURCE];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ResourcesFileError(file, [
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new ResourcesFileError(file, [
      `is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`,
    ]);
  }
  return parseProtectedResources(document, file);
}

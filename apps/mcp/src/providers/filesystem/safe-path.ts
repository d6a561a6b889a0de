import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Refusal } from '../../registry/refusal';

const MAX_PATH_LENGTH = 1024;
// %2e '.', %2f '/', %5c '\', %00 NUL: encodings that only ever serve to smuggle traversal past a check.
const ENCODED_TRAVERSAL = /%(2e|2f|5c|00)/i;

/**
 * Checks a path relative to the workspace root without touching the disk: no NUL bytes, no absolute or
 * drive-letter paths, no backslashes, no `..` segments, no percent-encoded traversal characters.
 */
export function assertSafeRelativePath(requested: string): string {
  if (requested.length > MAX_PATH_LENGTH)
    throw new Refusal(`Path refused: longer than ${MAX_PATH_LENGTH} characters`);
  if (requested.includes('\0')) throw new Refusal('Path refused: it contains a NUL byte');
  if (ENCODED_TRAVERSAL.test(requested))
    throw new Refusal('Path refused: percent-encoded path characters are not accepted');
  if (requested.includes('\\')) throw new Refusal('Path refused: use "/" as the separator');
  if (isAbsolute(requested) || /^[A-Za-z]:/.test(requested)) {
    throw new Refusal('Path refused: absolute paths are not accepted; give a path relative to the workspace');
  }
  if (requested.split('/').includes('..')) throw new Refusal('Path refused: ".." segments are not accepted');
  const normalised = requested
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
  return normalised === '' ? '.' : normalised;
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves a workspace-relative path to a real path inside `root` (itself a real path). Symlinks are followed
 * and must still land inside the root; a missing file is reported plainly.
 */
export async function resolveInsideRoot(root: string, requested: string): Promise<string> {
  const safe = assertSafeRelativePath(requested);
  const candidate = resolve(root, safe);
  if (!isInside(root, candidate)) throw new Refusal('Path refused: it leaves the workspace');
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Refusal(`Not found: ${safe}`);
    throw new Refusal(`Cannot open ${safe}`);
  }
  if (!isInside(root, real)) throw new Refusal('Path refused: a symbolic link leads outside the workspace');
  return real;
}

/** The workspace-relative form of a real path inside the root, with "/" separators. */
export function toWorkspacePath(root: string, real: string): string {
  const rel = relative(root, real).split(sep).join('/');
  return rel === '' ? '.' : rel;
}

/** `file:///a/b.txt` -> `a/b.txt`: the URI path is decoded once; a second encoding is refused as above. */
export function pathFromFileUri(uri: URL): string {
  if (uri.protocol !== 'file:' || (uri.host !== '' && uri.host !== 'localhost')) {
    throw new Refusal('Only file:/// URIs inside the workspace are served');
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(uri.pathname);
  } catch {
    throw new Refusal('Path refused: malformed percent-encoding');
  }
  return decoded.replace(/^\/+/, '') || '.';
}

export function fileUriFor(workspacePath: string): string {
  return `file:///${workspacePath.split('/').map(encodeURIComponent).join('/')}`;
}

import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigValidationError, type EnvSource } from '@app/config';

/** A listener that could not open, with the variables that chose its port and address. */
export class ListenError extends Error {
  constructor(
    readonly cause: NodeJS.ErrnoException,
    readonly port: number,
    readonly host: string | undefined,
    readonly variables: { port?: string; host?: string },
  ) {
    super(cause.message);
    this.name = 'ListenError';
  }
}

const where = (error: ListenError) => `${error.host ?? 'every address'} port ${error.port}`;

function describeListen(error: ListenError): string {
  const port = error.variables.port ?? 'the port setting';
  const host = error.variables.host ?? 'the address setting';
  switch (error.cause.code) {
    case 'EADDRINUSE':
      return `${where(error)} is already in use: set ${port} to a free port, or stop what holds it.`;
    case 'EACCES':
      return `${where(error)} needs privileges this process lacks: set ${port} to a port above 1023.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${error.host} is not an address of this machine: change ${host}.`;
    default:
      return `cannot listen on ${where(error)} (${error.cause.code ?? error.message}): check ${port} and ${host}.`;
  }
}

/** The variable whose value is a folder or file the failed path lies in (AUTHZ_DATA_DIR for the store file). */
function variableForPath(path: string, env: EnvSource): string | undefined {
  const target = resolve(path);
  let best: { name: string; length: number } | undefined;
  for (const [name, value] of Object.entries(env)) {
    if (!value || !/^[A-Z][A-Z0-9_]*$/.test(name) || !/[/.]/.test(value)) continue;
    const root = resolve(value);
    const inside = relative(root, target);
    if (inside.startsWith('..') || isAbsolute(inside)) continue;
    if (!best || root.length > best.length) best = { name, length: root.length };
  }
  return best?.name;
}

/** A message that starts with a variable's name (`AUDIT_SINK: ...`), as config problems are written. */
const NAMED = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+:/;

/**
 * THE one line a failed start prints: what failed and which variable to change. Config problems name their
 * variables already; a listener that cannot open names its port or host variable; a file or folder that cannot
 * be made or opened names the variable that points there. A failure no setting explains says so.
 */
export function describeBootFailure(error: unknown, env: EnvSource): string {
  if (error instanceof ConfigValidationError) return `invalid configuration: ${error.problems.join('; ')}`;
  if (error instanceof ListenError) return describeListen(error);
  const failure = error as NodeJS.ErrnoException;
  const message = (failure?.message ?? String(error)).split('\n')[0];
  if (typeof failure?.path === 'string') {
    const variable = variableForPath(failure.path, env);
    const what = `${failure.path} (${failure.code ?? 'error'})`;
    return variable
      ? `cannot use ${what}: change ${variable} or the permissions of that folder.`
      : `cannot use ${what}: check the settings that point there.`;
  }
  if (NAMED.test(message)) return `cannot start: ${message}`;
  return `failed to start: ${message} (no setting explains this; LOG_LEVEL=debug also prints the stack).`;
}

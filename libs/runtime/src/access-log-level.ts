import type { ServerResponse } from 'node:http';

const LEVEL = Symbol('accessLogLevel');
const FIELDS = Symbol('accessLogFields');

export type AccessLogLevel = 'info' | 'debug';

type Annotated = ServerResponse & { [LEVEL]?: AccessLogLevel; [FIELDS]?: AccessLogFields };

/** What a handler adds to its request's access line (on /mcp: the JSON-RPC method, tool, subject, client). */
export type AccessLogFields = Readonly<Record<string, string | number | undefined>>;

/**
 * Writes this response's access-log line at `level` instead of by status (5xx is error). For refusals whose
 * cause the app already logs, summarised, elsewhere: a 503 per request during an authz outage must not become
 * an error line (with every header) per request.
 */
export function setAccessLogLevel(res: ServerResponse, level: AccessLogLevel): void {
  (res as Annotated)[LEVEL] = level;
}

export function accessLogLevelOf(res: ServerResponse): AccessLogLevel | undefined {
  return (res as Annotated)[LEVEL];
}

/** Adds fields to this response's access-log line (merged with any set before). */
export function setAccessLogFields(res: ServerResponse, fields: AccessLogFields): void {
  const annotated = res as Annotated;
  annotated[FIELDS] = { ...annotated[FIELDS], ...fields };
}

export function accessLogFieldsOf(res: ServerResponse): AccessLogFields | undefined {
  return (res as Annotated)[FIELDS];
}

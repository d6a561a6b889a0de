import type { ServerResponse } from 'node:http';

const LEVEL = Symbol('accessLogLevel');

export type AccessLogLevel = 'info' | 'debug';

/**
 * Writes this response's access-log line at `level` instead of by status (5xx is error). For refusals whose
 * cause the app already logs, summarised, elsewhere: a 503 per request during an authz outage must not become
 * an error line (with every header) per request.
 */
export function setAccessLogLevel(res: ServerResponse, level: AccessLogLevel): void {
  (res as ServerResponse & { [LEVEL]?: AccessLogLevel })[LEVEL] = level;
}

export function accessLogLevelOf(res: ServerResponse): AccessLogLevel | undefined {
  return (res as ServerResponse & { [LEVEL]?: AccessLogLevel })[LEVEL];
}

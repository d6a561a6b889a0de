import type { ServerResponse } from 'node:http';

/**
 * THE writer of a JSON answer that does not go through Express (a front door's answers and errors, and the
 * error renderers they share with Nest's filters): UTF-8 JSON with an exact Content-Length, so a keep-alive
 * connection is never left waiting for a chunked end. Node leaves the body out of a HEAD answer itself.
 */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  extraHeaders?: Readonly<Record<string, string>>,
): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  if (extraHeaders) for (const name in extraHeaders) res.setHeader(name, extraHeaders[name]);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

import type { IncomingMessage } from 'node:http';
import { isEventStream } from '../proxy/response-headers';
import type { BodyRewrite } from '../proxy/response-rewrite';
import type { ListAnswers } from './list-filter';
import { SseListFilter } from './sse-list-filter';

/** A JSON list answer is read whole to be rewritten; one larger than this is refused (502), not passed unread. */
export const MAX_JSON_ANSWER_BYTES = 16 * 1024 * 1024;

const isJson = (proxyRes: IncomingMessage) =>
  /^application\/json/i.test(proxyRes.headers['content-type'] ?? '');

/**
 * How the answer to a POST carrying list requests is filtered, by its media type (Streamable HTTP answers a POST
 * with one JSON document or an SSE stream): SSE event by event, JSON as one document. Anything else (a 202, an
 * error page) is passed as it is.
 */
export function listRewrite(answers: ListAnswers): (proxyRes: IncomingMessage) => BodyRewrite | undefined {
  return (proxyRes) => {
    if (isEventStream(proxyRes)) return { kind: 'stream', transform: new SseListFilter(answers) };
    if (!isJson(proxyRes)) return undefined;
    return {
      kind: 'buffered',
      limit: MAX_JSON_ANSWER_BYTES,
      rewrite: (body) => {
        let message: unknown;
        try {
          message = JSON.parse(body.toString('utf8'));
        } catch {
          return body;
        }
        return Buffer.from(JSON.stringify(answers.rewrite(message)));
      },
    };
  };
}

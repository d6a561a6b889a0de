import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import type { ListAnswers } from './list-filter';

/** One event may be this large at most (a list answer included); past it the stream is cut, never passed unread. */
export const MAX_SSE_EVENT_CHARS = 8 * 1024 * 1024;

/** WHATWG HTML "Server-sent events" §9.2.6: each data line on its own `data:` field. */
function serialise(event: EventSourceMessage): string {
  let text = '';
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  if (event.event !== undefined) text += `event: ${event.event}\n`;
  for (const line of event.data.split('\n')) text += `data: ${line}\n`;
  return `${text}\n`;
}

/**
 * Rewrites the list answers of an SSE response as its events stream by (eventsource-parser, bounded buffer):
 * an event carrying an answer to one of the request's list requests is re-written filtered, every other event,
 * comment and retry hint is passed on as it comes. Nothing waits for the end of the stream.
 */
export class SseListFilter extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private readonly parser: EventSourceParser;
  private failure?: Error;

  constructor(private readonly answers: ListAnswers) {
    super();
    this.parser = createParser({
      maxBufferSize: MAX_SSE_EVENT_CHARS,
      onEvent: (event) => this.push(serialise(this.filtered(event))),
      onRetry: (retry) => this.push(`retry: ${retry}\n\n`),
      onComment: (comment) => this.push(`: ${comment}\n\n`),
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') this.failure = error;
      },
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.parser.feed(this.decoder.write(chunk));
    callback(this.failure);
  }

  override _flush(callback: TransformCallback): void {
    this.parser.feed(this.decoder.end());
    callback(this.failure);
  }

  private filtered(event: EventSourceMessage): EventSourceMessage {
    let message: unknown;
    try {
      message = JSON.parse(event.data);
    } catch {
      return event;
    }
    const concerned = Array.isArray(message)
      ? message.some((one) => this.answers.concerns(one))
      : this.answers.concerns(message);
    return concerned ? { ...event, data: JSON.stringify(this.answers.rewrite(message)) } : event;
  }
}

import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';
import { randomBytes } from 'node:crypto';

interface StoredEvent {
  id: EventId;
  streamId: StreamId;
  message: JSONRPCMessage;
}

/**
 * One 2025 session's SSE history, for resuming a dropped stream (MCP 2025-11-25 transports, "Resumability and
 * Redelivery"): every event gets an id, and a client reconnecting with `Last-Event-ID` is sent what followed it on
 * that stream. One store per session, so an event id from another session finds nothing; bounded, oldest first.
 */
export class SessionEventStore implements EventStore {
  private readonly events: StoredEvent[] = [];
  private sequence = 0;
  /** Ids differ between sessions, so one session's id never resumes another's stream by coincidence. */
  private readonly prefix = randomBytes(6).toString('base64url');

  constructor(private readonly maxEvents: number) {}

  storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const id = `${this.prefix}.${++this.sequence}`;
    this.events.push({ id, streamId, message });
    if (this.events.length > this.maxEvents) this.events.shift();
    return Promise.resolve(id);
  }

  getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return Promise.resolve(this.events.find((event) => event.id === eventId)?.streamId);
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const index = this.events.findIndex((event) => event.id === lastEventId);
    // The transport asks getStreamIdForEventId first and refuses an id that is not here.
    if (index === -1) return '';
    const { streamId } = this.events[index];
    for (const event of this.events.slice(index + 1)) {
      // Priming events carry no message: they only give the client an id to resume from.
      if (event.streamId === streamId && Object.keys(event.message).length > 0)
        await send(event.id, event.message);
    }
    return streamId;
  }
}

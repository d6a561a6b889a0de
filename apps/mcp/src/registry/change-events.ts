import { Injectable, Logger } from '@nestjs/common';
import { InMemoryServerEventBus, type ServerEvent, type ServerEventBus } from '@modelcontextprotocol/server';

/**
 * THE place providers announce that what the server offers changed: lists (`list_changed`) and one resource's
 * content (`resources/updated`). Both revisions listen: 2026-07-28 `subscriptions/listen` streams through the
 * SDK handler this bus is given to, 2025 sessions through their own subscriber. In-process, like the sessions.
 */
@Injectable()
export class ChangeEvents {
  private readonly logger = new Logger(ChangeEvents.name);
  readonly bus: ServerEventBus = new InMemoryServerEventBus((error) =>
    this.logger.error(`change listener failed: ${error.message}`),
  );

  toolsChanged(): void {
    this.publish({ kind: 'tools_list_changed' });
  }

  promptsChanged(): void {
    this.publish({ kind: 'prompts_list_changed' });
  }

  resourcesChanged(): void {
    this.publish({ kind: 'resources_list_changed' });
  }

  resourceUpdated(uri: string): void {
    this.publish({ kind: 'resource_updated', uri });
  }

  private publish(event: ServerEvent): void {
    this.bus.publish(event);
  }
}

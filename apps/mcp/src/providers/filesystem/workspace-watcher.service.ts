import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { watch, type FSWatcher } from 'node:fs';
import { sep } from 'node:path';
import { ChangeEvents } from '../../registry/change-events';
import { fileUriFor } from './safe-path';
import { WorkspaceFilesService } from './workspace-files.service';

/** Editors write a file in bursts (truncate, write, rename): one notification per burst is enough. */
const SETTLE_MS = 50;

/**
 * Watches the workspace so subscribers hear about it (MCP server/resources, "Subscriptions" and "List Changed
 * Notification"): a changed file is `notifications/resources/updated` for its file:/// URI, a file appearing or
 * disappearing changes resources/list. Only URIs and the fact of a change travel, never contents.
 */
@Injectable()
export class WorkspaceWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkspaceWatcher.name);
  private watcher?: FSWatcher;
  private readonly pending = new Map<string, 'change' | 'rename'>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly files: WorkspaceFilesService,
    private readonly changes: ChangeEvents,
  ) {}

  onApplicationBootstrap(): void {
    try {
      this.watcher = watch(this.files.realRoot, { recursive: true, persistent: false }, (event, name) => {
        if (name) this.note(event, name.split(sep).join('/'));
      });
      this.watcher.on('error', (error) => this.logger.warn(`workspace watch stopped: ${error.message}`));
    } catch (error) {
      this.logger.warn(`workspace changes will not be notified: ${(error as Error).message}`);
    }
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  private note(event: 'change' | 'rename', path: string): void {
    if (this.pending.get(path) !== 'rename') this.pending.set(path, event);
    this.timer ??= setTimeout(() => this.flush(), SETTLE_MS);
  }

  private flush(): void {
    this.timer = undefined;
    let listChanged = false;
    for (const [path, event] of this.pending) {
      // A rename may be a file replaced in place (atomic save): its subscribers need the update either way.
      this.changes.resourceUpdated(fileUriFor(path));
      listChanged ||= event === 'rename';
    }
    this.pending.clear();
    if (listChanged) this.changes.resourcesChanged();
  }
}

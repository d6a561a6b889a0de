import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options';

interface Window {
  suppressed: number;
  last: string;
  timer: NodeJS.Timeout;
}

/**
 * authz trouble, logged as one warning per cause and interval instead of one line per refused request: the first
 * failure is logged at once, the next ones of the same cause are counted and summarised when the interval ends,
 * so a steady outage writes one line per cause per interval whatever the request rate. The lines are written
 * outside the request that happened to hit the failure (an outage is nobody's request), so they carry no
 * request and none of its headers.
 */
@Injectable()
export class OutageLog implements OnApplicationShutdown {
  private readonly logger = new Logger('ResourceServer');
  private readonly windows = new Map<string, Window>();
  private readonly intervalMs: number;
  /** The async context of boot, where no request's log bindings are. */
  private readonly outsideRequests = new AsyncResource('ResourceServerOutageLog');

  constructor(@Inject(RESOURCE_SERVER_OPTIONS) options: ResolvedResourceServerOptions) {
    this.intervalMs = options.warnIntervalMs;
  }

  report(cause: string, detail: string): void {
    const window = this.windows.get(cause);
    if (window) {
      window.suppressed++;
      window.last = detail;
      return;
    }
    this.outsideRequests.runInAsyncScope(() => {
      this.logger.warn(`${cause}: ${detail}`);
      this.open(cause);
    });
  }

  /** The cause is over: its pending summary is written now, and a new failure is logged at once again. */
  recovered(cause: string, message: string): void {
    const window = this.windows.get(cause);
    if (!window) return;
    clearTimeout(window.timer);
    this.windows.delete(cause);
    this.outsideRequests.runInAsyncScope(() => {
      this.summarise(cause, window);
      this.logger.log(message);
    });
  }

  onApplicationShutdown(): void {
    for (const window of this.windows.values()) clearTimeout(window.timer);
    this.windows.clear();
  }

  private open(cause: string): void {
    const timer = setTimeout(() => this.close(cause), this.intervalMs);
    timer.unref();
    this.windows.set(cause, { suppressed: 0, last: '', timer });
  }

  private close(cause: string): void {
    const window = this.windows.get(cause)!;
    this.windows.delete(cause);
    // Still failing: this interval's summary, and the next interval starts counting.
    if (this.summarise(cause, window)) this.open(cause);
  }

  private summarise(cause: string, window: Window): boolean {
    if (window.suppressed === 0) return false;
    const seconds = Math.round(this.intervalMs / 1000);
    this.logger.warn(`${cause}: ${window.suppressed} more in the last ${seconds} s (last: ${window.last})`);
    return true;
  }
}

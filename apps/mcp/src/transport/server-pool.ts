import type { BuiltServer } from './built-server';

/**
 * Idle server objects for per-request serving. Building one registers every tool, resource and prompt (~100-150
 * us of CPU, more than the rest of a small request), and the SDK allows serving a request with any instance not
 * connected to a transport. A server comes back when its exchange's transport closed (`onclose`) *and* none of
 * its handlers is still running; only up to `size` are kept.
 */
export class ServerPool {
  private readonly idle: BuiltServer[] = [];

  constructor(
    private readonly build: () => BuiltServer,
    private readonly size: number,
  ) {}

  get idleCount(): number {
    return this.idle.length;
  }

  /**
   * An idle server, or a new one. Its `onclose` hands it back: createMcpHandler calls the `onclose` it found
   * when the exchange ends, as does a transport we connect ourselves.
   */
  acquire(): BuiltServer {
    const built = this.idle.pop() ?? this.build();
    built.server.server.onclose = () => this.release(built);
    return built;
  }

  private release(built: BuiltServer): void {
    if (built.active > 0) {
      built.onIdle = () => this.release(built);
      return;
    }
    if (built.server.server.transport === undefined && this.idle.length < this.size) this.idle.push(built);
  }
}

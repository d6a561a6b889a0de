import { Controller, Get, HttpCode, HttpStatus, Inject, Logger, Optional, Res } from '@nestjs/common';
import type { Response } from 'express';

/** A readiness probe contributes one named check; `ok: false` makes /readyz answer 503. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail?: unknown }>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Controller()
export class HealthController {
  private readonly logger = new Logger('Readiness');
  /** Undefined until the first time every check passed: failures before that are the app starting. */
  private wasReady?: boolean;

  constructor(@Optional() @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[] = []) {}

  /** Liveness: the process answers; says nothing about its dependencies. */
  @Get('healthz')
  @HttpCode(HttpStatus.OK)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every dependency the app needs to serve answers. */
  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    const results = await Promise.all(
      this.checks.map(async (probe) => {
        try {
          return [probe.name, await probe.check()] as const;
        } catch (error) {
          return [probe.name, { ok: false, detail: (error as Error).message }] as const;
        }
      }),
    );
    const ready = results.every(([, result]) => result.ok);
    this.noteChange(ready, results);
    res
      .status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .setHeader('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  }

  /**
   * Logs readiness when it changes, not per probe: not ready while starting is expected (the access line of a
   * probe is at debug whatever it answers); a ready app losing a dependency is a warning.
   */
  private noteChange(
    ready: boolean,
    results: readonly (readonly [string, { ok: boolean; detail?: unknown }])[],
  ) {
    if (ready === (this.wasReady ?? false)) return;
    if (!ready && this.wasReady === undefined) return;
    const failing = results
      .filter(([, result]) => !result.ok)
      .map(([name, result]) => `${name} ${JSON.stringify(result.detail ?? {})}`)
      .join(', ');
    if (ready) this.logger.log(this.wasReady === undefined ? 'ready' : 'ready again');
    else this.logger.warn(`not ready: ${failing}`);
    this.wasReady = ready;
  }
}

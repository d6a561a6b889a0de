import { Inject, Injectable, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { TracingSettings } from '../observability.settings';
import { startTracing, stopTracing } from './tracing';

export const TRACING_SETTINGS = Symbol('TRACING_SETTINGS');

/** Starts the OpenTelemetry SDK with the app (before it listens) and flushes its last spans when it stops. */
@Injectable()
export class TracingLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Optional() @Inject(TRACING_SETTINGS) private readonly settings?: TracingSettings) {}

  async onModuleInit(): Promise<void> {
    if (this.settings) await startTracing(this.settings);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.settings) await stopTracing();
  }
}

import { context, propagation, trace } from '@opentelemetry/api';
import type { TracingSettings } from '../observability.settings';

/** The instrumentation scope of every span this project makes. */
export const TRACER_NAME = 'mcp-auth-gateway';

interface Started {
  shutdown(): Promise<void>;
}

let started: Started | undefined;
let users = 0;

/** Whether spans are being made; hot paths check this first, so tracing off costs a boolean test. */
export function isTracing(): boolean {
  return started !== undefined;
}

/**
 * Starts the OpenTelemetry SDK for this process: a tracer provider exporting batches over OTLP/HTTP (JSON), the
 * AsyncLocalStorage context manager and the W3C Trace Context propagator. The SDK packages are loaded here, only
 * when tracing is configured. One provider per process: a second app in the same process shares it.
 */
export async function startTracing(settings: TracingSettings): Promise<void> {
  users += 1;
  if (started) return;
  const [sdk, { OTLPTraceExporter }, { AsyncLocalStorageContextManager }, core, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/core'),
      import('@opentelemetry/resources'),
    ]);
  if (started) return;
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [
      new sdk.BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: settings.url }),
        scheduledDelayMillis: settings.scheduleDelayMs,
      }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  started = {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** Flushes and stops the SDK once the last app using it stops. */
export async function stopTracing(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users > 0 || !started) return;
  const stopping = started;
  started = undefined;
  await stopping.shutdown();
}

import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isTracing, TRACER_NAME } from './tracing';

const tracer = () => trace.getTracer(TRACER_NAME);

/**
 * A server span for an incoming HTTP request, its parent taken from the request's `traceparent` (W3C Trace
 * Context); `run` is called inside it, so spans and outgoing calls made while serving are its children.
 * Undefined (and `run` called as is) when tracing is off.
 */
export function startServerSpan(req: IncomingMessage, run: () => void): Span | undefined {
  if (!isTracing()) {
    run();
    return undefined;
  }
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? 'GET';
  const span = tracer().startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': method, 'url.path': (req.url ?? '').split('?')[0] },
    },
    parent,
  );
  context.with(trace.setSpan(parent, span), run);
  return span;
}

/** Ends a server span once the route and status are known (OpenTelemetry HTTP semantic conventions). */
export function endServerSpan(span: Span, method: string, route: string, status: number): void {
  if (route) {
    span.setAttribute('http.route', route);
    span.updateName(`${method} ${route}`);
  }
  if (status > 0) span.setAttribute('http.response.status_code', status);
  if (status >= 500 || status === 0) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * Writes the current trace context into outgoing request headers (`traceparent`, `tracestate`), replacing any
 * a client sent: the next hop's parent is this process's span. Leaves the headers alone when tracing is off,
 * so a proxied request keeps the caller's context.
 */
export function injectTraceHeaders(headers: IncomingHttpHeaders | Record<string, string>): void {
  if (isTracing()) propagation.inject(context.active(), headers);
}

/**
 * A client span around an outgoing call; `call` gets the headers that carry the span's context. When tracing
 * is off it is called with no headers and nothing else happens.
 */
export async function withClientSpan<T>(
  name: string,
  attributes: Attributes,
  call: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  if (!isTracing()) return call({});
  const span = tracer().startSpan(name, { kind: SpanKind.CLIENT, attributes });
  const active = trace.setSpan(context.active(), span);
  const headers: Record<string, string> = {};
  propagation.inject(active, headers);
  try {
    return await context.with(active, () => call(headers));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** `params._meta` of an MCP request; `traceparent`/`tracestate` are W3C Trace Context values (SEP-414). */
export type McpTraceMeta = Readonly<Record<string, unknown>>;

export interface McpCall {
  /** The JSON-RPC method, e.g. `tools/call`. */
  method: string;
  /** The tool, prompt or resource addressed. */
  target?: string;
  meta?: McpTraceMeta;
  sessionId?: string;
}

/** The parent an MCP request names in `params._meta`, when it names a well-formed one. */
function metaParent(meta: McpTraceMeta | undefined): Context | undefined {
  if (typeof meta?.traceparent !== 'string' || !TRACEPARENT.test(meta.traceparent)) return undefined;
  const carrier: Record<string, string> = { traceparent: meta.traceparent };
  if (typeof meta.tracestate === 'string') carrier.tracestate = meta.tracestate;
  const extracted = propagation.extract(ROOT_CONTEXT, carrier);
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

/**
 * The span of one MCP request (OpenTelemetry MCP semantic conventions: `{mcp.method.name} {target}`). Its
 * parent is the trace context the client put in `params._meta` (MCP 2026-07-28, SEP-414) when there is one,
 * linked to the HTTP request's span; otherwise the HTTP request's span. A result with `isError` marks it failed.
 */
export async function withMcpSpan<T>(call: McpCall, run: () => Promise<T>): Promise<T> {
  if (!isTracing()) return run();
  const http = context.active();
  const fromMeta = metaParent(call.meta);
  const httpSpan = trace.getSpanContext(http);
  const links: Link[] = fromMeta && httpSpan ? [{ context: httpSpan }] : [];
  const attributes: Attributes = { 'mcp.method.name': call.method };
  if (call.target !== undefined) {
    attributes[call.method === 'tools/call' ? 'gen_ai.tool.name' : 'mcp.target'] = call.target;
  }
  if (call.sessionId !== undefined) attributes['mcp.session.id'] = call.sessionId;
  const name = call.target === undefined ? call.method : `${call.method} ${call.target}`;
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes, links }, fromMeta ?? http);
  try {
    const result = await context.with(trace.setSpan(fromMeta ?? http, span), run);
    if ((result as { isError?: unknown } | undefined)?.isError === true) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'tool reported an error' });
    }
    return result;
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

/** The current trace id, for audit events and logs; undefined when tracing is off or nothing is traced. */
export function currentTraceId(): string | undefined {
  if (!isTracing()) return undefined;
  return trace.getSpanContext(context.active())?.traceId;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { isTracing, MetricsRegistry } from '@app/observability';
import { startStack, type Stack } from './support/stack';

const DASHBOARD = join(process.cwd(), 'docs', 'grafana-dashboard.json');

/** PromQL words that are not metric names. */
const PROMQL = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'by',
  'without',
  'on',
  'ignoring',
  'rate',
  'irate',
  'increase',
  'histogram_quantile',
  'label_values',
  'topk',
  'bottomk',
  'and',
  'or',
  'unless',
]);

interface Panel {
  targets?: { expr: string }[];
  panels?: Panel[];
}

/** Every metric name a PromQL expression reads: label matchers, groupings, ranges and numbers taken out. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/"[^"]*"/g, ' ')
    .replace(/\$\w+/g, ' ');
  return (bare.match(/[A-Za-z_:][A-Za-z0-9_:]*/g) ?? []).filter(
    (word) => !PROMQL.has(word) && !/^job$/.test(word),
  );
}

function queries(dashboard: { panels: Panel[]; templating: { list: { query?: unknown }[] } }): string[] {
  const fromPanels = (panels: Panel[]): string[] =>
    panels.flatMap((panel) => [
      ...(panel.targets ?? []).map((target) => target.expr),
      ...fromPanels(panel.panels ?? []),
    ]);
  const fromVariables = dashboard.templating.list
    .map((variable) => variable.query)
    .filter((query): query is string => typeof query === 'string' && query.includes('('));
  return [...fromPanels(dashboard.panels), ...fromVariables];
}

/** Names a Prometheus scrape of this text offers (a histogram offers _bucket, _count and _sum). */
function exported(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match;
    names.add(name);
    if (type === 'histogram' || type === 'summary')
      for (const suffix of ['_bucket', '_count', '_sum']) names.add(name + suffix);
  }
  return names;
}

/** docs/grafana-dashboard.json charts only what the apps export. */
describe('the Grafana dashboard', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 60_000);
  afterAll(() => stack?.stop());

  it('reads its PromQL right (label matchers, groupings and ranges are not metric names)', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, job) (rate(x_seconds_bucket{job=~"$job",a="b"}[$__rate_interval])))',
      ),
    ).toEqual(['x_seconds_bucket']);
    expect(metricNames('sum(a_total) / sum(b_total{c="5.."})')).toEqual(['a_total', 'b_total']);
  });

  it('queries only metrics the gateway, authz or mcp export', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
    const used = new Set(queries(dashboard).flatMap(metricNames));
    expect(used.size).toBeGreaterThanOrEqual(12);
    const texts = await Promise.all([
      (await stack.gatewayApp().get(MetricsRegistry).scrape()).body,
      (await fetch(`${stack.authzUrl}/metrics`)).text(),
      (await fetch(`${stack.mcpUpstreamUrl}/metrics`)).text(),
    ]);
    const available = new Set(texts.flatMap((text) => [...exported(text)]));
    expect([...used].filter((name) => !available.has(name))).toEqual([]);
  });

  it('runs no tracing SDK when no OTLP endpoint is set (the stack here has none)', () => {
    expect(isTracing()).toBe(false);
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    span.end();
  });
});

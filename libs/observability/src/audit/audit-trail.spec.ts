import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { runInRequestScope } from '../http/request-scope';
import { MetricsRegistry } from '../metrics/metrics.registry';
import type { AuditSettings } from '../observability.settings';
import type { AuditRecord } from './audit-event';
import { AuditTrail } from './audit-trail';

const settings = (overrides: Partial<AuditSettings> = {}): AuditSettings => ({
  sink: { kind: 'off' },
  recentSize: 3,
  includeArguments: false,
  ...overrides,
});

const call = (tool: string, extra: Record<string, unknown> = {}) => ({
  type: 'mcp.tool.called' as const,
  sub: 'alice',
  client_id: 'c',
  method: 'tools/call',
  tool,
  outcome: 'ok' as const,
  duration_ms: 1,
  ...extra,
});

describe('AuditTrail', () => {
  it('stamps each event with its time, app and the id of the request being served', () => {
    const trail = new AuditTrail(settings(), 'mcp', new MetricsRegistry());
    const req = new IncomingMessage(new Socket());
    req.id = 'req-0001';
    runInRequestScope(req, () => trail.record(call('add')));
    trail.record(call('outside'));
    const [outside, inside] = trail.recent(() => true);
    expect(inside).toMatchObject({ app: 'mcp', request_id: 'req-0001', time: expect.stringMatching(/Z$/) });
    expect(outside.request_id).toBeUndefined();
  });

  it('drops arguments unless configured, and redacts them when it keeps them', () => {
    const args = { expression: '1+1', password: 'hunter2' };
    const without = new AuditTrail(settings(), 'mcp', new MetricsRegistry());
    without.record(call('calculate', { arguments: args }));
    expect(without.recent(() => true)[0]).not.toHaveProperty('arguments');
    const kept = new AuditTrail(settings({ includeArguments: true }), 'mcp', new MetricsRegistry());
    kept.record(call('calculate', { arguments: args }));
    expect(kept.recent(() => true)[0]).toHaveProperty('arguments', {
      expression: '1+1',
      password: '[REDACTED]',
    });
  });

  it('keeps the last `recentSize` events, newest first, and filters them', () => {
    const trail = new AuditTrail(settings(), 'mcp', new MetricsRegistry());
    for (const tool of ['a', 'b', 'c', 'd']) trail.record(call(tool));
    const tools = (records: AuditRecord[]) => records.map((record) => ('tool' in record ? record.tool : ''));
    expect(tools(trail.recent(() => true))).toEqual(['d', 'c', 'b']);
    expect(tools(trail.recent((record) => 'tool' in record && record.tool !== 'c', 1))).toEqual(['d']);
  });

  it('tells subscribers and counts events by type', async () => {
    const metrics = new MetricsRegistry();
    const trail = new AuditTrail(settings(), 'authz', metrics);
    const heard: string[] = [];
    const unsubscribe = trail.subscribe((record) => heard.push(record.type));
    trail.record({ type: 'token.revoked', sub: 's', client_id: 'c', grant_id: 'g' });
    unsubscribe();
    trail.record({ type: 'token.revoked', sub: 's', client_id: 'c', grant_id: 'h' });
    expect(heard).toEqual(['token.revoked']);
    const text = await metrics.registry.getSingleMetricAsString('audit_events_total');
    expect(text).toContain('audit_events_total{type="token.revoked"} 2');
  });
});

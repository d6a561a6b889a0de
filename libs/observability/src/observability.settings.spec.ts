import { auditSettingsFrom, tracingSettingsFrom } from './observability.settings';

const env = { OTEL_BSP_SCHEDULE_DELAY: 5000 };
const audit = { AUDIT_FILE_MAX_BYTES: 10, AUDIT_FILE_KEEP: 2, AUDIT_REDIS_MAXLEN: 1000 };

describe('tracingSettingsFrom (OpenTelemetry SDK environment rules)', () => {
  it('is off without an OTLP endpoint, or when the SDK is disabled', () => {
    expect(tracingSettingsFrom('mcp', env)).toBeUndefined();
    expect(
      tracingSettingsFrom('mcp', {
        ...env,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_SDK_DISABLED: true,
      }),
    ).toBeUndefined();
  });

  it('appends /v1/traces to the generic endpoint, uses the signal one as is, and names the service', () => {
    expect(tracingSettingsFrom('mcp', { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })).toEqual({
      serviceName: 'mcp',
      url: 'http://c:4318/v1/traces',
      scheduleDelayMs: 5000,
    });
    expect(
      tracingSettingsFrom('mcp', {
        ...env,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t/spans',
        OTEL_SERVICE_NAME: 'mcp-eu-1',
      }),
    ).toMatchObject({ serviceName: 'mcp-eu-1', url: 'http://t/spans' });
  });
});

describe('auditSettingsFrom', () => {
  it('writes to stdout by default, and nowhere under NODE_ENV=test unless asked', () => {
    expect(auditSettingsFrom('authz', { ...audit, NODE_ENV: 'development' }).sink).toEqual({
      kind: 'stdout',
    });
    expect(auditSettingsFrom('authz', { ...audit, NODE_ENV: 'test' }).sink).toEqual({ kind: 'off' });
    expect(auditSettingsFrom('authz', { ...audit, NODE_ENV: 'test', AUDIT_SINK: 'stdout' }).sink).toEqual({
      kind: 'stdout',
    });
  });

  it('gives every app a file of its own, and refuses a Redis sink without STORE_URL', () => {
    expect(auditSettingsFrom('mcp', { ...audit, NODE_ENV: 'production', AUDIT_SINK: 'file' }).sink).toEqual({
      kind: 'file',
      path: 'data/audit/mcp.log',
      maxBytes: 10,
      keep: 2,
    });
    expect(() => auditSettingsFrom('mcp', { ...audit, NODE_ENV: 'production', AUDIT_SINK: 'redis' })).toThrow(
      /^AUDIT_SINK: redis needs STORE_URL/,
    );
    expect(
      auditSettingsFrom('mcp', {
        ...audit,
        NODE_ENV: 'production',
        AUDIT_SINK: 'redis',
        STORE_URL: 'redis://r',
      }).sink,
    ).toEqual({ kind: 'redis', url: 'redis://r', maxLen: 1000 });
  });
});

import { classifyInboundRequest } from '@modelcontextprotocol/server';
import fc from 'fast-check';
import { claimsModernEnvelope } from './mcp.front-door';

const CLAIM = 'io.modelcontextprotocol/protocolVersion';
const sdkSaysLegacy = (body: unknown, protocolVersionHeader?: string) =>
  classifyInboundRequest({ httpMethod: 'POST', protocolVersionHeader, body }).kind === 'legacy';

describe('claimsModernEnvelope (the /mcp router skipping the SDK classification)', () => {
  it('claims a 2026-07-28 request or notification, and nothing 2025 or posted back', () => {
    const meta = { [CLAIM]: '2026-07-28' };
    expect(
      claimsModernEnvelope({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'add', _meta: meta },
      }),
    ).toBe(true);
    expect(
      claimsModernEnvelope({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { _meta: meta } }),
    ).toBe(true);
    expect(
      claimsModernEnvelope({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'add' } }),
    ).toBe(false);
    expect(
      claimsModernEnvelope({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { _meta: meta } }),
    ).toBe(false);
    expect(
      claimsModernEnvelope({ jsonrpc: '2.0', id: 1, result: {}, method: 'x', params: { _meta: meta } }),
    ).toBe(false);
    expect(
      claimsModernEnvelope([{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { _meta: meta } }]),
    ).toBe(false);
  });

  it('never claims what the SDK would serve as 2025 traffic, whatever the body and header', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.constant('2026-07-28'),
      fc.constant('2025-11-25'),
    );
    const meta = fc.dictionary(fc.constantFrom(CLAIM, 'io.modelcontextprotocol/clientInfo', 'x'), value);
    const body = fc.record(
      {
        jsonrpc: fc.constantFrom('2.0', '1.0'),
        id: fc.oneof(fc.integer(), fc.string()),
        method: fc.oneof(
          fc.constantFrom('tools/call', 'initialize', 'notifications/initialized', 'ping'),
          fc.string(),
        ),
        params: fc.oneof(fc.record({ _meta: meta }, { requiredKeys: [] }), fc.constant(null)),
        result: fc.constant({}),
        error: fc.constant({ code: 1, message: 'x' }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(body, fc.option(fc.constantFrom('2025-11-25', '2026-07-28')), (message, header) => {
        if (claimsModernEnvelope(message)) expect(sdkSaysLegacy(message, header ?? undefined)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

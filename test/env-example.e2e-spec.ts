import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { loadAuthzConfig } from '../apps/authz/src/config/authz.config';
import { AdminEnv } from '../apps/authz/src/admin/admin.env';
import { AuthzEnv } from '../apps/authz/src/config/authz.env';
import { loadGatewayConfig } from '../apps/gateway/src/config/gateway.config';
import { GatewayEnv } from '../apps/gateway/src/config/gateway.env';
import { loadMcpConfig } from '../apps/mcp/src/config/mcp.config';
import { McpEnv } from '../apps/mcp/src/config/mcp.env';

const exampleText = readFileSync(join(__dirname, '..', '.env.example'), 'utf8');
const documented = new Set(
  exampleText
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined),
);

function variablesOf(envClass: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(envClass, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

describe('.env.example', () => {
  it.each([
    ['gateway', GatewayEnv],
    ['authz', AuthzEnv],
    ['mcp', McpEnv],
    ['admin CLI', AdminEnv],
  ])('documents every variable the %s app reads', (_app, envClass) => {
    const missing = variablesOf(envClass).filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it('holds values every app accepts as they are', () => {
    const values = parseEnv(exampleText);
    expect(() => loadGatewayConfig(values)).not.toThrow();
    expect(() => loadAuthzConfig(values)).not.toThrow();
    expect(() => loadMcpConfig(values)).not.toThrow();
  });

  it('names the offending variable when a value is malformed', () => {
    expect(() => loadGatewayConfig({ GATEWAY_PORT: 'eighty' })).toThrow(/GATEWAY_PORT/);
    expect(() => loadMcpConfig({ MCP_STATELESS: 'maybe' })).toThrow(/MCP_STATELESS/);
    expect(() => loadAuthzConfig({ AUTHZ_CODE_TTL_SECONDS: '0' })).toThrow(/AUTHZ_CODE_TTL_SECONDS/);
  });
});

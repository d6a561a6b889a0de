import { startChild } from './support/child';
import type { RequestShape } from './support/measure';

/** What a started scenario offers: the same request, sent straight to the upstream or through the gateway. */
export interface ScenarioRun {
  direct: string;
  gateway: string;
  request: RequestShape;
  stop(): Promise<void>;
}

export interface Scenario {
  name: string;
  description: string;
  start(): Promise<ScenarioRun>;
}

/**
 * The scenario list. Each one starts its own upstream(s) and a gateway in separate processes on ephemeral
 * loopback ports. An MCP `tools/call` scenario (mcp + authz apps, a dev token, a JSON-RPC POST to /mcp)
 * is added here the same way.
 */
export const SCENARIOS: Scenario[] = [
  {
    name: 'discovery-get',
    description: 'GET of a small JSON document (AS metadata path) from a minimal upstream',
    async start() {
      const upstream = await startChild('support/static-upstream.server.ts');
      const gateway = await startChild('support/gateway.server.ts', {
        AUTHZ_UPSTREAM_URL: upstream.url,
        MCP_UPSTREAM_URL: upstream.url,
      });
      return {
        direct: upstream.url,
        gateway: gateway.url,
        request: { path: '/.well-known/oauth-authorization-server' },
        stop: async () => {
          await gateway.stop();
          await upstream.stop();
        },
      };
    },
  },
];

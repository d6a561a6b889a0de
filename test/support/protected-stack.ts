import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEchoMcpServer, type EchoMcpServer } from './echo-mcp-server';
import { startStack, type Stack } from './stack';

export interface ProtectedStack {
  stack: Stack;
  /** The echo server's instances behind /echo/mcp. */
  echo: EchoMcpServer[];
  /** `${baseUrl}/echo/mcp`. */
  echoUrl(): string;
  stop(): Promise<void>;
}

/**
 * The whole stack with a resources file (read by authz and the gateway alike): the bundled server at /mcp, and a
 * third-party echo server with no authentication (`instances` of it, a pool) at /echo/mcp, where
 * `delete_everything` needs the resource's own scope `echo:admin`.
 */
export async function startProtectedStack(instances = 1): Promise<ProtectedStack> {
  const echo = await Promise.all(Array.from({ length: instances }, () => startEchoMcpServer()));
  const dir = await mkdtemp(join(tmpdir(), 'protected-stack-'));
  const file = join(dir, 'resources.yaml');
  await writeFile(
    file,
    [
      'resources:',
      '  - path: /mcp',
      '  - path: /echo/mcp',
      `    upstream: [${echo.map((server) => server.url).join(', ')}]`,
      '    name: Echo',
      '    description: A third-party server that says things back',
      '    scopes: [echo:admin]',
      '    tools:',
      '      delete_everything: [echo:admin]',
      '',
    ].join('\n'),
  );
  const stack = await startStack({ common: { GATEWAY_RESOURCES_FILE: file } });
  return {
    stack,
    echo,
    echoUrl: () => `${stack.baseUrl()}/echo/mcp`,
    async stop() {
      await stack.stop();
      await Promise.all(echo.map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

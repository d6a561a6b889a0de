'use strict';
/**
 * The processes of a cluster, in one place: `npm run start:cluster` runs them, the cluster e2e test runs them on
 * ephemeral ports, and compose.yaml must run the same commands (test/deployment-files.e2e-spec.ts compares them).
 * Every instance of an app runs the same command; only the environment differs.
 */

/** The command that starts one app, as the Dockerfile's image and the local cluster run it. */
function appCommand(app) {
  return ['node', `dist/apps/${app}/src/main.js`];
}

const urls = (ports) => ports.map((port) => `http://127.0.0.1:${port}`).join(',');

/**
 * @param {object} options
 * @param {string} options.storeUrl the shared Redis (STORE_URL)
 * @param {string} options.keysEncryptionKey AUTHZ_KEYS_ENCRYPTION_KEY, the same for every authz instance
 * @param {{gateway: number, gatewayAdmin: number, authz: number[], mcp: number[]}} options.ports
 * @param {string} [options.publicUrl] PUBLIC_URL (default http://localhost:<gateway port>)
 * @param {Record<string, string>} [options.env] added to every process's environment
 * @returns {{name: string, app: string, command: string[], env: Record<string, string>}[]}
 */
function clusterPlan({ storeUrl, keysEncryptionKey, ports, publicUrl, env = {} }) {
  const shared = {
    ...env,
    PUBLIC_URL: publicUrl ?? `http://localhost:${ports.gateway}`,
    STORE_URL: storeUrl,
    AUTHZ_INTERNAL_URL: urls(ports.authz),
  };
  const instances = (app, appPorts, appEnv) =>
    appPorts.map((port, index) => ({
      name: `${app}-${index + 1}`,
      app,
      command: appCommand(app),
      env: { ...shared, ...appEnv(port) },
    }));
  return [
    ...instances('authz', ports.authz, (port) => ({
      AUTHZ_PORT: String(port),
      AUTHZ_KEYS_ENCRYPTION_KEY: keysEncryptionKey,
    })),
    ...instances('mcp', ports.mcp, (port) => ({ MCP_PORT: String(port) })),
    {
      name: 'gateway',
      app: 'gateway',
      command: appCommand('gateway'),
      env: {
        ...shared,
        GATEWAY_PORT: String(ports.gateway),
        GATEWAY_ADMIN_PORT: String(ports.gatewayAdmin),
        AUTHZ_UPSTREAM_URL: urls(ports.authz),
        MCP_UPSTREAM_URL: urls(ports.mcp),
      },
    },
  ];
}

module.exports = { appCommand, clusterPlan };

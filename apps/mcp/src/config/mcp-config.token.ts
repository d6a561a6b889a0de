/** DI token for the typed, validated McpConfig built at boot. */
export const MCP_CONFIG_TOKEN = Symbol('McpConfig');

/** The six scopes that guard the MCP server's methods; authz advertises exactly these. */
export const MCP_SCOPES = {
  toolsRead: 'mcp:tools:read',
  toolsExecute: 'mcp:tools:execute',
  resourcesList: 'mcp:resources:list',
  resourcesRead: 'mcp:resources:read',
  promptsList: 'mcp:prompts:list',
  promptsRead: 'mcp:prompts:read',
} as const;

export type McpScope = (typeof MCP_SCOPES)[keyof typeof MCP_SCOPES];

export const ALL_MCP_SCOPES: readonly McpScope[] = Object.values(MCP_SCOPES);

/** Words shown on the consent page for each scope. */
export const MCP_SCOPE_DESCRIPTIONS: Record<McpScope, string> = {
  'mcp:tools:read': 'See which tools are available',
  'mcp:tools:execute': 'Run tools on your behalf',
  'mcp:resources:list': 'See which resources are available',
  'mcp:resources:read': 'Read the contents of resources',
  'mcp:prompts:list': 'See which prompts are available',
  'mcp:prompts:read': 'Use prompt templates',
};

export function isMcpScope(value: string): value is McpScope {
  return (ALL_MCP_SCOPES as readonly string[]).includes(value);
}

/**
 * Scope strings are space-delimited (RFC 6749 §3.3). Clients also send tabs, newlines and doubled or trailing
 * spaces, so any whitespace separates; duplicates are dropped.
 */
export function parseScope(scope: string | undefined | null): string[] {
  return [...new Set((scope ?? '').split(/\s+/).filter((item) => item.length > 0))];
}

export function formatScope(scopes: Iterable<string>): string {
  return [...scopes].join(' ');
}

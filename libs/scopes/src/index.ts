export {
  ALL_MCP_SCOPES,
  MCP_SCOPES,
  MCP_SCOPE_DESCRIPTIONS,
  formatScope,
  isMcpScope,
  parseScope,
} from './mcp-scopes';
export type { McpScope } from './mcp-scopes';

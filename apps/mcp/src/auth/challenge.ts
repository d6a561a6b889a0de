import { ALL_MCP_SCOPES, formatScope } from '@app/scopes';
import { resourceMetadataUrl } from '../transport/mcp-request';

const quote = (value: string) => `"${value.replace(/[\\"]/g, '\\$&')}"`;
// RFC 6750 §3: error_description is limited to printable ASCII without '"' and '\'.
const descriptionParam = (value: string) =>
  quote(value.replace(/"/g, "'").replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ''));

/**
 * The 401 challenge: MCP authorization (2025-11-25) asks for `resource_metadata` so clients can discover the
 * authorization server (RFC 9728 §5.1) and `scope` so they know what to request; RFC 6750 §3.1 adds `error`
 * only when credentials were presented.
 */
export function unauthorizedChallenge(base: string, error?: string, description?: string): string {
  const params = [`resource_metadata=${quote(resourceMetadataUrl(base))}`];
  params.push(`scope=${quote(formatScope(ALL_MCP_SCOPES))}`);
  if (error) params.push(`error=${quote(error)}`);
  if (error && description) params.push(`error_description=${descriptionParam(description)}`);
  return `Bearer ${params.join(', ')}`;
}

/** The 403 step-up challenge (RFC 6750 §3.1 insufficient_scope): scope = what is held plus what is needed. */
export function insufficientScopeChallenge(
  base: string,
  scopes: readonly string[],
  description: string,
): string {
  return [
    'Bearer error="insufficient_scope"',
    `scope=${quote(formatScope(new Set(scopes)))}`,
    `resource_metadata=${quote(resourceMetadataUrl(base))}`,
    `error_description=${descriptionParam(description)}`,
  ].join(', ');
}

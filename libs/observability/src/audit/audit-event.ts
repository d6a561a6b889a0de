/**
 * THE audit events: what a security reviewer asks about, one JSON object each (README "Audit trail" lists them).
 * Identities only (subjects, client ids, grant ids): never a token, code, secret or password.
 */

export type McpCallOutcome = 'ok' | 'error' | 'denied';

export type AuditEvent =
  | {
      type: 'client.registered';
      client_id: string;
      client_name?: string;
      redirect_uris: string[];
      token_endpoint_auth_method: string;
    }
  /** An operator revoked a client (admin CLI): its registration deleted, its grants revoked. */
  | { type: 'client.revoked'; client_id: string; grants_revoked: number; registration_deleted: boolean }
  | { type: 'consent.granted' | 'consent.denied'; sub: string; client_id: string; scopes: string[] }
  | { type: 'code.issued'; sub: string; client_id: string; grant_id: string; scopes: string[] }
  | { type: 'code.redeemed'; sub: string; client_id: string; grant_id: string }
  /** `grant_type` authorization_code, or `development` for /auth/token. */
  | {
      type: 'token.issued';
      sub: string;
      client_id: string;
      grant_id: string;
      grant_type: string;
      scopes: string[];
    }
  | { type: 'token.refreshed'; sub: string; client_id: string; grant_id: string; scopes: string[] }
  /** A spent refresh token or a used code presented again (RFC 9700 §4.14.2, RFC 6749 §4.1.2): the grant is revoked. */
  | {
      type: 'token.reuse_detected';
      client_id: string;
      grant_id: string;
      credential: 'refresh_token' | 'authorization_code';
    }
  /** A grant revoked, taking every token issued from it: by /revoke, reuse detection, an operator, a provider. */
  | { type: 'token.revoked'; sub: string; client_id: string; grant_id: string }
  /** `method`: password, auto (development auto-login) or provider (`provider` then names it). */
  | { type: 'login.succeeded'; sub: string; method: 'password' | 'auto' | 'provider'; provider?: string }
  | {
      type: 'login.failed';
      method: 'password' | 'provider';
      provider?: string;
      /** The name typed (password sign-in), cut to 64 characters. */
      user?: string;
      reason: string;
    }
  /** An MCP call, or its refusal for a missing scope (`outcome: denied`, duration 0). */
  | {
      type: 'mcp.tool.called' | 'mcp.resource.read' | 'mcp.prompt.get' | 'mcp.request';
      sub: string;
      client_id: string;
      /** The protected resource the token was for (RFC 8707). */
      resource?: string;
      method: string;
      /** The tool or prompt name, or the resource URI. */
      tool?: string;
      outcome: McpCallOutcome;
      duration_ms: number;
      /** Only with AUDIT_INCLUDE_ARGUMENTS=true, redacted (redact-arguments.ts). */
      arguments?: unknown;
    };

export type AuditEventType = AuditEvent['type'];

/** An event as written: when, by which app, in which request and trace. */
export type AuditRecord = AuditEvent & {
  time: string;
  app: string;
  request_id?: string;
  trace_id?: string;
};

/** The audit event type of an MCP call, by its JSON-RPC method. */
export function mcpEventType(method: string): Extract<AuditEvent, { outcome: McpCallOutcome }>['type'] {
  switch (method) {
    case 'tools/call':
      return 'mcp.tool.called';
    case 'resources/read':
      return 'mcp.resource.read';
    case 'prompts/get':
      return 'mcp.prompt.get';
    default:
      return 'mcp.request';
  }
}

import type { HttpProbe } from './http-probe';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  status: CheckStatus;
  /** What was found, in a line. */
  detail: string;
  /** What to change, in plain words, naming the setting. */
  fix?: string;
}

/** What earlier checks found and later ones build on. */
export interface Discoveries {
  /** The 401 an unauthenticated MCP request got. */
  challenge?: { status: number; header: string | null; params: Record<string, string> };
  /** Protected resource metadata (RFC 9728) and the URL it came from. */
  resourceMetadata?: { url: string; body: Record<string, unknown> };
  /** The authorization server the resource names, and its RFC 8414 metadata. */
  authorizationServer?: { url: string; metadataUrl: string; metadata: Record<string, unknown> };
}

export interface DoctorContext {
  mcpUrl: URL;
  /** The browser origin the CORS checks speak for. */
  browserOrigin: string;
  http: HttpProbe;
  found: Discoveries;
}

export interface DoctorCheck {
  id: string;
  title: string;
  run(context: DoctorContext): Promise<CheckResult>;
}

export const pass = (detail: string): CheckResult => ({ status: 'pass', detail });
export const warn = (detail: string, fix: string): CheckResult => ({ status: 'warn', detail, fix });
export const fail = (detail: string, fix: string): CheckResult => ({ status: 'fail', detail, fix });
export const skip = (detail: string): CheckResult => ({ status: 'skip', detail });

import { CHECKS } from './checks';
import type { CheckResult, DoctorCheck, DoctorContext } from './doctor-context';
import { HttpProbe } from './http-probe';

export interface DoctorOptions {
  /** The browser origin the CORS check speaks for (default: the MCP Inspector's). */
  browserOrigin?: string;
  timeoutMs?: number;
  checks?: readonly DoctorCheck[];
}

export interface DoctorReport {
  url: string;
  ok: boolean;
  checks: Array<{ id: string; title: string } & CheckResult>;
}

export const DEFAULT_BROWSER_ORIGIN = 'http://localhost:6274';

/** Walks a public MCP URL the way the strictest clients do; `ok` is false when any check failed. */
export async function runDoctor(url: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const context: DoctorContext = {
    mcpUrl: new URL(url),
    browserOrigin: options.browserOrigin ?? DEFAULT_BROWSER_ORIGIN,
    http: new HttpProbe(options.timeoutMs ?? 10_000),
    found: {},
  };
  const checks: DoctorReport['checks'] = [];
  for (const check of options.checks ?? CHECKS) {
    let result: CheckResult;
    try {
      result = await check.run(context);
    } catch (error) {
      result = {
        status: 'fail',
        detail: `the check could not finish: ${(error as Error).message}`,
        fix: 'Check that the URL is reachable from here and answers within the timeout (--timeout).',
      };
    }
    checks.push({ id: check.id, title: check.title, ...result });
  }
  return { url: context.mcpUrl.href, ok: checks.every((check) => check.status !== 'fail'), checks };
}

import type { DoctorReport } from './run-doctor';

const LABEL = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' } as const;

/** One line per check, its fix underneath, and a summary line. */
export function formatReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((check) => check.title.length));
  const lines = [`mcp-auth-gateway doctor: ${report.url}`, ''];
  for (const check of report.checks) {
    lines.push(`  ${LABEL[check.status]}  ${check.title.padEnd(width)}  ${check.detail}`);
    if (check.fix) lines.push(`        ${' '.repeat(width)}  fix: ${check.fix}`);
  }
  const count = (status: keyof typeof LABEL) =>
    report.checks.filter((check) => check.status === status).length;
  lines.push(
    '',
    `${count('pass')} passed, ${count('warn')} warnings, ${count('fail')} failed, ${count('skip')} skipped`,
  );
  return lines.join('\n');
}

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { renderSections, type Environment } from './document';
import type { BenchResults, TargetRow } from './targets';

const READING_HEADING = '## How to read this';

/**
 * Replaces each block's section (from its `## ` heading to the next one) in a latest.md, or inserts it before
 * "How to read this" when the document has no such section yet. Everything else (the full run's targets, chart,
 * other sections and the notes written by hand) stays as it was.
 */
export function spliceSections(document: string, blocks: string[]): string {
  let text = document;
  for (const block of blocks) {
    const heading = block.slice(0, block.indexOf('\n'));
    const start = text.indexOf(`\n${heading}\n`);
    if (start >= 0) {
      const end = text.indexOf('\n## ', start + heading.length + 1);
      text = `${text.slice(0, start + 1)}${block}\n${end >= 0 ? text.slice(end + 1) : ''}`;
      continue;
    }
    const reading = text.indexOf(`\n${READING_HEADING}\n`);
    text =
      reading >= 0
        ? `${text.slice(0, reading + 1)}${block}\n${text.slice(reading + 1)}`
        : `${text.trimEnd()}\n\n${block}\n`;
  }
  return text;
}

/**
 * A run of some sections only (BENCH_SECTIONS) must not erase the full run's document: its numbers go to
 * `<sections>-<date>.json` (e.g. cluster-2026-11-30.json) and its sections replace their namesakes in latest.md,
 * each saying when and how it was measured. Returns the JSON file's name.
 */
export async function writePartialRun(
  dir: string,
  sections: string[],
  environment: Environment,
  results: BenchResults,
  targets: TargetRow[],
): Promise<string> {
  const name = `${sections.join('+')}-${environment.date.slice(0, 10)}.json`;
  writeFileSync(join(dir, name), `${JSON.stringify({ environment, targets, ...results }, null, 2)}\n`);
  const latest = join(dir, 'latest.md');
  const document = existsSync(latest) ? readFileSync(latest, 'utf8') : '# Benchmarks (latest run)\n';
  const load = environment.loadAverage;
  const note =
    `Measured in a separate run (BENCH_SECTIONS=${sections.join(',')}): ${environment.cpus}, Node ` +
    `${environment.node}, ${environment.date.slice(0, 16)}Z, load average ${load.start[0].toFixed(1)} -> ` +
    `${load.end[0].toFixed(1)}, ${environment.rounds} rounds of ${environment.durationSeconds} s, ` +
    `${environment.connections} connections. Numbers: [${name}](${name}).`;
  const blocks = renderSections(results).map((lines) => [...lines, note, ''].join('\n'));
  // Written as `prettier --check` expects, so the committed report stays lint-clean.
  writeFileSync(latest, await format(spliceSections(document, blocks), { parser: 'markdown' }));
  return name;
}

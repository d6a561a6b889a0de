import type { ScenarioResult } from './report';

const COLOURS: Record<string, string> = {
  'SDK example': '#9e9e9e',
  direct: '#4e79a7',
  gateway: '#f28e2b',
  reference: '#9e9e9e',
  mcp: '#4e79a7',
  authz: '#76b7b2',
  loadgen: '#d3d3d3',
};
const colour = (name: string) => COLOURS[name] ?? '#bab0ac';
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, value: string, extra = '') =>
  `<text x="${x}" y="${y}" ${extra}>${escape(value)}</text>`;

/**
 * The README's chart of a run: tools/call req/s of the SDK example, mcp direct and through the gateway per MCP
 * era (left), and the CPU each process spent per call through the gateway beside the example's (right), with
 * the machine and its load in the caption. Plain SVG, no dependency.
 */
export function renderChart(results: ScenarioResult[], caption: string): string {
  const rows = results.filter((r) => r.reference);
  const width = 900;
  const rowHeight = 70;
  const top = 50;
  const height = top + rows.length * rowHeight + 60;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(10, 20, 'tools/call add: requests per second', 'font-weight="bold"'),
    text(470, 20, 'CPU per call (us): through the gateway vs the SDK example', 'font-weight="bold"'),
  ];
  const maxRate = Math.max(
    1,
    ...rows.flatMap((r) => [r.reference!, r.direct, r.gateway].map((s) => s.requestsPerSecond)),
  );
  const maxCpu = Math.max(
    1,
    ...rows.flatMap((r) => [sum(r.gateway.cpuUsPerRequest), sum(r.reference!.cpuUsPerRequest)]),
  );
  rows.forEach((r, index) => {
    const y = top + index * rowHeight;
    out.push(text(10, y - 4, r.name, 'font-weight="bold"'));
    const bars: [string, number][] = [
      ['SDK example', r.reference!.requestsPerSecond],
      ['direct', r.direct.requestsPerSecond],
      ['gateway', r.gateway.requestsPerSecond],
    ];
    bars.forEach(([name, rate], i) => {
      const w = (rate / maxRate) * 300;
      out.push(`<rect x="90" y="${y + i * 18}" width="${w.toFixed(1)}" height="14" fill="${colour(name)}"/>`);
      out.push(text(10, y + i * 18 + 11, name));
      out.push(text(95 + w, y + i * 18 + 11, rate.toFixed(0)));
    });
    stacked(out, 'gateway', r.gateway.cpuUsPerRequest ?? {}, 560, y, maxCpu);
    stacked(out, 'SDK example', r.reference!.cpuUsPerRequest ?? {}, 560, y + 22, maxCpu);
  });
  const legendY = top + rows.length * rowHeight + 5;
  ['gateway', 'mcp', 'authz', 'reference', 'loadgen'].forEach((name, i) => {
    out.push(`<rect x="${470 + i * 85}" y="${legendY}" width="10" height="10" fill="${colour(name)}"/>`);
    out.push(text(484 + i * 85, legendY + 9, name === 'reference' ? 'SDK example' : name));
  });
  out.push(text(10, height - 12, caption, 'fill="#555555" font-size="11"'));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

const sum = (cpu: Record<string, number> | undefined) => Object.values(cpu ?? {}).reduce((a, b) => a + b, 0);

/** One bar of CPU per call, a segment per process. */
function stacked(
  out: string[],
  label: string,
  cpu: Record<string, number>,
  x: number,
  y: number,
  max: number,
) {
  out.push(text(470, y + 11, label));
  let at = x;
  for (const [name, us] of Object.entries(cpu)) {
    const w = (us / max) * 300;
    out.push(
      `<rect x="${at.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="16" fill="${colour(name)}"><title>${escape(`${name} ${us} us`)}</title></rect>`,
    );
    at += w;
  }
  out.push(text(at + 5, y + 12, `${sum(cpu)}`));
}

// The results as a Markdown table, for README.md.
import type { SuiteResult } from '../types';
import { HEADERS, type Row, rows } from './format';

const COLUMNS: Array<keyof Row> = ['metric', 'unit', 'ours', 'c', 'python', 'vsC', 'vsPython', 'targets'];
const cell = (s: string): string => s.replace(/\|/g, '\\|').trim() || ' ';

export function markdownTable(result: SuiteResult, chartFile?: string): string {
  const m = result.machine;
  const out = [
    `Measured with \`${result.command}\` (${result.mode} mode, ${result.rounds} round(s), median over rounds; ` +
      `ratios are mpi-loop / baseline) on ${result.date.slice(0, 10)}: ${m.cpuModel}, ${m.cores} cores, ` +
      `${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, Node ${m.node}, ${m.mpiLibrary}` +
      `${m.mpi4py ? `, Python ${m.python} with mpi4py ${m.mpi4py}` : ''}; load average ` +
      `${m.loadAverage.start[0].toFixed(1)} at start, ${m.loadAverage.end[0]?.toFixed(1) ?? '?'} at end.`,
    '',
    `| ${['benchmark', ...COLUMNS.map((c) => HEADERS[c])].join(' | ')} |`,
    `|${['---', ...COLUMNS.map((c) => (['ours', 'c', 'python', 'vsC', 'vsPython'].includes(c) ? '---:' : '---'))].join('|')}|`,
  ];
  for (const r of rows(result)) {
    out.push(`| ${[r.benchmark ? `\`${r.benchmark}\`` : '', ...COLUMNS.map((c) => r[c])].map(cell).join(' | ')} |`);
  }
  const skipped = result.benchmarks.flatMap((b) =>
    Object.entries(b.skipped).map(([i, why]) => `${b.name}: ${i} skipped: ${why}`),
  );
  const notes = [...result.notes, ...new Set(skipped)];
  if (notes.length > 0) out.push('', ...notes.map((n) => `- ${n}`));
  if (chartFile) out.push('', `![latency against ranks and bandwidth against message size](${chartFile})`);
  return `${out.join('\n')}\n`;
}

// The results as a table for the terminal.
import type { SuiteResult } from '../types';
import { HEADERS, type Row, rows } from './format';

const COLUMNS: Array<keyof Row> = ['benchmark', 'metric', 'unit', 'ours', 'c', 'python', 'vsC', 'vsPython', 'targets'];
const RIGHT = new Set<keyof Row>(['ours', 'c', 'python', 'vsC', 'vsPython']);

export function terminalTable(result: SuiteResult): string {
  const all = [HEADERS, ...rows(result)];
  const width = (k: keyof Row): number => Math.max(...all.map((r) => [...r[k]].length));
  const widths = new Map(COLUMNS.map((k) => [k, width(k)]));
  const line = (r: Row): string =>
    COLUMNS.map((k) => {
      const w = widths.get(k)!;
      const pad = ' '.repeat(Math.max(0, w - [...r[k]].length));
      return RIGHT.has(k) ? pad + r[k] : r[k] + pad;
    })
      .join('  ')
      .trimEnd();
  const rule = COLUMNS.map((k) => '-'.repeat(widths.get(k)!)).join('  ');
  const m = result.machine;
  const lines = [
    `mpi-loop bench (${result.mode}, ${result.rounds} round(s), ${result.seconds.toFixed(0)} s): ${m.cpuModel}, ` +
      `${m.cores} cores, node ${m.node}, ${m.mpiLibrary}; load average ${m.loadAverage.start[0].toFixed(1)} ` +
      `at start, ${m.loadAverage.end[0]?.toFixed(1) ?? '?'} at end`,
    '',
    line(HEADERS),
    rule,
    ...all.slice(1).map(line),
  ];
  for (const n of result.notes) lines.push(`note: ${n}`);
  for (const b of result.benchmarks) {
    for (const [impl, why] of Object.entries(b.skipped)) lines.push(`note: ${b.name}: ${impl} skipped: ${why}`);
    for (const f of b.failures) lines.push(`FAILED: ${b.name}: ${f}`);
  }
  return `${lines.join('\n')}\n`;
}

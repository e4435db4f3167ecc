// Numbers as the tables show them.
import type { MetricResult, SuiteResult, Unit } from '../types';

export const UNIT_TEXT: Record<Unit, string> = {
  us: 'µs',
  'MB/s': 'MB/s',
  '%': '%',
  MB: 'MB',
  'it/s': 'it/s',
  'tasks/s': 'tasks/s',
  x: '×',
};

export function formatValue(v: number | undefined, unit: Unit): string {
  if (v === undefined || !Number.isFinite(v)) return '-';
  if (unit === 'MB/s' || unit === 'it/s' || unit === 'tasks/s') return Math.round(v).toLocaleString('en');
  const a = Math.abs(v);
  if (unit === '%' || unit === 'MB') return v.toFixed(a >= 100 ? 0 : 2);
  if (a >= 1000) return Math.round(v).toLocaleString('en');
  return v.toPrecision(3);
}

export const formatRatio = (r: number | undefined): string =>
  r === undefined || !Number.isFinite(r) ? '-' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}x`;

/** "≤0.5x pyMOR-style: 0.31x ✓" for each target. */
export function formatTargets(m: MetricResult): string {
  return m.targets
    .map((t) => {
      const mark = t.met === null ? '?' : t.met ? '✓' : '✗';
      const figure =
        t.figure === null
          ? 'n/a'
          : t.against
            ? formatRatio(t.figure)
            : `${formatValue(t.figure, m.unit)} ${UNIT_TEXT[m.unit]}`;
      return `${mark} ${t.text} (${figure})`;
    })
    .join('; ');
}

export interface Row {
  benchmark: string;
  metric: string;
  unit: string;
  ours: string;
  c: string;
  python: string;
  vsC: string;
  vsPython: string;
  targets: string;
}

/**
 * One row per metric: mpi-loop, the first C and Python baselines and the
 * ratios to them; a further baseline (a C variant) gets a row of its own.
 */
export function rows(result: SuiteResult): Row[] {
  const out: Row[] = [];
  for (const b of result.benchmarks) {
    for (const m of b.metrics) {
      const ids = Object.keys(m.labels).filter((id) => id !== 'mpi-loop');
      const cId = ids.find((id) => id === 'c');
      const pyId = ids.find((id) => id === 'python');
      const u = m.unit;
      const cLabel = cId && m.labels[cId] !== 'C' ? ` (C: ${m.labels[cId]})` : '';
      out.push({
        benchmark: b.name,
        metric: `${m.label}${cLabel}`,
        unit: UNIT_TEXT[u],
        ours: formatValue(m.values['mpi-loop']?.median, u),
        c: cId ? skipOr(b.skipped.c, formatValue(m.values[cId]?.median, u)) : '',
        python: pyId ? skipOr(b.skipped.python, formatValue(m.values[pyId]?.median, u)) : '',
        vsC: cId ? formatRatio(m.ratios[cId]) : '',
        vsPython: pyId ? formatRatio(m.ratios[pyId]) : '',
        targets: formatTargets(m),
      });
      for (const id of ids.filter((x) => x !== cId && x !== pyId)) {
        out.push({
          benchmark: '',
          metric: `  vs ${m.labels[id]}`,
          unit: UNIT_TEXT[u],
          ours: '',
          c: formatValue(m.values[id]?.median, u),
          python: '',
          vsC: formatRatio(m.ratios[id]),
          vsPython: '',
          targets: '',
        });
      }
    }
  }
  return out;
}

const skipOr = (skipped: string | undefined, text: string): string => (skipped ? 'skipped' : text);

export const HEADERS: Row = {
  benchmark: 'benchmark',
  metric: 'metric',
  unit: 'unit',
  ours: 'mpi-loop',
  c: 'C',
  python: 'Python',
  vsC: 'vs C',
  vsPython: 'vs Python',
  targets: 'targets',
};

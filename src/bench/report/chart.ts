// The chart: call(noop) latency against ranks, and bandwidth against message
// size, as one hand-written SVG (log-log axes, one line per implementation).
import type { MetricResult, SuiteResult } from '../types';

interface Series {
  id: string;
  label: string;
  points: Array<[number, number]>;
}
interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  xText(x: number): string;
}

const COLORS: Record<string, string> = {
  'mpi-loop': '#d62728',
  c: '#1f77b4',
  'c-stream': '#17becf',
  python: '#2ca02c',
};
const W = 480;
const H = 340;
const M = { left: 64, right: 16, top: 36, bottom: 64 };

function collect(metrics: MetricResult[]): Series[] {
  const byId = new Map<string, Series>();
  for (const m of metrics) {
    for (const [id, v] of Object.entries(m.values)) {
      const s = byId.get(id) ?? { id, label: m.labels[id] ?? id, points: [] };
      if (v.median > 0) s.points.push([m.chart!.x, v.median]);
      byId.set(id, s);
    }
  }
  return [...byId.values()]
    .filter((s) => s.points.length > 0)
    .map((s) => ({ ...s, points: s.points.sort((a, b) => a[0] - b[0]) }));
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function ticks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  return out;
}

const short = (v: number): string =>
  v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : String(Number(v.toPrecision(3)));

function panel(p: Panel, dx: number): string {
  const pts = p.series.flatMap((s) => s.points);
  if (pts.length === 0)
    return `<text x="${dx + W / 2}" y="${H / 2}" text-anchor="middle">${esc(p.title)}: no data</text>`;
  const xs = [...new Set(pts.map((q) => q[0]))].sort((a, b) => a - b);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const ys = pts.map((q) => q[1]);
  const y0 = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const y1 = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const X = (x: number): number => dx + M.left + (x1 === x0 ? pw / 2 : (pw * Math.log(x / x0)) / Math.log(x1 / x0));
  const Y = (y: number): number => M.top + ph - (ph * Math.log(y / y0)) / Math.log(y1 / y0);
  const out: string[] = [
    `<text x="${dx + W / 2}" y="20" text-anchor="middle" font-weight="bold">${esc(p.title)}</text>`,
    `<rect x="${dx + M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
  ];
  for (const x of xs) {
    out.push(
      `<line x1="${X(x)}" x2="${X(x)}" y1="${M.top}" y2="${M.top + ph}" stroke="#eee"/>`,
      `<text x="${X(x)}" y="${M.top + ph + 14}" text-anchor="middle" font-size="10">${esc(p.xText(x))}</text>`,
    );
  }
  for (const y of ticks(y0, y1)) {
    out.push(
      `<line x1="${dx + M.left}" x2="${dx + M.left + pw}" y1="${Y(y)}" y2="${Y(y)}" stroke="#eee"/>`,
      `<text x="${dx + M.left - 4}" y="${Y(y) + 3}" text-anchor="end" font-size="10">${short(y)}</text>`,
    );
  }
  out.push(
    `<text x="${dx + M.left + pw / 2}" y="${M.top + ph + 30}" text-anchor="middle" font-size="11">${esc(p.xLabel)}</text>`,
    `<text transform="translate(${dx + 14} ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(p.yLabel)}</text>`,
  );
  p.series.forEach((s, i) => {
    const color = COLORS[s.id] ?? '#777';
    const d = s.points.map(([x, y], j) => `${j ? 'L' : 'M'}${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const [x, y] of s.points)
      out.push(`<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="3" fill="${color}"/>`);
    const lx = dx + M.left + (i % 2) * (pw / 2);
    const ly = M.top + ph + 44 + Math.floor(i / 2) * 13;
    out.push(
      `<line x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${lx + 20}" y="${ly}" font-size="10">${esc(s.label)}</text>`,
    );
  });
  return out.join('\n');
}

const sizeText = (s: number): string => (s >= 1 << 20 ? `${s / (1 << 20)}M` : `${s / 1024}K`);

export function chartSvg(result: SuiteResult): string {
  const metrics = result.benchmarks.flatMap((b) => b.metrics).filter((m) => m.chart);
  const ranks = collect(metrics.filter((m) => m.chart!.series === 'ranks'));
  const bw = collect(metrics.filter((m) => m.chart!.series === 'bandwidth'));
  const body = [
    panel(
      { title: 'call(noop) against ranks', xLabel: 'ranks', yLabel: 'µs per call (log)', series: ranks, xText: String },
      0,
    ),
    panel(
      {
        title: 'Send/Recv bandwidth',
        xLabel: 'message size (bytes)',
        yLabel: 'MB/s (log)',
        series: bw,
        xText: sizeText,
      },
      W,
    ),
  ];
  const m = result.machine;
  const caption = `${result.command} · ${m.cpuModel}, ${m.cores} cores · ${m.mpiLibrary} · ${result.date.slice(0, 10)}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 20}" viewBox="0 0 ${2 * W} ${H + 20}" ` +
    `font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${body.join('\n')}\n` +
    `<text x="${W}" y="${H + 12}" text-anchor="middle" font-size="10" fill="#555">${esc(caption)}</text>\n</svg>\n`
  );
}

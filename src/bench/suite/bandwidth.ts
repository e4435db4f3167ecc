// Bandwidth from 1 KiB to 64 MiB: Send/Recv pingpongs of growing buffers.
import { mpiLoop } from '../runtime';
import type { Benchmark, Figures, Metric, Options } from '../types';
import { count, pairs, vsC, vsPython } from './common';
import { bufferPingpong } from './pingpong';

/** 1 KiB, 4 KiB, ..., 64 MiB. */
const SIZES = Array.from({ length: 9 }, (_, i) => 1024 * 4 ** i);
const label = (s: number): string => (s >= 1 << 20 ? `${s / (1 << 20)} MiB` : `${s / 1024} KiB`);

function plan(o: Options): Array<[number, number]> {
  // About the same bytes per batch at every size, at least a few round trips.
  const budget = count(o, 128 << 20, 16 << 20);
  return SIZES.map((s) => [s, Math.max(count(o, 4, 2), Math.min(count(o, 2000, 300), Math.floor(budget / s)))]);
}

export const bandwidth: Benchmark = {
  name: 'bandwidth',
  title: 'Send/Recv bandwidth, 1 KiB to 64 MiB',
  method:
    'Two ranks run Send/Recv pingpongs of a byte buffer of each size (powers of 4 from 1 KiB to 64 MiB; ' +
    'mpi4py: numpy uint8 arrays). Figure: size / one-way time, in MB/s (10^6 bytes per second), median of ' +
    'the batches of a launch, then median over rounds.',
  launches(o) {
    const p = plan(o);
    const b = String(count(o, 3, 1));
    return [
      { impl: 'mpi-loop', ranks: 2, args: { plan: p, batches: Number(b) } },
      { impl: 'c', ranks: 2, args: ['pingpong', b, ...pairs(p)] },
      { impl: 'python', ranks: 2, args: ['pingpong.py', 'buffer', b, ...pairs(p)] },
    ];
  },
  metrics: () =>
    SIZES.map((s): Metric => ({
      id: `bandwidth-${s}`,
      label: `bandwidth ${label(s)}`,
      unit: 'MB/s',
      better: 'higher',
      key: `bw-${s}`,
      baselines: [vsC(`bw-${s}`), vsPython(`bw-${s}`)],
      targets: s === 16 << 20 ? [{ text: 'at least 0.8x of C', against: 'c', minRatio: 0.8 }] : undefined,
      chart: { series: 'bandwidth', x: s },
    })),
  derive(f) {
    const out: Figures = {};
    for (const [k, v] of Object.entries(f)) {
      const m = /^oneway-(\d+)$/.exec(k);
      if (m) out[`bw-${m[1]}`] = Number(m[1]) / v; // bytes per microsecond = MB/s
    }
    return out;
  },
  measure(p): Figures | undefined {
    const figures: Figures = {};
    for (const [size, iterations] of p.plan as Array<[number, number]>) {
      figures[`oneway-${size}`] = bufferPingpong(size, iterations, Number(p.batches ?? 3));
    }
    return mpiLoop().COMM_WORLD.rank === 0 ? figures : undefined;
  },
};

// call(noop) against the number of ranks (default 2, 4, 8, 16; up to 64 with
// --ranks), and how fast rank 0's cost grows past 8 ranks.
import { num, workloads } from '../runtime';
import type { Benchmark, Figures, Launch, Metric, Options, Target } from '../types';
import { batchBudgetMs, count, vsPyMOR } from './common';
import { noopBaselines } from './call-noop';
import { LOOP_METHOD, perCallWithCpu } from './loop-timing';

/**
 * 10,000 calls a batch at every rank count (quick: fewer at more ranks). Fewer
 * left the workers' warm-up inside the measured batches at 16 ranks on 2 cores:
 * 1,250 calls a batch measured 95 to 103 µs a call where 10,000 measured 27 to
 * 28 µs, on the same code; pyMOR-style measured the same at both.
 */
const calls = (o: Options, n: number): number =>
  Math.max(count(o, 10000, 50), Math.floor((count(o, 10000, 600) * 2) / n));

/** The rank count growth is measured from. */
const GROWTH_FROM = 8;
/** The largest rank count past GROWTH_FROM, or undefined. */
const growthTo = (o: Options): number | undefined => {
  const above = o.ranks.filter((n) => n > GROWTH_FROM);
  return o.ranks.includes(GROWTH_FROM) && above.length > 0 ? Math.max(...above) : undefined;
};

const noSlowerThanPyMOR: Target = { text: 'no slower than pyMOR-style', against: 'python', maxRatio: 1 };

function targetsAt(n: number): Target[] | undefined {
  if (n === 16) return [{ text: 'at most 0.5x of pyMOR-style', against: 'python', maxRatio: 0.5 }, noSlowerThanPyMOR];
  if (n === 64) return [noSlowerThanPyMOR];
  return undefined;
}

export const callRanks: Benchmark = {
  name: 'call-ranks',
  title: 'call(noop) against the number of ranks',
  method:
    `call(noop) at each rank count (default 2, 4, 8, 16; more ranks than cores run oversubscribed). ` +
    `${LOOP_METHOD} 10,000 calls a batch at every rank count (quick: 1,200/ranks, at least 50), so that ` +
    'the workers of a JIT-compiled implementation are warm when the measured batches start. ' +
    "Rank 0's CPU per call: its CPU time over the calls alone (no synchronising call), what fanning the " +
    'commands out costs rank 0 itself; the time per call also counts every worker, which past the core count share ' +
    'the cores, so it grows with the ranks whatever the fan-out. ' +
    `Growth: a figure at the largest rank count divided by that at ${GROWTH_FROM} ranks, per round; ` +
    `logarithmic growth is at most log2(largest)/log2(${GROWTH_FROM}) (2 from 8 to 64 ranks).`,
  launches(o) {
    const b = String(count(o, 3, 1));
    return o.ranks.flatMap((n): Launch[] => {
      const c = String(calls(o, n));
      const prefix = `n${n}:`;
      return [
        {
          impl: 'mpi-loop',
          ranks: n,
          loop: true,
          prefix,
          args: { calls: Number(c), batches: Number(b), budgetMs: batchBudgetMs(o) },
        },
        { impl: 'c', ranks: n, prefix, args: ['loop', 'noop', c, b, String(batchBudgetMs(o))] },
        { impl: 'python', ranks: n, prefix, args: ['pymor_loop.py', 'noop', c, b, String(batchBudgetMs(o))] },
      ];
    });
  },
  metrics(o) {
    const perRanks = o.ranks.map((n): Metric => ({
      id: `call-noop-${n}-ranks`,
      label: `call(noop) at ${n} ranks`,
      unit: 'us',
      better: 'lower',
      key: `n${n}:noop`,
      baselines: noopBaselines(`n${n}:`),
      targets: targetsAt(n),
      chart: { series: 'ranks', x: n },
    }));
    const cpu = o.ranks.map((n): Metric => ({
      id: `call-noop-cpu-${n}-ranks`,
      label: `rank 0's CPU per call(noop) at ${n} ranks`,
      unit: 'us',
      better: 'lower',
      key: `n${n}:noop-cpu`,
      baselines: [vsPyMOR(`n${n}:noop-cpu`)],
    }));
    const to = growthTo(o);
    if (to === undefined) return [...perRanks, ...cpu];
    const logarithmic = Math.log2(to) / Math.log2(GROWTH_FROM);
    const growth = (key: string, what: string, targets?: Target[]): Metric => ({
      id: `${key}-${GROWTH_FROM}-${to}`,
      label: `${what} growth from ${GROWTH_FROM} to ${to} ranks`,
      unit: 'x',
      better: 'lower',
      key,
      baselines: [vsPyMOR(key)],
      targets,
    });
    return [
      ...perRanks,
      ...cpu,
      growth('growth', 'call(noop)'),
      growth('growth-cpu', "rank 0's CPU per call(noop)", [
        { text: `at most logarithmic (${logarithmic.toFixed(2)}x)`, maxValue: logarithmic },
      ]),
    ];
  },
  combine(figures, o): Figures {
    const to = growthTo(o);
    const out: Figures = {};
    if (to === undefined) return out;
    for (const [name, key] of [
      ['growth', 'noop'],
      ['growth-cpu', 'noop-cpu'],
    ]) {
      const from = figures[`n${GROWTH_FROM}:${key}`];
      const at = figures[`n${to}:${key}`];
      if (from > 0 && at !== undefined) out[name] = at / from;
    }
    return out;
  },
  measure(p): Figures {
    const { wall, cpu } = perCallWithCpu(
      num(p, 'calls', 1000),
      num(p, 'batches', 3),
      num(p, 'budgetMs', Infinity),
      workloads().noop,
    );
    return { noop: wall, 'noop-cpu': cpu };
  },
};

// call(noop) at 2, 4, 8 and 16 ranks (oversubscribed beyond the core count).
import { num, workloads } from '../runtime';
import type { Benchmark, Figures, Launch, Metric, Options } from '../types';
import { batchBudgetMs, count } from './common';
import { noopBaselines } from './call-noop';
import { LOOP_METHOD, perCall } from './loop-timing';

/** Fewer calls at more ranks: each call costs about linearly more. */
const calls = (o: Options, n: number): number => Math.max(50, Math.floor((count(o, 10000, 600) * 2) / n));

export const callRanks: Benchmark = {
  name: 'call-ranks',
  title: 'call(noop) against the number of ranks',
  method:
    `call(noop) at each rank count (default 2, 4, 8, 16; more ranks than cores run oversubscribed). ` +
    `${LOOP_METHOD} The number of calls shrinks as 1/ranks.`,
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
  metrics: (o) =>
    o.ranks.map((n): Metric => ({
      id: `call-noop-${n}-ranks`,
      label: `call(noop) at ${n} ranks`,
      unit: 'us',
      better: 'lower',
      key: `n${n}:noop`,
      baselines: noopBaselines(`n${n}:`),
      targets: n === 16 ? [{ text: 'at most 0.5x of pyMOR-style', against: 'python', maxRatio: 0.5 }] : undefined,
      chart: { series: 'ranks', x: n },
    })),
  measure(p): Figures {
    return {
      noop: perCall(num(p, 'calls', 1000), num(p, 'batches', 3), num(p, 'budgetMs', Infinity), workloads().noop),
    };
  },
};

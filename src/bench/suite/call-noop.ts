// call(noop): the event loop's own cost per command.
import { num, workloads } from '../runtime';
import type { Benchmark, Comparison, Figures, Launch } from '../types';
import { batchBudgetMs, count, vsPyMOR } from './common';
import { LOOP_METHOD, perCall } from './loop-timing';

/** The baselines of call(noop), with figure keys under `prefix`. */
export const noopBaselines = (prefix = ''): Comparison[] => [
  vsPyMOR(`${prefix}noop`),
  { id: 'c', impl: 'c', label: 'C bcast+barrier', key: `${prefix}noop-sync` },
  { id: 'c-stream', impl: 'c', label: 'C bcast stream', key: `${prefix}noop` },
];

/** Figure keys of the launches with the ranks unpinned (--bind-to none). */
const UNPINNED = 'unpinned:';

export const callNoop: Benchmark = {
  name: 'call-noop',
  title: 'call(noop)',
  method:
    `call(noop) with noop exported by a module (sent by reference). ${LOOP_METHOD} ` +
    'C bcast+barrier: MPI_Bcast of the command then MPI_Barrier on every call; ' +
    'C bcast stream: back-to-back MPI_Bcast of the command, ended by one barrier (the same method as ours). ' +
    "Measured with the ranks pinned to cores (mpirun's default) and unpinned (--bind-to none, as under " +
    'schedulers that leave binding to the job).',
  launches(o) {
    const calls = String(count(o, 20000, 3000));
    const b = String(count(o, 5, 2));
    return [false, true].flatMap((unpinned): Launch[] => {
      const prefix = unpinned ? UNPINNED : undefined;
      return [
        {
          impl: 'mpi-loop',
          ranks: 2,
          loop: true,
          unpinned,
          prefix,
          args: { calls: Number(calls), batches: Number(b), budgetMs: batchBudgetMs(o) },
        },
        { impl: 'c', ranks: 2, unpinned, prefix, args: ['loop', 'noop', calls, b, String(batchBudgetMs(o))] },
        {
          impl: 'python',
          ranks: 2,
          unpinned,
          prefix,
          args: ['pymor_loop.py', 'noop', calls, b, String(batchBudgetMs(o))],
        },
      ];
    });
  },
  metrics: () => [
    {
      id: 'call-noop',
      label: 'call(noop)',
      unit: 'us',
      better: 'lower',
      key: 'noop',
      baselines: noopBaselines(),
      targets: [
        { text: 'at most 0.4x of pyMOR-style', against: 'python', maxRatio: 0.4 },
        { text: 'within 5x of C bcast+barrier', against: 'c', maxRatio: 5 },
      ],
    },
    {
      id: 'call-noop-unpinned',
      label: 'call(noop), --bind-to none',
      unit: 'us',
      better: 'lower',
      key: `${UNPINNED}noop`,
      baselines: noopBaselines(UNPINNED),
    },
  ],
  measure(p): Figures {
    return {
      noop: perCall(num(p, 'calls', 10000), num(p, 'batches', 5), num(p, 'budgetMs', Infinity), workloads().noop),
    };
  },
};

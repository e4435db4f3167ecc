// call() of a function that gathers to rank 0: a call with a collective inside.
import { num, workloads } from '../runtime';
import type { Benchmark, Figures } from '../types';
import { batchBudgetMs, count, vsC, vsPyMOR } from './common';
import { LOOP_METHOD, perCall } from './loop-timing';

export const callGather: Benchmark = {
  name: 'call-gather',
  title: 'call(gatherRank)',
  method:
    `call(gatherRank), where gatherRank returns comm.gather(rank) (an object gather to rank 0). ` +
    `${LOOP_METHOD} pyMOR-style: comm.gather(rank) in the called function. C: command MPI_Bcast then ` +
    'MPI_Gather of one int.',
  launches(o) {
    const calls = String(count(o, 10000, 2000));
    const b = String(count(o, 5, 2));
    return [
      {
        impl: 'mpi-loop',
        ranks: 2,
        loop: true,
        args: { calls: Number(calls), batches: Number(b), budgetMs: batchBudgetMs(o) },
      },
      { impl: 'c', ranks: 2, args: ['loop', 'gather', calls, b, String(batchBudgetMs(o))] },
      { impl: 'python', ranks: 2, args: ['pymor_loop.py', 'gather', calls, b, String(batchBudgetMs(o))] },
    ];
  },
  metrics: () => [
    {
      id: 'call-gather',
      label: 'call(gather to rank 0)',
      unit: 'us',
      better: 'lower',
      key: 'gather',
      baselines: [vsC('gather', 'C bcast+gather'), vsPyMOR('gather')],
      targets: [{ text: 'at most 0.7x of pyMOR-style', against: 'python', maxRatio: 0.7 }],
    },
  ],
  measure(p): Figures {
    return {
      gather: perCall(
        num(p, 'calls', 10000),
        num(p, 'batches', 5),
        num(p, 'budgetMs', Infinity),
        workloads().gatherRank,
      ),
    };
  },
};

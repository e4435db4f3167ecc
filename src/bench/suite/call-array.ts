// call() with a Float64Array argument of 1 KiB, 1 MiB and 16 MiB.
import { workloads } from '../runtime';
import type { Benchmark, Figures, Metric, Options } from '../types';
import { count, pairs, vsC, vsPyMOR } from './common';
import { LOOP_METHOD, perCall } from './loop-timing';

const SIZES = [1 << 10, 1 << 20, 16 << 20];
const label = (s: number): string => (s >= 1 << 20 ? `${s / (1 << 20)} MiB` : `${s / 1024} KiB`);

const plan = (o: Options): Array<[number, number]> => [
  [SIZES[0], count(o, 10000, 1000)],
  [SIZES[1], count(o, 150, 20)],
  [SIZES[2], count(o, 12, 3)],
];

export const callArray: Benchmark = {
  name: 'call-array',
  title: 'call(f, Float64Array)',
  method:
    `call(takeArray, a) with a Float64Array a of 1 KiB, 1 MiB and 16 MiB; takeArray returns a.length. ` +
    `${LOOP_METHOD} pyMOR-style: a numpy float64 array of the same size in the call's arguments (pickled ` +
    "inside the broadcast tuple). C: the command MPI_Bcast then MPI_Bcast of the array's bytes (at 2 ranks " +
    'one send of the array).',
  launches(o) {
    const b = count(o, 3, 1);
    return [
      { impl: 'mpi-loop', ranks: 2, loop: true, args: { plan: plan(o), batches: b } },
      { impl: 'c', ranks: 2, args: ['loop', 'array', String(b), ...pairs(plan(o))] },
      { impl: 'python', ranks: 2, args: ['pymor_loop.py', 'array', String(b), ...pairs(plan(o))] },
    ];
  },
  metrics: () =>
    SIZES.map((s): Metric => ({
      id: `call-array-${s}`,
      label: `call with ${label(s)} Float64Array`,
      unit: 'us',
      better: 'lower',
      key: `array-${s}`,
      baselines: [vsC(`array-${s}`, 'C bcast of the array'), vsPyMOR(`array-${s}`)],
      targets:
        s === SIZES[2]
          ? [
              { text: 'at most 0.3x of pyMOR-style', against: 'python', maxRatio: 0.3 },
              { text: "within 1.5x of C's 16 MiB send", against: 'c', maxRatio: 1.5 },
            ]
          : undefined,
    })),
  measure(p): Figures {
    const figures: Figures = {};
    for (const [bytes, calls] of p.plan as Array<[number, number]>) {
      const a = new Float64Array(bytes / 8).fill(1);
      figures[`array-${bytes}`] = perCall(calls, Number(p.batches ?? 3), Infinity, workloads().takeArray, a);
    }
    return figures;
  },
};

// Value collectives of small values (SPMD, no event loop) at 2 and 4 ranks,
// against mpi4py's pickle-based lowercase collectives.
import { batches, iterationsWithin, mpiLoop, num } from '../runtime';
import type { Benchmark, Figures, Launch, Metric, Options } from '../types';
import { batchCount, count, vsPython } from './common';

/** The operations, in the order measured; each reports "<op>" (prefixed by "n<ranks>:"). */
const OPS = ['gather', 'allgather', 'bcast', 'allreduce'] as const;
const RANKS = [2, 4];
/**
 * Milliseconds a batch of one operation may take (quick, full): on a machine
 * with fewer free cores than ranks, busy-polling MPICH ranks wait for time
 * slices, milliseconds a call, and the fixed counts would outlast a launch.
 */
const BUDGET_MS = { quick: 1000, full: 5000 };

export const valueCollectives: Benchmark = {
  name: 'value-collectives',
  title: 'collectives of small values (gather, allgather, bcast, allreduce)',
  method:
    'Every rank runs an SPMD loop (no event loop) of comm.gather(rank, 0), comm.allgather(rank), ' +
    'comm.bcast({a: 7, b: 3.14, c: [1, 2, 3]}, 0) and comm.allreduce(rank) (SUM) with the lowercase value ' +
    'methods (mpi4py: the same calls, pickled), at 2 and 4 ranks (4 oversubscribed on 2 cores). Figure: ' +
    'microseconds per call on rank 0, median of the batches of a launch. A batch has fewer calls when they ' +
    `would take longer than ${BUDGET_MS.quick / 1000} s (quick) or ${BUDGET_MS.full / 1000} s: a first run of ` +
    "50 calls times them (ranks that busy-poll for a core, as MPICH's do, take milliseconds a call).",
  launches(o: Options) {
    const iters = count(o, 20000, 3000);
    const b = batchCount(o);
    const budget = o.quick ? BUDGET_MS.quick : BUDGET_MS.full;
    return RANKS.flatMap((n): Launch[] => [
      { impl: 'mpi-loop', ranks: n, prefix: `n${n}:`, args: { iterations: iters, batches: b, budgetMs: budget } },
      {
        impl: 'python',
        ranks: n,
        prefix: `n${n}:`,
        args: ['collectives.py', String(b), String(iters), String(budget)],
      },
    ]);
  },
  metrics: () =>
    RANKS.flatMap((n) =>
      OPS.map((op): Metric => ({
        id: `${op}-${n}`,
        label: `small-value ${op} at ${n} ranks`,
        unit: 'us',
        better: 'lower',
        key: `n${n}:${op}`,
        baselines: [vsPython(`n${n}:${op}`)],
        targets: [{ text: 'at most 1.0x of mpi4py', against: 'python', maxRatio: 1.0 }],
      })),
    ),
  measure(p): Figures | undefined {
    const { COMM_WORLD: w } = mpiLoop();
    const iterations = num(p, 'iterations', 10000);
    const budgetMs = num(p, 'budgetMs', BUDGET_MS.full);
    const rank = w.rank;
    const obj = { a: 7, b: 3.14, c: [1, 2, 3] };
    const bodies: Record<(typeof OPS)[number], () => unknown> = {
      gather: () => w.gather(rank, 0),
      allgather: () => w.allgather(rank),
      bcast: () => w.bcast(rank === 0 ? obj : null, 0),
      allreduce: () => w.allreduce(rank),
    };
    const figures: Figures = {};
    for (const op of OPS) {
      const body = bodies[op];
      const n = iterationsWithin(w, body, iterations, budgetMs);
      figures[op] = batches(num(p, 'batches', 5), () => {
        w.barrier();
        const t0 = performance.now();
        for (let i = 0; i < n; i++) body();
        return ((performance.now() - t0) * 1e3) / n;
      });
    }
    return rank === 0 ? figures : undefined;
  },
};

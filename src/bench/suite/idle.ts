// Idle workers: their CPU use over an idle period, and the first call after it.
import { mpiLoop, num, workloads } from '../runtime';
import type { Benchmark, Figures } from '../types';
import { count, vsC, vsPyMOR } from './common';

const UNPINNED = 'unpinned:';

export const idle: Benchmark = {
  name: 'idle',
  title: 'idle workers and the first call after idle',
  method:
    'Rank 0 calls markIdleStart, sleeps (5 s; 1 s in quick mode; mpi-loop: awaits a timer), then times ' +
    'call(markIdleEnd), which records the end and runs a barrier on every rank: that time is the first call ' +
    'after idle (wake-up plus one barrier). Each worker measures its own CPU time over the period ' +
    '(mpi-loop: process.cpuUsage(); pyMOR-style: time.process_time() while blocked in comm.bcast; ' +
    'C: CLOCK_PROCESS_CPUTIME_ID while blocked in MPI_Bcast). Idle CPU: the busiest worker, in percent of one core. ' +
    'Each is measured with the ranks pinned to cores (the default of mpirun) and unpinned (--bind-to none, as under ' +
    'most schedulers), where the wake-up path differs.',
  launches(o) {
    const ms = String(count(o, 5000, 1000));
    return [
      { impl: 'mpi-loop', ranks: 2, loop: true, args: { ms: Number(ms) } },
      { impl: 'c', ranks: 2, args: ['loop', 'idle', ms] },
      { impl: 'python', ranks: 2, args: ['pymor_loop.py', 'idle', ms] },
      { impl: 'mpi-loop', ranks: 2, loop: true, unpinned: true, prefix: UNPINNED, args: { ms: Number(ms) } },
      { impl: 'c', ranks: 2, unpinned: true, prefix: UNPINNED, args: ['loop', 'idle', ms] },
    ];
  },
  metrics: () => [
    {
      id: 'idle-cpu',
      label: 'idle worker CPU',
      unit: '%',
      better: 'lower',
      sign: 'nonnegative',
      key: 'idle-cpu',
      baselines: [vsC('idle-cpu', 'C blocking MPI_Bcast'), vsPyMOR('idle-cpu')],
      targets: [{ text: 'under 1% of a core', maxValue: 1 }],
    },
    {
      id: 'first-call',
      label: 'first call after idle, pinned (with a barrier)',
      unit: 'us',
      better: 'lower',
      key: 'first-call',
      baselines: [vsC('first-call', 'C bcast+barrier'), vsPyMOR('first-call')],
      targets: [{ text: 'answered within 2 ms', maxValue: 2000 }],
    },
    {
      id: 'idle-cpu-unpinned',
      label: 'idle worker CPU, --bind-to none',
      unit: '%',
      better: 'lower',
      sign: 'nonnegative',
      key: `${UNPINNED}idle-cpu`,
      baselines: [vsC(`${UNPINNED}idle-cpu`, 'C blocking MPI_Bcast')],
      targets: [{ text: 'under 1% of a core', maxValue: 1 }],
    },
    {
      id: 'first-call-unpinned',
      label: 'first call after idle, --bind-to none (with a barrier)',
      unit: 'us',
      better: 'lower',
      key: `${UNPINNED}first-call`,
      baselines: [vsC(`${UNPINNED}first-call`, 'C bcast+barrier')],
      targets: [{ text: 'answered within 2 ms', maxValue: 2000 }],
    },
  ],
  async measure(p): Promise<Figures> {
    const { call } = mpiLoop();
    const w = workloads();
    call(w.barrier);
    call(w.markIdleStart);
    await new Promise((resolve) => setTimeout(resolve, num(p, 'ms', 5000)));
    let t0 = performance.now();
    call(w.markIdleEnd);
    const first = (performance.now() - t0) * 1e3;
    t0 = performance.now();
    call(w.barrier);
    const hot = (performance.now() - t0) * 1e3;
    const usage = call(w.idleReport) ?? [];
    return { 'first-call': first, 'hot-call': hot, 'idle-cpu': Math.max(...usage.slice(1)) };
  },
};

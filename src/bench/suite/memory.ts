// Resident memory per rank at start, and its drift over many calls.
import { mpiLoop, num, workloads } from '../runtime';
import type { Benchmark, Figures, Metric, Options } from '../types';
import { count, vsC, vsPyMOR } from './common';

const RANKS = 2;
const calls = (o: Options): number => count(o, 100000, 20000);
// Long enough for allocation to have cycled through V8's young generation,
// which is committed at start but resident only once first written (~8 MB
// per rank, over the first ~20,000 calls): the drift then measures growth
// that goes on, not memory that Node takes once.
const warmup = (o: Options): number => count(o, 50000, 10000);

export const memory: Benchmark = {
  name: 'memory',
  title: 'resident memory per rank and its drift',
  method:
    "Each rank's resident set size (mpi-loop: process.memoryUsage().rss after gc(), node --expose-gc; " +
    'pyMOR-style: /proc/self/statm after gc.collect(); C: /proc/self/statm), gathered to rank 0 by a call. ' +
    'RSS at start: right after launch. Drift: RSS after N call(noop) minus RSS after W warm-up calls ' +
    '(N = 100,000, W = 50,000; 20,000 and 10,000 in quick mode), in MB (10^6 bytes); it may be zero or negative. ' +
    "The warm-up lets allocation cycle once through V8's young generation, which Node commits at start but " +
    'which becomes resident only as it is first written (about 8 MB per rank); what the drift then shows is growth ' +
    'that goes on.',
  launches(o) {
    const n = String(calls(o));
    const w = String(warmup(o));
    return [
      {
        impl: 'mpi-loop',
        ranks: RANKS,
        loop: true,
        nodeFlags: ['--expose-gc'],
        args: { warmup: Number(w), calls: Number(n) },
      },
      { impl: 'c', ranks: RANKS, args: ['loop', 'memory', w, n] },
      { impl: 'python', ranks: RANKS, args: ['pymor_loop.py', 'memory', w, n] },
    ];
  },
  metrics(o) {
    const list: Metric[] = [];
    for (let r = 0; r < RANKS; r++) {
      list.push({
        id: `rss-start-rank${r}`,
        label: `RSS at start, rank ${r}`,
        unit: 'MB',
        better: 'lower',
        key: `rss-start-r${r}`,
        baselines: [vsC(`rss-start-r${r}`), vsPyMOR(`rss-start-r${r}`)],
      });
    }
    for (let r = 0; r < RANKS; r++) {
      list.push({
        id: `rss-drift-rank${r}`,
        label: `RSS drift over ${calls(o).toLocaleString('en')} calls, rank ${r}`,
        unit: 'MB',
        better: 'lower',
        sign: 'any',
        key: `drift-r${r}`,
        baselines: [vsC(`drift-r${r}`), vsPyMOR(`drift-r${r}`)],
        targets: [{ text: 'under 5 MB per rank', maxValue: 5 }],
      });
    }
    return list;
  },
  measure(p): Figures {
    const { call } = mpiLoop();
    const w = workloads();
    const start = call(w.residentMemory) ?? [];
    for (let i = num(p, 'warmup', 1000); i > 0; i--) call(w.noop);
    const base = call(w.residentMemory) ?? [];
    for (let i = num(p, 'calls', 100000); i > 0; i--) call(w.noop);
    const end = call(w.residentMemory) ?? [];
    const figures: Figures = {};
    start.forEach((v, r) => {
      figures[`rss-start-r${r}`] = v / 1e6;
      figures[`drift-r${r}`] = (end[r] - base[r]) / 1e6;
    });
    return figures;
  },
};

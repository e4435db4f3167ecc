// The benchmarks, in the order the suite runs them.
import { allreduce } from './suite/allreduce';
import { bandwidth } from './suite/bandwidth';
import { callArray } from './suite/call-array';
import { callGather } from './suite/call-gather';
import { callNoop } from './suite/call-noop';
import { callRanks } from './suite/call-ranks';
import { cg } from './suite/cg';
import { futures } from './suite/futures';
import { idle } from './suite/idle';
import { memory } from './suite/memory';
import { nonblockingOverlap } from './suite/nonblocking-overlap';
import { objectPingpong } from './suite/object-pingpong';
import { pingpong } from './suite/pingpong';
import { rma } from './suite/rma';
import { valueCollectives } from './suite/value-collectives';
import type { Benchmark } from './types';

export const benchmarks: readonly Benchmark[] = [
  pingpong,
  objectPingpong,
  valueCollectives,
  bandwidth,
  allreduce,
  nonblockingOverlap,
  rma,
  callNoop,
  callGather,
  callArray,
  idle,
  callRanks,
  memory,
  cg,
  futures,
];

export function findBenchmark(name: string): Benchmark {
  const b = benchmarks.find((x) => x.name === name);
  if (!b) throw new Error(`unknown benchmark "${name}" (known: ${benchmarks.map((x) => x.name).join(', ')})`);
  return b;
}
